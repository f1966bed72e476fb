// SQL for inbox items.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import { countUnread, setUnread } from '../accounts/queries.ts';

export async function insertItem(
  db: Executor,
  row: {
    recipientId: string;
    senderId: string | null;
    kind: string;
    payload: Record<string, unknown>;
    state: 'pending' | 'notice';
    now: Date;
    expiresAt: Date | null;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('inbox_items')
    .values({
      recipient_account_id: row.recipientId,
      sender_account_id: row.senderId,
      kind: row.kind,
      payload: JSON.stringify(row.payload),
      state: row.state,
      read_at: null,
      created_at: row.now,
      expires_at: row.expiresAt,
      decided_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await countUnread(db, row.recipientId);
  return inserted.id;
}

export async function listForRecipient(db: Executor, accountId: string, limit = 50) {
  return db.selectFrom('inbox_items').selectAll().where('recipient_account_id', '=', accountId).orderBy('created_at', 'desc').limit(limit).execute();
}

/** Marks every item read; returns what is still open (the header's new count). */
export async function markAllRead(db: Executor, accountId: string, at: Date): Promise<number> {
  await db.updateTable('inbox_items').set({ read_at: at }).where('recipient_account_id', '=', accountId).where('read_at', 'is', null).execute();
  return recountOpen(db, accountId, at);
}

/**
 * What the header counts: requests waiting for an answer (not decided, not expired) and notices
 * not yet read. Written on the account when the inbox is opened or a request decided.
 */
export async function recountOpen(db: Executor, accountId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('inbox_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'pending'), eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])]),
        eb.and([eb('state', '=', 'notice'), eb('read_at', 'is', null)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  const count = Number(row.n);
  await setUnread(db, accountId, count);
  return count;
}

export async function findForRecipientForUpdate(db: Executor, id: string, accountId: string) {
  return db.selectFrom('inbox_items').selectAll().where('id', '=', id).where('recipient_account_id', '=', accountId).forUpdate().executeTakeFirst();
}

export async function decide(db: Executor, id: string, state: 'accepted' | 'declined', at: Date): Promise<void> {
  await db.updateTable('inbox_items').set({ state, decided_at: at, read_at: at }).where('id', '=', id).execute();
}

export async function latestSentBy(db: Executor, senderId: string, kind: string) {
  return db
    .selectFrom('inbox_items')
    .selectAll()
    .where('sender_account_id', '=', senderId)
    .where('kind', '=', kind)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Requests of one kind accepted so far, sent by or to an account (since a moment, when given). */
export async function countAccepted(db: Executor, kind: string, where: { senderId?: string; recipientId?: string }, since?: Date): Promise<number> {
  let query = db
    .selectFrom('inbox_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', kind)
    .where('state', '=', 'accepted');
  if (where.senderId) query = query.where('sender_account_id', '=', where.senderId);
  if (where.recipientId) query = query.where('recipient_account_id', '=', where.recipientId);
  if (since) query = query.where('decided_at', '>', since);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Requests of a kind a sender had accepted (since `since`), with who accepted them: what staff compare. */
export async function acceptedFrom(db: Executor, kind: string, senderId: string, since?: Date) {
  let query = db
    .selectFrom('inbox_items')
    .innerJoin('accounts', 'accounts.id', 'inbox_items.recipient_account_id')
    .leftJoin('identities', 'identities.account_id', 'inbox_items.recipient_account_id')
    .select([
      'inbox_items.recipient_account_id as account_id',
      'inbox_items.decided_at',
      'inbox_items.payload',
      'accounts.registered_via',
      'accounts.phone',
      'accounts.email',
      'identities.name',
    ])
    .where('inbox_items.sender_account_id', '=', senderId)
    .where('inbox_items.kind', '=', kind)
    .where('inbox_items.state', '=', 'accepted')
    .orderBy('inbox_items.decided_at');
  if (since) query = query.where('inbox_items.decided_at', '>', since);
  return query.execute();
}

/** Payload fields in which a sender's request names or describes the sender (classmate binding, 途径3 vouch: their school and years too). */
const SENDER_NAMED = ['requesterName', 'contact', 'ownPhoneMasked', 'school', 'years'];

/**
 * A deregistered account's retention is over: the requests it sent, in other people's inboxes,
 * stop naming it (the name and its masked contacts blanked, kept as empty text so the item still
 * renders). The items stay with their answers, which count for the cases they belong to.
 */
export async function forgetSenderOf(db: Executor, senderId: string): Promise<number> {
  const keys = sql`${sql.val(SENDER_NAMED)}::text[]`;
  const rows = await db
    .updateTable('inbox_items')
    .set({ payload: sql<string>`payload || (select jsonb_object_agg(k, '""'::jsonb) from jsonb_object_keys(payload) as k where k = any(${keys}))` })
    .where('sender_account_id', '=', senderId)
    .where(sql<boolean>`payload ?| ${keys}`)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Requests of one kind an account sent that nobody answered yet lapse (the account left, or no
 * longer needs them). A request someone is answering at this moment is skipped, not waited for:
 * its answer holds the item's lock and waits for the claim lock its caller holds (decide, then
 * the kind's onAccept), so waiting would deadlock; that answer finds the account settled and is
 * refused (resolution/classmate-path.ts), and the item lapses at its own expiry.
 */
export async function expirePendingFrom(db: Executor, senderId: string, kind: string, at: Date): Promise<number> {
  const free = db
    .selectFrom('inbox_items')
    .select('id')
    .where('sender_account_id', '=', senderId)
    .where('kind', '=', kind)
    .where('state', '=', 'pending')
    .forUpdate()
    .skipLocked();
  const rows = await db.updateTable('inbox_items').set({ state: 'expired', decided_at: at }).where('id', 'in', free).returning('id').execute();
  return rows.length;
}
