// A 注销帐号 whose cooling-off is over but which must wait (the account suspended, or its ID number
// in a duplicate-ID case still being decided) is tried again on every run of the timer; the
// person is told once that it waits and why. This is when they were told (null: not yet).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table self_deregistrations add column waiting_told_at timestamptz`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table self_deregistrations drop column waiting_told_at`);
}
