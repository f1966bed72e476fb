// SQL for 注销帐号 asked by the person (self_deregistrations), and the look-ups its timers need.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import { noOpenCase } from '../resolution/open-case-queries.ts';

export async function insertRequest(db: Executor, row: { accountId: string; now: Date; dueAt: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('self_deregistrations')
    .values({ account_id: row.accountId, state: 'cooling_off', requested_at: row.now, due_at: row.dueAt })
    .onConflict((oc) => oc.column('account_id').where('state', '=', 'cooling_off').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function openRequestOf(db: Executor, accountId: string) {
  return db
    .selectFrom('self_deregistrations')
    .select(['id', 'requested_at', 'due_at'])
    .where('account_id', '=', accountId)
    .where('state', '=', 'cooling_off')
    .executeTakeFirst();
}

/** The request, locked, whatever its state (the caller re-checks it under the lock). */
export async function lockRequest(db: Executor, id: string) {
  return db.selectFrom('self_deregistrations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Closes a cooling-off request; false when it was closed already (by a cancel, or another runner). */
export async function closeRequest(db: Executor, id: string, state: 'cancelled' | 'completed', at: Date): Promise<boolean> {
  const row = await db
    .updateTable('self_deregistrations')
    .set(state === 'cancelled' ? { state, cancelled_at: at } : { state, completed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'cooling_off')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function dueRequests(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('self_deregistrations')
    .select(['id', 'account_id'])
    .where('state', '=', 'cooling_off')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/**
 * Deregistered accounts (whatever deregistered them) whose personal information is still there
 * and whose deregistration is older than `before` (the row's last change is the deregistration).
 * One party to an open case (a dispute, a 途径3 notice period) waits until it closes.
 */
export async function dueForErasure(db: Executor, before: Date, limit: number) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('state', '=', 'deregistered')
    .where('personal_data_erased_at', 'is', null)
    .where('updated_at', '<=', before)
    .where(noOpenCase(sql.ref('accounts.id')))
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

/** Platforms the account signed in to (a consent or a recorded use), by name. */
export async function platformsUsedBy(db: Executor, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('platform_usages')
    .select('platform')
    .distinct()
    .where('account_id', '=', accountId)
    .where('withdrawn_at', 'is', null)
    .orderBy('platform')
    .execute();
  return rows.map((r) => r.platform);
}

/** Whether the account's ID number is in an open duplicate-ID case (it owns or claims a disputed number). */
export async function inOpenCase(db: Executor, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('identities')
    .innerJoin('id_claims', 'id_claims.id_index', 'identities.id_index')
    .select('id_claims.state')
    .where('identities.account_id', '=', accountId)
    .executeTakeFirst();
  return row?.state === 'disputed';
}
