// Platforms hear about account changes through the outbox: signed webhooks and back-channel
// logout tokens are messages like emails, with retries and backoff; the platform they are for is
// kept on the row so each platform has a delivery log.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table outbox drop constraint outbox_channel_check;
    alter table outbox add constraint outbox_channel_check check (channel in ('email', 'sms', 'webhook', 'backchannel_logout'));
    alter table outbox add column platform_id text;
    create index outbox_platform on outbox (platform_id, created_at desc) where platform_id is not null
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    drop index outbox_platform;
    alter table outbox drop column platform_id;
    alter table outbox drop constraint outbox_channel_check;
    alter table outbox add constraint outbox_channel_check check (channel in ('email', 'sms'))
  `,
  );
}
