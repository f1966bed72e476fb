// What the left-hand account menu needs to know beyond the session: whether the person has a photo
// review (证件重复-客服审核) and whether a classmate request concerns them (证件重复-用户协助).
// Read-only looks at tables other modules own (resolution's photo_reviews, the inbox's items).
import type { Executor } from '../db/client.ts';

export async function hasPhotoReview(db: Executor, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('photo_reviews').select('id').where('account_id', '=', accountId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether the account sent a request of this kind, or has one waiting for its answer. */
export async function classmateRequestsOf(db: Executor, accountId: string, kind: string, now: Date): Promise<{ sent: boolean; toAnswer: boolean }> {
  const [sent, toAnswer] = await Promise.all([
    db.selectFrom('inbox_items').select('id').where('sender_account_id', '=', accountId).where('kind', '=', kind).limit(1).executeTakeFirst(),
    db
      .selectFrom('inbox_items')
      .select('id')
      .where('recipient_account_id', '=', accountId)
      .where('kind', '=', kind)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { sent: sent !== undefined, toAnswer: toAnswer !== undefined };
}
