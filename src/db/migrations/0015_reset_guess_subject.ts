// 找回密码 by SMS carries one live code per account across requests (verification/service.ts):
// - wrong codes are limited per subject across requests, not only per request (else each new
//   request would give five more guesses at the same code). The subject is the account, or for a
//   username that names none its stand-in (keyed, never the typed text), so both count the same;
// - two requests at the same moment make one code, not two: a partial unique index on the live
//   resendable codes (purpose 'reset_password_sms').
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table password_resets add column guess_subject text;
    update verification_codes set consumed_at = created_at
      where purpose = 'reset_password_sms' and consumed_at is null
        and id not in (select distinct on (target_hash) id from verification_codes
                       where purpose = 'reset_password_sms' and consumed_at is null order by target_hash, created_at desc);
    create unique index verification_codes_one_live_resendable on verification_codes (purpose, target_hash)
      where consumed_at is null and purpose = 'reset_password_sms'
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop index verification_codes_one_live_resendable; alter table password_resets drop column guess_subject`);
}
