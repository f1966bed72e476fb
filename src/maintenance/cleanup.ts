// Deletes what has no use any more: spent or expired captchas, codes and link tokens, ended
// sessions, old password-reset requests, lapsed rate-limit counters. Audit events and the record of used addresses stay.
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { DAY } from '../lib/clock.ts';

/** Kept a while after they end, so support can still see a recent code or session. */
const GRACE_MS = 30 * DAY;

export async function deleteExpired(db: Db, clock: Clock): Promise<Record<string, number>> {
  const now = clock.now();
  const old = new Date(now.getTime() - GRACE_MS);
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return {
    captchas: count(await db.deleteFrom('captchas').where('expires_at', '<', now).executeTakeFirst()),
    codes: count(await db.deleteFrom('verification_codes').where('expires_at', '<', old).executeTakeFirst()),
    linkTokens: count(await db.deleteFrom('link_tokens').where('expires_at', '<', old).executeTakeFirst()),
    sessions: count(
      await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', old), eb('revoked_at', '<', old)]))
        .executeTakeFirst(),
    ),
    staffSessions: count(
      await db
        .deleteFrom('staff_sessions')
        .where((eb) => eb.or([eb('expires_at', '<', old), eb('revoked_at', '<', old)]))
        .executeTakeFirst(),
    ),
    passwordResets: count(await db.deleteFrom('password_resets').where('expires_at', '<', old).executeTakeFirst()),
    rateLimits: count(
      await db
        .deleteFrom('rate_limits')
        .where('expire', '<', sql<number>`${now.getTime()}`)
        .executeTakeFirst(),
    ),
  };
}

/** Runs the clean-up every `intervalMs` until stopped. */
export function scheduleCleanup(db: Db, clock: Clock, intervalMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => {
    deleteExpired(db, clock).catch(onError);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
