// 下载个人信息 (PIPL art. 45): a person's request for a copy of what Tongxing holds about them,
// built in the background into a ZIP (sealed with the identity keys, since it may carry the full
// ID number) and downloadable for 24 hours. privacy-export/worker.ts holds the state machine;
// claim_token and locked_until are its lease, so two nodes never build one export twice.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table data_exports (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      state text not null check (state in ('requested', 'ready', 'failed', 'expired')),
      with_full_id boolean not null,
      lang text not null,
      requested_at timestamptz not null,
      ready_at timestamptz,
      expires_at timestamptz,
      file_key_id text,
      file_cipher bytea,
      file_bytes integer,
      token_hash bytea,
      attempts integer not null default 0,
      claim_token uuid,
      locked_until timestamptz,
      failure text
    );
    create index data_exports_account on data_exports (account_id, requested_at);
    create index data_exports_due on data_exports (requested_at) where state = 'requested';
    create index data_exports_expiry on data_exports (expires_at) where state = 'ready'
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table data_exports`);
}
