// SQL for a deregistered account's erasure (leaving/erasure.ts), over the tables of duplicate-ID
// resolution: what they hold of the person goes, what was decided stays.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import { noOpenCaseFor } from './open-case-queries.ts';

/** Whether the account is party to an open case (open-case-queries.ts): its erasure waits. */
export async function inOpenCase(db: Executor, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .where(sql<boolean>`not ${noOpenCaseFor(accountId)}`)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The number's blind index in the rows naming the account (resolutions it claimed or was
 * deregistered by, 途径3 cases it claimed, 途径4 tries it made) becomes `replacement`, the random
 * value its identity's index became: the freed number can no longer be linked to these rows.
 * Answers how many rows changed.
 */
export async function forgetNumberOf(db: Executor, accountId: string, index: Buffer, replacement: Buffer): Promise<number> {
  const resolutions = await db
    .updateTable('resolutions')
    .set({ id_index: replacement })
    .where('id_index', '=', index)
    .where((eb) => eb.or([eb('claimant_account_id', '=', accountId), sql<boolean>`${accountId}::uuid = any(deregistered_account_ids)`]))
    .returning('id')
    .execute();
  const holds = await db
    .updateTable('resolution_holds')
    .set({ id_index: replacement })
    .where('id_index', '=', index)
    .where('claimant_account_id', '=', accountId)
    .returning('id')
    .execute();
  const checks = await db.updateTable('record_checks').set({ id_index: replacement }).where('account_id', '=', accountId).returning('id').execute();
  return resolutions.length + holds.length + checks.length;
}

/** What the person wrote: the objection to another's 途径3 case, and the account's disputes (words, contact, address). */
export async function forgetWordsOf(db: Executor, accountId: string): Promise<{ objections: number; disputes: number }> {
  const objections = await db.updateTable('resolution_holds').set({ objection: '' }).where('objected_by', '=', accountId).returning('id').execute();
  const disputes = await db
    .updateTable('deregistration_disputes')
    .set({ what_happened: '', contact: '', ip: null })
    .where('account_id', '=', accountId)
    .returning('id')
    .execute();
  return { objections: objections.length, disputes: disputes.length };
}

/** Liveness checks (途径1) of the account, pending or finished: the provider's result goes, the verdict stays. */
export async function eraseLivenessOf(db: Executor, accountId: string, at: Date): Promise<number> {
  const rows = await db
    .updateTable('liveness_sessions')
    .set({ reason: null, erased_at: at })
    .where('account_id', '=', accountId)
    .where('erased_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}
