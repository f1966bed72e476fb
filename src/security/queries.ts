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

/**
 * One step of a batch, on a counter kept as rate-limiter-flexible's Postgres store keeps it (key
 * `tx:<limit>:<hashed key>`, points, expire in ms), so that batched and single calls share rows.
 */
export interface CounterStep {
  /** check: read only; consume and count: one point (consume refuses past `points`, count never). */
  kind: 'check' | 'consume' | 'count';
  key: string;
  points: number;
  durationMs: number;
  /** > 0: crossing `points` blocks the key this long, as the store's blockDuration does. */
  blockMs: number;
}

export interface CounterRow {
  step: number;
  points: number;
  expire: number | null;
}

/**
 * The steps in one statement, in order as if sent one by one: each runs only when every step
 * before it let the request through (a check over its limit or a refused consume stops the rest),
 * so nothing is spent after a refusal, as before. Each step's row comes back (none for steps that
 * did not run, nor for a check of an absent counter). The upserts are the store's own
 * (RateLimiterPostgres._upsert), with its block folded in: the point that crosses the limit sets
 * the block's expiry, where the store sends a second statement.
 */
export async function spendCounters(db: Executor, steps: CounterStep[], now: number): Promise<CounterRow[]> {
  const at = sql`${now}::bigint`;
  const ctes = [sql`g0 AS (SELECT true AS ok)`];
  const rows = steps.map((step, i) => {
    const before = sql.ref(`g${i}`);
    const row = sql.ref(`s${i + 1}`);
    const gate = sql.ref(`g${i + 1}`);
    const limit = sql`${step.points}::int`;
    if (step.kind === 'check') {
      ctes.push(
        sql`${row} AS (SELECT points, expire FROM rate_limits WHERE key = ${step.key} AND (expire > ${at} OR expire IS NULL) AND (SELECT ok FROM ${before}))`,
        sql`${gate} AS (SELECT (SELECT ok FROM ${before}) AND coalesce((SELECT points FROM ${row}) <= ${limit}, true) AS ok)`,
      );
    } else {
      const fresh = sql`${at} + ${step.durationMs}::bigint`;
      ctes.push(
        sql`${row} AS (
          INSERT INTO rate_limits AS r (key, points, expire) SELECT ${step.key}, 1, ${fresh} WHERE (SELECT ok FROM ${before})
          ON CONFLICT (key) DO UPDATE SET
            points = CASE WHEN r.expire <= ${at} THEN 1 ELSE r.points + 1 END,
            expire = CASE
              WHEN r.expire <= ${at} THEN ${fresh}
              WHEN ${step.blockMs}::bigint > 0 AND r.points = ${limit} THEN ${at} + ${step.blockMs}::bigint
              ELSE r.expire
            END
          RETURNING points, expire)`,
        step.kind === 'consume'
          ? sql`${gate} AS (SELECT (SELECT ok FROM ${before}) AND coalesce((SELECT points FROM ${row}) <= ${limit}, true) AS ok)`
          : sql`${gate} AS (SELECT ok FROM ${before})`,
      );
    }
    return sql`SELECT ${i}::int AS step, points, expire FROM ${row}`;
  });
  const result = await sql<{
    step: number;
    points: number;
    expire: string | number | null;
  }>`WITH ${sql.join(ctes)} ${sql.join(rows, sql` UNION ALL `)}`.execute(db);
  return result.rows.map((r) => ({ step: r.step, points: r.points, expire: r.expire === null ? null : Number(r.expire) }));
}

/** Gives one point back on each of `refunds` and deletes `resets`, in one statement (the store's reward and delete). */
export async function settleCounters(db: Executor, refunds: Array<{ key: string; durationMs: number }>, resets: string[], now: number): Promise<void> {
  const at = sql`${now}::bigint`;
  const ctes = refunds.map((refund, i) => {
    const fresh = sql`${at} + ${refund.durationMs}::bigint`;
    return sql`${sql.ref(`r${i}`)} AS (
      INSERT INTO rate_limits AS r (key, points, expire) VALUES (${refund.key}, -1, ${fresh})
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN r.expire <= ${at} THEN -1 ELSE r.points - 1 END,
        expire = CASE WHEN r.expire <= ${at} THEN ${fresh} ELSE r.expire END
      RETURNING 1 AS one)`;
  });
  if (resets.length) ctes.push(sql`d AS (DELETE FROM rate_limits WHERE key IN (${sql.join(resets)}) RETURNING 1 AS one)`);
  if (!ctes.length) return;
  // Data-modifying CTEs run whether or not the final SELECT reads them.
  await sql`WITH ${sql.join(ctes)} SELECT 1`.execute(db);
}
