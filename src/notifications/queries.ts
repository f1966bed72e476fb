// SQL for the outbox. A message row is written in the transaction of the change that causes it;
// the worker claims due rows with SKIP LOCKED and a fencing token (worker.ts says how the two keep
// several workers from sending one message twice).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Executor } from '../db/client.ts';
import type { Database, OutboxChannel } from '../db/schema.ts';
import { partitionHolds, type MonthPartition } from '../db/partitions.ts';

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

/**
 * Claims up to `limit` due messages on `channels`: queued ones, and 'sending' ones whose lease ran
 * out (their claimant died or is too slow). The claim's `token` fences them: only it may renew
 * or mark them (a claim that has been taken over finds nothing to mark).
 */
export async function claimDue(db: Db, input: { now: Date; lockMs: number; limit: number; token: string; channels?: readonly OutboxChannel[] }) {
  const { now } = input;
  return db.transaction().execute(async (tx) => {
    let due = tx
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]), eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', now)])]),
      );
    if (input.channels) due = due.where('channel', 'in', [...input.channels]);
    const ids = await due.orderBy('next_attempt_at').limit(input.limit).forUpdate().skipLocked().execute();
    if (ids.length === 0) return [];
    return tx
      .updateTable('outbox')
      .set({ state: 'sending', locked_until: new Date(now.getTime() + input.lockMs), claim_token: input.token, attempts: sql`attempts + 1` })
      .where(
        'id',
        'in',
        ids.map((d) => d.id),
      )
      .returning(['id', 'channel', 'recipient', 'subject', 'body', 'html', 'template_params', 'attempts', 'platform_id'])
      .execute();
  });
}

/**
 * Extends the lease of a claimed message just before it is sent; false when the claim no longer
 * holds it (its lease ran out and another claim took it), and then it must not be sent.
 */
export async function renewClaim(db: Executor, id: string, token: string, lockedUntil: Date): Promise<boolean> {
  const renewed = await db
    .updateTable('outbox')
    .set({ locked_until: lockedUntil })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('state', '=', 'sending')
    .returning('id')
    .executeTakeFirst();
  return renewed !== undefined;
}

const held = (id: string, token: string) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.and([eb('id', '=', id), eb('claim_token', '=', token), eb('state', '=', 'sending')]);

export async function markSent(db: Executor, id: string, token: string, now: Date, scrubBody: boolean): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      state: 'sent',
      sent_at: now,
      locked_until: null,
      claim_token: null,
      last_error: null,
      // In production the text (which may hold a code) is not kept once delivered.
      ...(scrubBody ? { body: '[sent]', html: null, template_params: null } : {}),
    })
    .where(held(id, token))
    .execute();
}

export async function markRetry(db: Executor, id: string, token: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ state: 'queued', next_attempt_at: nextAttemptAt, locked_until: null, claim_token: null, last_error: error })
    .where(held(id, token))
    .execute();
}

/** Given up for good. In production the text goes as a sent one's does: it is never sent now, and may hold a code or a name. */
export async function markFailed(db: Executor, id: string, token: string, error: string, scrubBody: boolean): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      state: 'failed',
      locked_until: null,
      claim_token: null,
      last_error: error,
      ...(scrubBody ? { body: '[failed]', html: null, template_params: null } : {}),
    })
    .where(held(id, token))
    .execute();
}

/**
 * Gives back what a claim holds and has not begun to send (a stopping worker): queued again at
 * once for another worker, the attempt it was counted as given back too.
 */
export async function releaseClaim(db: Executor, token: string, except: readonly string[]): Promise<void> {
  let release = db
    .updateTable('outbox')
    .set({ state: 'queued', locked_until: null, claim_token: null, attempts: sql`attempts - 1` })
    .where('claim_token', '=', token)
    .where('state', '=', 'sending');
  if (except.length > 0) release = release.where('id', 'not in', [...except]);
  await release.execute();
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

/** Messages not sent yet or given up, by state and channel (the /metrics outbox depth). */
export async function outboxDepth(db: Db): Promise<Array<{ state: string; channel: string; count: number }>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['state', 'channel', (eb) => eb.fn.countAll<string>().as('count')])
    .where('state', 'in', ['queued', 'sending', 'failed'])
    .groupBy(['state', 'channel'])
    .execute();
  return rows.map((r) => ({ state: r.state, channel: r.channel, count: Number(r.count) }));
}

/** Whether a month of the outbox still holds a message not yet sent (retention.ts keeps that month). */
export async function holdsUnsentMessages(db: Executor, partition: MonthPartition): Promise<boolean> {
  return partitionHolds(db, partition, sql`state in ('queued', 'sending')`);
}
