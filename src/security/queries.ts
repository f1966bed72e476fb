// SQL for the rate-limit counters the database store keeps (rate-limiter-flexible's own table).
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';

/** Counters whose window has passed. */
export async function deleteLapsedCounters(db: Executor, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('expire', '<', sql<number>`${now.getTime()}`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
