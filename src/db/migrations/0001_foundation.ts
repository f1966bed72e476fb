// Accounts, sessions, codes and link tokens, the outbox, audit events and rate-limit counters.
import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table accounts (
      id uuid primary key default gen_random_uuid(),
      phone text,
      email text,
      phone_verified_at timestamptz,
      email_verified_at timestamptz,
      password_hash text not null,
      state text not null check (state in ('pending_activation', 'active', 'needs_verification', 'suspended', 'deregistered')),
      registered_via text not null check (registered_via in ('phone', 'email')),
      created_at timestamptz not null,
      activated_at timestamptz,
      updated_at timestamptz not null
    );
    create unique index accounts_phone_key on accounts (phone) where phone is not null;
    create unique index accounts_email_key on accounts (email) where email is not null;

    -- Every address ever given to the site: an address serves one registration only, and later
    -- can only be bound when it has no record of use here (seed 003 item 8).
    create table email_usages (
      email text primary key,
      account_id uuid not null references accounts (id),
      first_used_at timestamptz not null
    );

    create table verification_codes (
      id uuid primary key default gen_random_uuid(),
      purpose text not null,
      target_hash bytea not null,
      code_hash bytea not null,
      attempts integer not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz
    );
    create index verification_codes_lookup on verification_codes (purpose, target_hash, created_at desc);

    create table link_tokens (
      id uuid primary key default gen_random_uuid(),
      purpose text not null,
      token_hash bytea not null unique,
      account_id uuid not null references accounts (id),
      email text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz
    );
    create index link_tokens_account on link_tokens (account_id, purpose);

    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash bytea not null unique,
      account_id uuid not null references accounts (id),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    create index sessions_account on sessions (account_id) where revoked_at is null;

    create table captchas (
      id uuid primary key default gen_random_uuid(),
      answer_hash bytea not null,
      expires_at timestamptz not null,
      consumed_at timestamptz
    );

    create table outbox (
      id uuid primary key default gen_random_uuid(),
      channel text not null check (channel in ('email', 'sms')),
      recipient text not null,
      subject text,
      body text not null,
      html text,
      template_params jsonb,
      state text not null default 'queued' check (state in ('queued', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null,
      sent_at timestamptz
    );
    create index outbox_due on outbox (next_attempt_at) where state in ('queued', 'sending');
    create index outbox_created on outbox (created_at desc);

    create table audit_events (
      id uuid primary key default gen_random_uuid(),
      created_at timestamptz not null,
      actor_kind text not null check (actor_kind in ('account', 'system', 'staff', 'anonymous')),
      actor_id uuid,
      action text not null,
      account_id uuid,
      ip text,
      detail jsonb not null default '{}'::jsonb
    );
    create index audit_events_account on audit_events (account_id, created_at desc);

    -- The layout rate-limiter-flexible's PostgreSQL store expects (expire in epoch ms).
    create table rate_limits (
      key text primary key,
      points integer not null default 0,
      expire bigint
    );
    create index rate_limits_expire on rate_limits (expire)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table rate_limits, audit_events, outbox, captchas, sessions, link_tokens, verification_codes, email_usages, accounts`.execute(db);
}
