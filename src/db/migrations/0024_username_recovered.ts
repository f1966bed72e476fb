// Seed 003 item 7: WeChat and Alipay binding waits 2 hours after the username *or* the password
// was recovered. The password's time was recorded (0004); this records when a username reminder
// went to the account, the other half of the rule.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table accounts add column username_recovered_at timestamptz`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table accounts drop column username_recovered_at`);
}
