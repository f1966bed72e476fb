// A passkey as a person's second factor (mfa/), for someone without an authenticator app: one row
// per account that turned the second factor on with its passkeys (enabled_at). The passkeys stay
// in passkeys/; the recovery codes are person_recovery_codes as with an authenticator. An account
// has a second factor when its authenticator is on (person_totps.enabled_at) or it has a row here.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table person_passkey_factors (
      account_id uuid primary key references accounts (id) on delete cascade,
      enabled_at timestamptz not null
    )
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table person_passkey_factors`);
}
