// SQL for support requests and their messages (tables owned by this module).
import type { Db, Executor } from '../db/client.ts';
import type { SupportRequestState } from '../db/schema.ts';

export interface NewRequest {
  reference: string;
  accountId: string | null;
  contactChannel: 'phone' | 'email' | null;
  contact: string | null;
  category: string;
  source: 'form' | 'assistant';
  now: Date;
}

export async function insertRequest(tx: Executor, r: NewRequest): Promise<string> {
  const row = await tx
    .insertInto('support_requests')
    .values({
      reference: r.reference,
      account_id: r.accountId,
      contact_channel: r.contactChannel,
      contact: r.contact,
      category: r.category,
      source: r.source,
      state: 'open',
      waiting_since: r.now,
      created_at: r.now,
      updated_at: r.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface NewMessage {
  requestId: string;
  author: 'person' | 'staff';
  staffUsername: string | null;
  body: string;
  now: Date;
}

export async function insertMessage(tx: Executor, m: NewMessage): Promise<string> {
  const row = await tx
    .insertInto('support_messages')
    .values({
      request_id: m.requestId,
      author: m.author,
      staff_username: m.staffUsername,
      body: m.body,
      image_type: null,
      image_key_id: null,
      image_cipher: null,
      created_at: m.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const REQUEST_COLUMNS = [
  'id',
  'reference',
  'account_id',
  'contact_channel',
  'contact',
  'category',
  'source',
  'state',
  'waiting_since',
  'created_at',
  'updated_at',
  'claimed_by',
  'claimed_at',
  'closed_at',
  'closed_by',
] as const;

export const requestById = (db: Executor, id: string) => db.selectFrom('support_requests').select(REQUEST_COLUMNS).where('id', '=', id).executeTakeFirst();

/** Any request by its reference, in whatever state (staff find one a person quotes). */
export const requestIdByReference = (db: Executor, reference: string) =>
  db.selectFrom('support_requests').select('id').where('reference', '=', reference).executeTakeFirst();

export const lockRequest = (tx: Executor, id: string) =>
  tx.selectFrom('support_requests').select(REQUEST_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();

export const requestOfAccount = (db: Executor, accountId: string, reference: string) =>
  db.selectFrom('support_requests').select(REQUEST_COLUMNS).where('account_id', '=', accountId).where('reference', '=', reference).executeTakeFirst();

export const requestsOfAccount = (db: Db, accountId: string) =>
  db.selectFrom('support_requests').select(REQUEST_COLUMNS).where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(100).execute();

/** Waiting for staff, longest-waiting first. */
export const openRequests = (db: Db, limit: number) =>
  db.selectFrom('support_requests').select(REQUEST_COLUMNS).where('state', '=', 'open').orderBy('waiting_since', 'asc').orderBy('id').limit(limit).execute();

/** The first line of each request (its question), for the queue and the person's list. */
export async function firstMessages(db: Db, requestIds: string[]): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('support_messages')
    .select(['request_id', 'body'])
    .distinctOn('request_id')
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('created_at', 'asc')
    .execute();
  return new Map(rows.map((r) => [r.request_id, r.body]));
}

export const messagesOf = (db: Executor, requestId: string) =>
  db
    .selectFrom('support_messages')
    .select(['id', 'author', 'staff_username', 'body', 'image_type', 'created_at'])
    .where('request_id', '=', requestId)
    .orderBy('created_at', 'asc')
    .orderBy('id')
    .execute();

export const imageOf = (db: Db, requestId: string, messageId: string) =>
  db
    .selectFrom('support_messages')
    .select(['image_type', 'image_key_id', 'image_cipher'])
    .where('request_id', '=', requestId)
    .where('id', '=', messageId)
    .executeTakeFirst();

/** Takes a request that is not closed and free (or lapsed, or already this staff member's). */
export async function claim(db: Db, id: string, username: string, now: Date, lapsedBefore: Date): Promise<boolean> {
  const result = await db
    .updateTable('support_requests')
    .set({ claimed_by: username, claimed_at: now })
    .where('id', '=', id)
    .where('state', '!=', 'closed')
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_at', '<', lapsedBefore), eb('claimed_by', '=', username)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setState(
  tx: Executor,
  id: string,
  change: { state: SupportRequestState; now: Date; waitingSince?: Date; closedBy?: string; claimedAt?: Date },
): Promise<void> {
  await tx
    .updateTable('support_requests')
    .set({
      state: change.state,
      updated_at: change.now,
      ...(change.waitingSince ? { waiting_since: change.waitingSince } : {}),
      ...(change.state === 'closed' ? { closed_at: change.now, closed_by: change.closedBy ?? null } : { closed_at: null, closed_by: null }),
      ...(change.claimedAt ? { claimed_at: change.claimedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The image is sealed under the message's id, so it joins the row once the row has one. */
export async function attachImage(tx: Executor, messageId: string, image: { type: string; keyId: string; cipher: Buffer }): Promise<void> {
  await tx
    .updateTable('support_messages')
    .set({ image_type: image.type, image_key_id: image.keyId, image_cipher: image.cipher })
    .where('id', '=', messageId)
    .execute();
}

/** A new link for an anonymous requester to read answers by; the previous one stops working. */
export async function setFollowToken(tx: Executor, id: string, tokenHash: Buffer, expiresAt: Date): Promise<void> {
  await tx.updateTable('support_requests').set({ follow_token_hash: tokenHash, follow_expires_at: expiresAt }).where('id', '=', id).execute();
}

export const requestByFollowToken = (db: Executor, tokenHash: Buffer, now: Date) =>
  db
    .selectFrom('support_requests')
    .select(REQUEST_COLUMNS)
    .where('follow_token_hash', '=', tokenHash)
    .where('follow_expires_at', '>', now)
    .where('account_id', 'is', null)
    .executeTakeFirst();

/**
 * A deregistered account's retention is over: what its requests say goes (every message's words
 * and image, the person's and staff's alike, since a reply quotes the person), and the channel
 * replies went by. The requests stay, with their reference, category, state and times.
 */
export async function eraseRequestsOf(db: Executor, accountId: string): Promise<number> {
  const requests = db.selectFrom('support_requests').select('id').where('account_id', '=', accountId);
  const messages = await db
    .updateTable('support_messages')
    .set({ body: '', image_type: null, image_key_id: null, image_cipher: null })
    .where('request_id', 'in', requests)
    .returning('id')
    .execute();
  await db.updateTable('support_requests').set({ contact_channel: null, contact: null }).where('account_id', '=', accountId).execute();
  return messages.length;
}

/**
 * Requests filed without an account, closed or answered before `before`: deleted whole (their
 * messages and images go by cascade). Nothing else refers to a request, and without an account
 * there is nobody to keep a record for; the contact cannot be blanked alone (a request without an
 * account must say where replies go). Answers the ids removed.
 */
export async function deleteSettledAnonymousBefore(db: Executor, before: Date, limit: number): Promise<string[]> {
  const due = db
    .selectFrom('support_requests')
    .select('id')
    .where('account_id', 'is', null)
    .where('state', 'in', ['closed', 'answered'])
    .where('updated_at', '<', before)
    .limit(limit);
  const rows = await db.deleteFrom('support_requests').where('id', 'in', due).returning('id').execute();
  return rows.map((r) => r.id);
}
