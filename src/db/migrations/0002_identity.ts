// Real-name information: one identity per account (the ID number encrypted, blind-indexed and
// masked), and per ID number its claim state: registered (one owner) or disputed (a second
// account ticked 我要重新注册). No row for an index means the number is free.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table identities (
      account_id uuid primary key references accounts (id),
      name text not null,
      id_type text not null,
      id_key_id text not null,
      id_cipher bytea not null,
      id_index bytea not null,
      id_masked text not null,
      verifier text not null,
      verifier_result text not null,
      checked_at timestamptz not null,
      created_at timestamptz not null
    );
    create index identities_id_index on identities (id_index);

    create table id_claims (
      id_index bytea primary key,
      state text not null check (state in ('registered', 'disputed')),
      owner_account_id uuid not null references accounts (id),
      updated_at timestamptz not null
    );

    alter table accounts add column realname_bound_at timestamptz;
    alter table accounts add column realname_bound_via text
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table accounts drop column realname_bound_via;
    alter table accounts drop column realname_bound_at;
    drop table id_claims;
    drop table identities
  `,
  );
}
