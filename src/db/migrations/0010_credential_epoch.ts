// A password-reset link stops working once the account's password or a contact changes after it
// was sent. The account counts those changes (credential_epoch) and each reset remembers the count
// it was issued under: the accounts module never has to reach into recovery's table to retire
// links, and recovery checks one number.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table accounts add column credential_epoch integer not null default 0;
    alter table password_resets add column credential_epoch integer not null default 0
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table password_resets drop column credential_epoch;
    alter table accounts drop column credential_epoch
  `,
  );
}
