// Consent records (PIPL art. 14–15, 29): which version of the user agreement and of the
// personal-information policy an account agreed to and when, and each separate consent to
// sensitive information where it was collected. Rows are only added: a new version adds a row, so
// the history of what was agreed stays. An unactivated registration removed by retention takes its
// rows with it (nothing was ever done under them).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table consent_records (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id) on delete cascade,
      document text not null check (document in ('terms', 'privacy', 'sensitive:id_number', 'sensitive:id_photo', 'sensitive:liveness')),
      version text not null,
      accepted_at timestamptz not null,
      ip text
    );
    create index consent_records_account on consent_records (account_id, document, accepted_at)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table consent_records`);
}
