// The inbox: requests and notices between people (classmate-assisted binding now, classmate
// vouching for duplicate IDs next). Each item has a kind, a state and an expiry.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table inbox_items (
      id uuid primary key default gen_random_uuid(),
      recipient_account_id uuid not null references accounts (id),
      sender_account_id uuid references accounts (id),
      kind text not null,
      payload jsonb not null default '{}'::jsonb,
      state text not null check (state in ('pending', 'accepted', 'declined', 'expired', 'notice')),
      read_at timestamptz,
      created_at timestamptz not null,
      expires_at timestamptz,
      decided_at timestamptz
    );
    create index inbox_items_recipient on inbox_items (recipient_account_id, created_at desc);
    create index inbox_items_sender on inbox_items (sender_account_id, kind, created_at desc);

    -- Kept with the account so the header's unread badge costs no query of its own.
    alter table accounts add column inbox_unread integer not null default 0
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table accounts drop column inbox_unread; drop table inbox_items`);
}
