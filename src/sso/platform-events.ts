// What platforms hear about an account: events (deregistered, suspended, restored, identity verified
// or revoked, contact changed)
// as signed webhooks to each platform the person signed in to that has a webhook URL (it keeps
// hearing after a suspension or deregistration revoked the consent, so it learns of a restore), and, when
// an account is deregistered, a back-channel logout token to each such platform that takes them.
// Both are outbox messages written in the transaction of the change, so they are never lost and
// are retried with backoff; the row names the platform, which gives each platform a delivery log.
import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { listeningPlatformsOf } from './queries.ts';
import { deliveriesOf as platformDeliveries } from './platform-queries.ts';

export type PlatformEventType =
  'account.deregistered' | 'account.suspended' | 'account.restored' | 'identity.verified' | 'identity.revoked' | 'account.contact_changed';

/** Tells every platform that has signed the person in (a consent now, or a use recorded before). */
export async function notifyPlatforms(
  tx: Executor,
  outbox: Outbox,
  accountId: string,
  type: PlatformEventType,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<number> {
  const platforms = await listeningPlatformsOf(tx, accountId);
  for (const p of platforms) await deliver(tx, outbox, p, type, at, data);
  return platforms.length;
}

async function deliver(
  tx: Executor,
  outbox: Outbox,
  p: { client_id: string; webhook_url: string | null; backchannel_logout_uri: string | null; sub: string },
  type: PlatformEventType,
  at: Date,
  data: Record<string, unknown>,
): Promise<void> {
  if (p.webhook_url) {
    const body = JSON.stringify({ id: randomUUID(), type, occurred_at: at.toISOString(), sub: p.sub, data });
    await outbox.enqueue(tx, { channel: 'webhook', recipient: p.webhook_url, body, platformId: p.client_id, subject: type });
  }
  // Deregistration, suspension and a revoked identity end the person's sessions at the platform too.
  if ((type === 'account.deregistered' || type === 'account.suspended' || type === 'identity.revoked') && p.backchannel_logout_uri) {
    await outbox.enqueue(tx, { channel: 'backchannel_logout', recipient: p.sub, body: type, platformId: p.client_id });
  }
}

/** A platform's deliveries, newest first (`tongxing client deliveries`). */
export const deliveriesOf = platformDeliveries;
