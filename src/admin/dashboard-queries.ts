// SQL for the console's overview: counts aggregated in the database, returned as plain numbers
// (PostgreSQL sends count() as a string, PGlite as a number; Number() settles both).
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { OutboxChannel, OutboxState, ResolutionPath } from '../db/schema.ts';

/** A Beijing calendar day as text ('YYYY-MM-DD'), so neither driver turns it into a Date at UTC midnight. */
const beijingDay = sql<string>`to_char((created_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD')`;

/** Registrations per Beijing day since `since`; days without any are absent. */
export async function registrationsByDay(db: Executor, since: Date): Promise<Array<{ day: string; count: number }>> {
  const rows = await db
    .selectFrom('accounts')
    .select([beijingDay.as('day'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('created_at', '>=', since)
    .groupBy(beijingDay)
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}

/** When each waiting photo review was submitted; the working-day arithmetic is done in JS. */
export async function pendingReviewTimes(db: Executor): Promise<Date[]> {
  const rows = await db.selectFrom('photo_reviews').select('submitted_at').where('state', '=', 'pending').execute();
  return rows.map((r) => r.submitted_at);
}

export async function resolutionsByPath(db: Executor, since: Date): Promise<Array<{ path: ResolutionPath; count: number }>> {
  const rows = await db
    .selectFrom('resolutions')
    .select(['path', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('passed_at', '>=', since)
    .groupBy('path')
    .execute();
  return rows.map((r) => ({ path: r.path, count: Number(r.n) }));
}

export async function messagesByChannelAndState(db: Executor, since: Date): Promise<Array<{ channel: OutboxChannel; state: OutboxState; count: number }>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['channel', 'state', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('created_at', '>=', since)
    .groupBy(['channel', 'state'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, state: r.state, count: Number(r.n) }));
}
