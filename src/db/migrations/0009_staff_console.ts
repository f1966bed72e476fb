// The staff console: staff accounts (separate from people's, password + TOTP, roles), their
// sessions and recovery codes; what suspension keeps to restore an account; enterprise accounts
// and their look-up requests (a stamped application letter, sealed like ID photos).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table staff_accounts (
      id uuid primary key default gen_random_uuid(),
      username text not null unique,
      display_name text not null,
      roles text[] not null,
      password_hash text not null,
      -- A password an administrator set (the first one, or a reset) is changed at the next sign-in.
      must_change_password boolean not null default true,
      state text not null check (state in ('active', 'suspended')),
      totp_key_id text,
      totp_cipher bytea,
      totp_enrolled_at timestamptz,
      totp_last_step bigint,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null
    );

    create table staff_recovery_codes (
      staff_id uuid not null references staff_accounts (id),
      code_hash bytea not null,
      created_at timestamptz not null,
      used_at timestamptz,
      primary key (staff_id, code_hash)
    );

    -- stage: 'second_factor' after the password (TOTP or a recovery code still due), 'enrol' when
    -- TOTP is not set up yet (the pending secret lives here until confirmed), 'full' afterwards.
    create table staff_sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      staff_id uuid not null references staff_accounts (id),
      stage text not null check (stage in ('second_factor', 'enrol', 'full')),
      pending_totp_cipher bytea,
      pending_totp_key_id text,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    create index staff_sessions_staff on staff_sessions (staff_id) where revoked_at is null;

    alter table accounts add column state_before_suspension text;
    alter table accounts add column kind text not null default 'person' check (kind in ('person', 'enterprise'));

    create table enterprises (
      account_id uuid primary key references accounts (id),
      name text not null,
      credit_code text not null unique,
      contact_name text not null,
      created_at timestamptz not null
    );

    create table enterprise_requests (
      id uuid primary key default gen_random_uuid(),
      enterprise_name text not null,
      credit_code text not null,
      contact_name text not null,
      contact_phone text,
      contact_email text,
      wants text not null check (wants in ('username', 'password')),
      letter_media_type text not null,
      letter_key_id text not null,
      letter_cipher bytea not null,
      state text not null check (state in ('pending', 'username_sent', 'reset_started', 'rejected')),
      submitted_at timestamptz not null,
      ip text,
      claimed_by text,
      claimed_at timestamptz,
      handled_by text,
      handled_at timestamptz,
      account_id uuid references accounts (id),
      outcome text
    );
    create index enterprise_requests_open on enterprise_requests (submitted_at) where state = 'pending';
    create index accounts_created on accounts (created_at);

    -- Who put a record there: the staff member who uploaded it in the console (null: an operator's
    -- import from the command line). A record decides identity disputes, so its source is kept.
    alter table student_records add column imported_by text
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table student_records drop column imported_by;
    drop index accounts_created;
    drop table enterprise_requests;
    drop table enterprises;
    alter table accounts drop column kind;
    alter table accounts drop column state_before_suspension;
    drop table staff_sessions;
    drop table staff_recovery_codes;
    drop table staff_accounts
  `,
  );
}
