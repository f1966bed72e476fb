// /metrics counts the outbox's unsent and given-up messages by state and channel on every scrape of
// every node; the due index covers only queued and sending, so each scrape read the whole table,
// sent rows included. A partial index of exactly those rows keeps the count as small as they are.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `create index outbox_depth on outbox (state, channel) where state in ('queued', 'sending', 'failed')`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop index outbox_depth`);
}
