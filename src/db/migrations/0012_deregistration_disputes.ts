// A wrongful deregistration can be disputed and reversed. The account remembers the state it was
// deregistered from, each released contact when it had been proved (so a restored one is proved
// again) and whether it came back; a resolution remembers being reversed; a dispute is a case in
// the console, opened from the single-use link of the deregistration notice. A platform's use is
// kept by its client id (backfilled where the recorded name is unambiguous), so the platforms that
// knew an account hear that it is back — unless the person withdrew their consent there.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table accounts add column state_before_deregistration text;
    alter table released_contacts add column verified_at timestamptz;
    alter table released_contacts add column restored_at timestamptz;
    alter table resolutions add column reversed_at timestamptz;
    alter table resolutions add column reversed_by text;
    alter table platform_usages add column client_id text;
    alter table platform_usages add column withdrawn_at timestamptz;
    update platform_usages set client_id = platform where platform in (select client_id from oidc_clients);
    update platform_usages set client_id = c.client_id from oidc_clients c
      where platform_usages.client_id is null and c.name = platform_usages.platform
        and (select count(*) from oidc_clients d where d.name = c.name) = 1;
    create table deregistration_disputes (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      resolution_id uuid references resolutions (id),
      state text not null check (state in ('pending', 'reversed', 'dismissed')),
      what_happened text not null,
      contact_channel text not null check (contact_channel in ('phone', 'email')),
      contact text not null,
      ip text,
      created_at timestamptz not null,
      claimed_by text,
      claimed_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      decision_note text
    );
    create index deregistration_disputes_queue on deregistration_disputes (created_at) where state = 'pending';
    create index deregistration_disputes_account on deregistration_disputes (account_id)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    drop table deregistration_disputes;
    alter table platform_usages drop column withdrawn_at;
    alter table platform_usages drop column client_id;
    alter table resolutions drop column reversed_by;
    alter table resolutions drop column reversed_at;
    alter table released_contacts drop column restored_at;
    alter table released_contacts drop column verified_at;
    alter table accounts drop column state_before_deregistration
  `,
  );
}
