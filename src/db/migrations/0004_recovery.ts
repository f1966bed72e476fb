// Password recovery and account management. A password reset is a row per request, made whether
// or not the username named an account (account_id null then), so a stranger sees the same page
// after the same work either way. Sessions remember when the password was last typed, for the
// settings that need a fresh sign-in; accounts remember their last recovery (seed 003 item 7:
// no WeChat/Alipay binding within 2 hours of one).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      account_id uuid references accounts (id),
      -- keyed hash of the secret the requesting browser holds (with the SMS code it unlocks the reset)
      flow_hash bytea not null unique,
      -- keyed hash of the secret in the emailed link, when the reset went out by email
      link_hash bytea unique,
      delivery text not null check (delivery in ('sms', 'email', 'none')),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      code_verified_at timestamptz,
      identity_failures integer not null default 0,
      completed_at timestamptz
    );
    create index password_resets_account on password_resets (account_id, created_at desc);

    alter table accounts add column password_recovered_at timestamptz;
    alter table sessions add column authenticated_at timestamptz
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table sessions drop column authenticated_at;
    alter table accounts drop column password_recovered_at;
    drop table password_resets
  `,
  );
}
