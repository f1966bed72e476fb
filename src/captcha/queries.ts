// SQL for captchas: a keyed hash of each answer, spent by the first try.
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

export async function deleteExpiredCaptchas(db: Executor, now: Date): Promise<number> {
  return Number((await db.deleteFrom('captchas').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
}
