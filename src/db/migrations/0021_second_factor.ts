// A second factor for people (mfa/): an authenticator app (TOTP) and ten single-use recovery
// codes; the sign-ins waiting for that second step; and the removals asked through 找回密码 by
// someone who lost both, which wait a period before they take effect.
// - person_totps: one per account. The secret is AES-256-GCM under the field keys (its key id kept
//   for rotation); enabled_at is null while it is being set up (QR shown, no code confirmed yet);
//   last_step is the newest 30-second step accepted, so a code is never accepted twice.
// - person_recovery_codes: keyed HMACs of the codes, each spent once (used_at).
// - pending_sign_ins: the first factor passed, the second is due. The browser holds the token (a
//   cookie), the table its keyed hash; a row is used once (used_at) and lives minutes.
// - second_factor_removals: at most one open (neither cancelled nor done) per account.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table person_totps (
      account_id uuid primary key references accounts (id) on delete cascade,
      key_id text not null,
      cipher bytea not null,
      last_step bigint,
      created_at timestamptz not null,
      enabled_at timestamptz
    );

    create table person_recovery_codes (
      account_id uuid not null references accounts (id) on delete cascade,
      code_hash bytea not null,
      created_at timestamptz not null,
      used_at timestamptz,
      primary key (account_id, code_hash)
    );

    create table pending_sign_ins (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      account_id uuid not null references accounts (id) on delete cascade,
      first_method text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index pending_sign_ins_expiry on pending_sign_ins (expires_at);

    create table second_factor_removals (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id) on delete cascade,
      requested_via text not null check (requested_via in ('sms', 'email')),
      requested_at timestamptz not null,
      effective_at timestamptz not null,
      cancelled_at timestamptz,
      completed_at timestamptz
    );
    create unique index second_factor_removals_open on second_factor_removals (account_id) where cancelled_at is null and completed_at is null
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table second_factor_removals; drop table pending_sign_ins; drop table person_recovery_codes; drop table person_totps`);
}
