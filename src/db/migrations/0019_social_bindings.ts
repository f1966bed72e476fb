// WeChat and Alipay sign-in (issue 16). Two tables, both the social module's:
//
// social_bindings: which account a provider's identity signs in to. At most one live binding per
// (provider, subject) and per (account, provider), enforced by partial unique indexes so two
// concurrent binds cannot both win. Unbinding and deregistration release a binding (released_at,
// release_reason) rather than deleting it: support can then answer "which account did this WeChat
// sign in to, and when" in a dispute, and the audit events only name the binding's id, never the
// provider's identifier. A released row blocks nothing; the identity may be bound again.
//
// social_flows: a sign-in or binding in progress, keyed by the keyed hash of a secret that the
// browser holds in a signed cookie (so the provider's `state` is bound to that browser) and used
// once. 'sign_in' and 'bind' wait for the provider's callback; 'pending_bind' holds an identity the
// provider proved that no account is bound to, until the person signs in with their password and
// binds it (or the ten minutes run out).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table social_bindings (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      provider text not null check (provider in ('wechat', 'alipay')),
      -- WeChat unionid (else openid), Alipay user_id (else open_id)
      subject text not null check (length(subject) between 1 and 128),
      display_name text check (length(display_name) <= 64),
      bound_at timestamptz not null,
      released_at timestamptz,
      release_reason text check (release_reason in ('unbound', 'deregistered')),
      check ((released_at is null) = (release_reason is null))
    );
    create unique index social_bindings_live_subject on social_bindings (provider, subject) where released_at is null;
    create unique index social_bindings_live_account on social_bindings (account_id, provider) where released_at is null;

    create table social_flows (
      id uuid primary key default gen_random_uuid(),
      secret_hash bytea not null unique,
      provider text not null check (provider in ('wechat', 'alipay')),
      purpose text not null check (purpose in ('sign_in', 'bind', 'pending_bind')),
      -- the account binding ('bind' only)
      account_id uuid references accounts (id),
      -- where a sign-in goes on (a platform's OIDC or CAS sign-in), a local path
      next text check (length(next) <= 2000),
      -- the proved identity ('pending_bind' only)
      subject text,
      display_name text,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz,
      check ((purpose = 'bind') = (account_id is not null)),
      check ((purpose = 'pending_bind') = (subject is not null))
    );
    create index social_flows_expiry on social_flows (expires_at)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table social_flows; drop table social_bindings`);
}
