// Passkeys (WebAuthn discoverable credentials) and the challenges of their ceremonies.
// - passkeys: one row per credential an account registered, with the public key and what the
//   authenticator said of itself; its name is the person's. credential_id is unique across all
//   accounts, so a sign-in with an unnamed (discoverable) credential finds its one account.
// - passkey_challenges: each ceremony's challenge, single use and short-lived, stored as a keyed
//   hash together with the keyed hash of a random cookie of the browser that asked for it, so a
//   challenge cannot be answered from another browser or twice; registration and second-factor
//   challenges also name their account.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table passkeys (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      credential_id text not null unique,
      public_key bytea not null,
      counter bigint not null default 0,
      transports text[] not null default '{}',
      device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
      backed_up boolean not null,
      aaguid text not null,
      name text not null,
      created_at timestamptz not null,
      last_used_at timestamptz
    );
    create index passkeys_account on passkeys (account_id, created_at);

    create table passkey_challenges (
      challenge_hash bytea primary key,
      browser_hash bytea not null,
      purpose text not null check (purpose in ('register', 'sign_in', 'second_factor')),
      account_id uuid references accounts (id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      check ((purpose = 'sign_in') = (account_id is null))
    );
    create index passkey_challenges_expires on passkey_challenges (expires_at)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table passkey_challenges; drop table passkeys`);
}
