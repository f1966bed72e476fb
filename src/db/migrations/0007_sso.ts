// Single sign-on (OpenID Connect): what the provider stores (codes, tokens, grants, sessions,
// interactions — one table keyed by model and id, with the columns the provider looks up by),
// the platforms registered by `tongxing client add`, the signing keys (private parts sealed), and
// each account's opaque subject identifier.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table oidc_payloads (
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      uid text,
      user_code text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (model, id)
    );
    create index oidc_payloads_grant on oidc_payloads (grant_id) where grant_id is not null;
    create index oidc_payloads_uid on oidc_payloads (uid) where uid is not null;
    create index oidc_payloads_expires on oidc_payloads (expires_at);

    create table oidc_clients (
      client_id text primary key,
      name text not null,
      secret_key_id text not null,
      secret_cipher bytea not null,
      redirect_uris text[] not null,
      post_logout_redirect_uris text[] not null,
      backchannel_logout_uri text,
      webhook_url text,
      requires_realname boolean not null,
      scopes text[] not null,
      id_number_access text not null check (id_number_access in ('none', 'masked', 'full')),
      created_at timestamptz not null
    );

    create table oidc_signing_keys (
      kid text primary key,
      key_id text not null,
      jwk_cipher bytea not null,
      created_at timestamptz not null,
      retired_at timestamptz
    );

    create table sso_subjects (
      account_id uuid primary key references accounts (id),
      sub text not null unique
    );

    -- A remembered consent (the provider's grant): the person is not asked again until they
    -- withdraw it in their account.
    create table sso_consents (
      account_id uuid not null references accounts (id),
      client_id text not null references oidc_clients (client_id),
      grant_id text not null,
      scopes text not null,
      created_at timestamptz not null,
      primary key (account_id, client_id)
    )
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table sso_consents; drop table sso_subjects; drop table oidc_signing_keys; drop table oidc_clients; drop table oidc_payloads`);
}
