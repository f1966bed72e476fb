// Fenced outbox claims: each claim of a message writes a token of its own, and only the holder of
// that token may renew the lease or mark the message sent, retried or failed. Before, a worker
// whose lease had run out (a slow relay) still marked a message another worker had claimed and
// sent meanwhile: the person got it twice.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table outbox add column claim_token uuid`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table outbox drop column claim_token`);
}
