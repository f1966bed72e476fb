// SQL for the outbox. A message row is written in the transaction of the change that causes it;
// the worker claims due rows with SKIP LOCKED so several workers never send one message twice.
import { sql } from 'kysely';
import type { Db, Executor } from '../db/client.ts';
import type { OutboxChannel } from '../db/schema.ts';

export interface NewMessage {
  channel: OutboxChannel;
  /** For webhooks and logout tokens: the platform's client id. */
  platformId?: string | undefined;
  recipient: string;
  subject?: string | undefined;
  body: string;
  html?: string | undefined;
  templateParams?: Record<string, string> | undefined;
}

export async function insertMessage(db: Executor, message: NewMessage, now: Date): Promise<string> {
  const row = await db
    .insertInto('outbox')
    .values({
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: message.body,
      html: message.html ?? null,
      template_params: message.templateParams ? JSON.stringify(message.templateParams) : null,
      next_attempt_at: now,
      locked_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
      platform_id: message.platformId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Claims up to `limit` due messages: queued ones, and 'sending' ones whose claimant died. */
export async function claimDue(db: Db, now: Date, lockMs: number, limit: number) {
  const lockedUntil = new Date(now.getTime() + lockMs);
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]), eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', now)])]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return tx
      .updateTable('outbox')
      .set({ state: 'sending', locked_until: lockedUntil, attempts: sql`attempts + 1` })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returning(['id', 'channel', 'recipient', 'subject', 'body', 'html', 'template_params', 'attempts', 'platform_id'])
      .execute();
  });
}

export async function markSent(db: Executor, id: string, now: Date, scrubBody: boolean): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      state: 'sent',
      sent_at: now,
      locked_until: null,
      last_error: null,
      // In production the text (which may hold a code) is not kept once delivered.
      ...(scrubBody ? { body: '[sent]', html: null, template_params: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markRetry(db: Executor, id: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db.updateTable('outbox').set({ state: 'queued', next_attempt_at: nextAttemptAt, locked_until: null, last_error: error }).where('id', '=', id).execute();
}

export async function markFailed(db: Executor, id: string, error: string): Promise<void> {
  await db.updateTable('outbox').set({ state: 'failed', locked_until: null, last_error: error }).where('id', '=', id).execute();
}

export async function listRecent(db: Executor, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'state', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
