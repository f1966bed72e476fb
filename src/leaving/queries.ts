// SQL for 注销帐号 asked by the person (self_deregistrations), and the look-ups its timers need.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import { noOpenCase, numberUnderDispute as disputed } from '../resolution/open-case-queries.ts';

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
  return (
    db
      .selectFrom('self_deregistrations')
      .select(['id', 'account_id'])
      .where('state', '=', 'cooling_off')
      .where('due_at', '<=', now)
      // Requests already told that they wait go last, so that they cannot hold up the others.
      .orderBy(sql`waiting_told_at is not null`)
      .orderBy('due_at')
      .limit(limit)
      .execute()
  );
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

/**
 * Whether what decides who holds the account's ID number is still open in a way its leaving would
 * pre-empt: someone deregistered over the number disputes it (support may give it back). Other
 * steps — another holder's photo review or notice period, its own — hold nobody up: the number
 * is handed on when the account goes (resolution/number-handover.ts), and a claimant's own steps
 * end with it, so nobody can keep another from leaving by starting them over and over.
 */
export async function numberUnderDispute(db: Executor, accountId: string): Promise<boolean> {
  const row = await sql<{ open: boolean }>`select ${disputed(sql`${accountId}::uuid`)} as open`.execute(db);
  return row.rows[0]?.open === true;
}

/** Whether another live account is registered with the account's ID number (owner or claimant). */
export async function othersHoldNumber(db: Executor, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('identities as mine')
    .innerJoin('identities as other', 'other.id_index', 'mine.id_index')
    .innerJoin('accounts', 'accounts.id', 'other.account_id')
    .select('other.account_id')
    .where('mine.account_id', '=', accountId)
    .where('other.account_id', '<>', accountId)
    .where('accounts.state', '<>', 'deregistered')
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks that the person was told a due request waits; false when they had been told already. */
export async function markWaitingTold(db: Executor, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('self_deregistrations')
    .set({ waiting_told_at: at })
    .where('id', '=', id)
    .where('waiting_told_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A request that waited goes on: due again at `dueAt`, and told again should it wait once more. */
export async function resumeAfterWait(db: Executor, id: string, dueAt: Date): Promise<void> {
  await db.updateTable('self_deregistrations').set({ due_at: dueAt, waiting_told_at: null }).where('id', '=', id).where('state', '=', 'cooling_off').execute();
}
