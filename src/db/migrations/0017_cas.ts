// CAS (Apereo CAS Protocol 3.0) beside the OpenID Provider, on the same platform registry:
// - a platform speaks one protocol; a CAS platform registers the services (exact URLs or anchored
//   patterns) it may be sent back to, and whether it may ask for proxy tickets;
// - every ticket (TGT, ST, PT, PGT) is one row keyed by the SHA-256 of its text, so several
//   processes share them and a stolen database copy holds no usable ticket. A TGT is the CAS face
//   of one Tongxing sign-in session (its cookie is the TGC); the service and proxy tickets issued
//   under it remember it, which is how single logout finds every platform of that session.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table oidc_clients add column protocol text not null default 'oidc' check (protocol in ('oidc', 'cas'));
    alter table oidc_clients add column cas_services text[] not null default '{}';
    alter table oidc_clients add column cas_proxy boolean not null default false;
    alter table outbox drop constraint outbox_channel_check;
    alter table outbox add constraint outbox_channel_check check (channel in ('email', 'sms', 'webhook', 'backchannel_logout', 'cas_logout'));

    create table cas_tickets (
      ticket_hash text primary key,
      kind text not null check (kind in ('TGT', 'ST', 'PT', 'PGT')),
      account_id uuid not null references accounts (id),
      session_id uuid not null,
      tgt_hash text references cas_tickets (ticket_hash) on delete cascade,
      client_id text references oidc_clients (client_id),
      service text,
      pgt_hash text references cas_tickets (ticket_hash) on delete cascade,
      proxies text[] not null default '{}',
      from_new_login boolean not null default false,
      authenticated_at timestamptz not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      validated_at timestamptz,
      -- A service ticket the platform validated, in clear: it can never be validated again, and
      -- single logout sends it back as the SessionIndex the platform filed its session under.
      session_index text,
      check ((kind = 'TGT') = (tgt_hash is null))
    );
    create unique index cas_tickets_one_tgt_per_session on cas_tickets (session_id) where kind = 'TGT';
    create index cas_tickets_tgt on cas_tickets (tgt_hash) where tgt_hash is not null;
    create index cas_tickets_pgt on cas_tickets (pgt_hash) where pgt_hash is not null;
    create index cas_tickets_expires on cas_tickets (expires_at)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `drop table cas_tickets;
     delete from outbox where channel = 'cas_logout';
     alter table outbox drop constraint outbox_channel_check;
     alter table outbox add constraint outbox_channel_check check (channel in ('email', 'sms', 'webhook', 'backchannel_logout'));
     alter table oidc_clients drop column cas_proxy;
     alter table oidc_clients drop column cas_services;
     alter table oidc_clients drop column protocol`,
  );
}
