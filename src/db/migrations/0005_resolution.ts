// Duplicate-ID resolution: student-status and degree records (学籍/学历) to match against, the
// tries per ID number, the four paths' own state (liveness sessions, photo reviews), each passed
// resolution, the contacts released by deregistration, events for platforms, and the platforms
// an account has used (written by single sign-on).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    -- One row per record: 学籍 (kind enrolment: student number, enrolment year) or 学历 (kind
    -- degree: certificate number, graduation year). The person's ID number is kept only as its
    -- blind index, the same one identities use, so a record can be matched but never read back.
    create table student_records (
      kind text not null check (kind in ('enrolment', 'degree')),
      school_key text not null,
      number text not null,
      school text not null,
      level text not null,
      year smallint not null,
      name text not null,
      id_index bytea not null,
      imported_at timestamptz not null,
      primary key (kind, school_key, number)
    );
    create index student_records_person on student_records (id_index, school_key);

    create table record_checks (
      id uuid primary key default gen_random_uuid(),
      id_index bytea not null,
      account_id uuid not null references accounts (id),
      matched boolean not null,
      created_at timestamptz not null
    );
    create index record_checks_id_index on record_checks (id_index);

    create table resolutions (
      id uuid primary key default gen_random_uuid(),
      id_index bytea not null,
      claimant_account_id uuid not null references accounts (id),
      path text not null check (path in ('app', 'photo', 'classmate', 'records')),
      deregistered_account_ids uuid[] not null,
      passed_at timestamptz not null
    );
    create index resolutions_claimant on resolutions (claimant_account_id);

    create table photo_reviews (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      state text not null check (state in ('pending', 'approved', 'rejected', 'closed')),
      submitted_at timestamptz not null,
      claimed_by text,
      claimed_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      reason text
    );
    create index photo_reviews_queue on photo_reviews (state, submitted_at);
    create index photo_reviews_account on photo_reviews (account_id, submitted_at desc);
    create unique index photo_reviews_one_pending on photo_reviews (account_id) where state = 'pending';

    create table photo_files (
      review_id uuid not null references photo_reviews (id),
      kind text not null check (kind in ('handheld', 'front', 'back')),
      media_type text not null,
      byte_size integer not null,
      key_id text not null,
      cipher bytea not null,
      primary key (review_id, kind)
    );

    create table liveness_sessions (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      token_hash bytea not null unique,
      provider text not null,
      state text not null check (state in ('pending', 'passed', 'failed')),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      completed_at timestamptz,
      reason text
    );
    create index liveness_sessions_account on liveness_sessions (account_id, created_at desc);

    -- A deregistered account's phone and email leave it (the phone may be registered again; the
    -- address keeps its record of use); what they were is kept here for staff.
    create table released_contacts (
      account_id uuid not null references accounts (id),
      channel text not null check (channel in ('phone', 'email')),
      value text not null,
      released_at timestamptz not null
    );
    create index released_contacts_account on released_contacts (account_id);

    -- What platforms need to hear (deregistered, identity verified, contact changed); single
    -- sign-on delivers them as webhooks.
    create table account_events (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      type text not null,
      payload jsonb not null default '{}'::jsonb,
      created_at timestamptz not null
    );
    create index account_events_created on account_events (created_at);

    create table platform_usages (
      account_id uuid not null references accounts (id),
      platform text not null,
      first_used_at timestamptz not null,
      last_used_at timestamptz not null,
      primary key (account_id, platform)
    )
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    drop table platform_usages;
    drop table account_events;
    drop table released_contacts;
    drop table liveness_sessions;
    drop table photo_files;
    drop table photo_reviews;
    drop table resolutions;
    drop table record_checks;
    drop table student_records
  `,
  );
}
