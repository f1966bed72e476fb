// A session started while the account had not agreed to the current user agreement or policy
// carries that fact, so every request of that session can be held at /consent until the person
// agrees (consent/due-gate.ts) without reading consent_records each time. Agreeing clears it on
// every live session of the account. Old sessions have nothing due (false).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table sessions add column consent_due boolean not null default false`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table sessions drop column consent_due`);
}
