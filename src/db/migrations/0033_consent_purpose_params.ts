// A separate consent's wording may name a party that the operator configures (the liveness
// consent names the face-check provider): the record keeps the names the person was shown, so
// that 下载个人信息 and staff read the words actually ticked, not today's configuration.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table consent_records add column purpose_params jsonb`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table consent_records drop column purpose_params`);
}
