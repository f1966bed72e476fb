// SQL for captchas: a keyed hash of each picture's answer, spent by the first try; and each solved
// proof of work, recorded spent under its nonce (answer_hash empty) so it serves once.
import type { Executor } from '../db/client.ts';

export async function insertCaptcha(db: Executor, row: { id: string; answerHash: Buffer; expiresAt: Date }): Promise<void> {
  await db.insertInto('captchas').values({ id: row.id, answer_hash: row.answerHash, expires_at: row.expiresAt, consumed_at: null }).execute();
}

/** Spends the captcha if it is open, answering its stored hash (undefined when spent, expired or unknown). */
export async function spendCaptcha(db: Executor, id: string, now: Date): Promise<Buffer | undefined> {
  const row = await db
    .updateTable('captchas')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('answer_hash')
    .executeTakeFirst();
  return row && Buffer.from(row.answer_hash);
}

/** Records a proof of work's nonce as spent; false when it was spent before (a replay). */
export async function spendNonce(db: Executor, nonce: string, expiresAt: Date, now: Date): Promise<boolean> {
  const id = `${nonce.slice(0, 8)}-${nonce.slice(8, 12)}-${nonce.slice(12, 16)}-${nonce.slice(16, 20)}-${nonce.slice(20, 32)}`;
  const row = await db
    .insertInto('captchas')
    .values({ id, answer_hash: Buffer.alloc(0), expires_at: expiresAt, consumed_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteExpiredCaptchas(db: Executor, now: Date): Promise<number> {
  return Number((await db.deleteFrom('captchas').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
}
