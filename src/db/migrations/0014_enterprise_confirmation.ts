// An enterprise account is unconfirmed until support has checked the enterprise's stamped letter:
// credit codes are public, so holding one proves nothing. Any number of unconfirmed accounts may
// name a code, one confirmed account at most; confirming one voids the others. A request to
// confirm goes through the same queue as a look-up (wants 'confirm', answered 'confirmed').
// Accounts made before this stay unconfirmed: they were never checked either.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table enterprises add column confirmed_at timestamptz;
    alter table enterprises add column confirmed_by text;
    alter table enterprises drop constraint if exists enterprises_credit_code_key;
    create unique index enterprises_confirmed_credit_code on enterprises (credit_code) where confirmed_at is not null;
    create index enterprises_credit_code on enterprises (credit_code);
    alter table enterprise_requests drop constraint if exists enterprise_requests_wants_check;
    alter table enterprise_requests add constraint enterprise_requests_wants_check check (wants in ('username', 'password', 'confirm'));
    alter table enterprise_requests drop constraint if exists enterprise_requests_state_check;
    alter table enterprise_requests add constraint enterprise_requests_state_check
      check (state in ('pending', 'username_sent', 'reset_started', 'confirmed', 'rejected'))
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    drop index enterprises_confirmed_credit_code;
    drop index enterprises_credit_code;
    alter table enterprises drop column confirmed_by;
    alter table enterprises drop column confirmed_at;
    alter table enterprises add constraint enterprises_credit_code_key unique (credit_code);
    alter table enterprise_requests drop constraint enterprise_requests_wants_check;
    alter table enterprise_requests add constraint enterprise_requests_wants_check check (wants in ('username', 'password'));
    alter table enterprise_requests drop constraint enterprise_requests_state_check;
    alter table enterprise_requests add constraint enterprise_requests_state_check
      check (state in ('pending', 'username_sent', 'reset_started', 'rejected'))
  `,
  );
}
