// Support requests (客服工单): a person's question to customer service and the messages that
// follow it. A signed-in person's request belongs to their account; someone who cannot sign in
// gives a contact (phone or email) that replies go to. An image comes cleaned like the ID photos
// and sealed with the identity keys. support/requests.ts holds the state machine.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table support_requests (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      account_id uuid references accounts (id),
      contact_channel text check (contact_channel in ('phone', 'email')),
      contact text,
      category text not null,
      source text not null check (source in ('form', 'assistant')),
      state text not null check (state in ('open', 'answered', 'closed')),
      waiting_since timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      claimed_by text,
      claimed_at timestamptz,
      closed_at timestamptz,
      closed_by text,
      check ((account_id is null) = (contact is not null))
    );
    create index support_requests_queue on support_requests (waiting_since) where state = 'open';
    create index support_requests_account on support_requests (account_id, created_at);
    create table support_messages (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references support_requests (id) on delete cascade,
      author text not null check (author in ('person', 'staff')),
      staff_username text,
      body text not null,
      image_type text,
      image_key_id text,
      image_cipher bytea,
      created_at timestamptz not null
    );
    create index support_messages_request on support_messages (request_id, created_at)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table support_messages; drop table support_requests`);
}
