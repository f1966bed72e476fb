// SQL for ID-number claims (claims.ts): one row per blind index, naming its owner.
import type { Executor } from '../db/client.ts';

/** Creates the claim when the number is free; then returns it locked, whoever created it. */
export async function claimForUpdate(db: Executor, index: Buffer, accountId: string, now: Date) {
  await db
    .insertInto('id_claims')
    .values({ id_index: index, state: 'registered', owner_account_id: accountId, updated_at: now })
    .onConflict((oc) => oc.column('id_index').doNothing())
    .execute();
  return db.selectFrom('id_claims').selectAll().where('id_index', '=', index).forUpdate().executeTakeFirstOrThrow();
}

export async function lockClaim(db: Executor, index: Buffer) {
  return db.selectFrom('id_claims').selectAll().where('id_index', '=', index).forUpdate().executeTakeFirst();
}

export type Claim = NonNullable<Awaited<ReturnType<typeof lockClaim>>>;

export async function findClaim(db: Executor, index: Buffer) {
  return db.selectFrom('id_claims').selectAll().where('id_index', '=', index).executeTakeFirst();
}

export async function setClaim(db: Executor, index: Buffer, state: Claim['state'], ownerId: string, now: Date): Promise<void> {
  await db.updateTable('id_claims').set({ state, owner_account_id: ownerId, updated_at: now }).where('id_index', '=', index).execute();
}

export async function markDisputed(db: Executor, index: Buffer, now: Date): Promise<void> {
  await db.updateTable('id_claims').set({ state: 'disputed', updated_at: now }).where('id_index', '=', index).execute();
}

export async function deleteClaim(db: Executor, index: Buffer): Promise<void> {
  await db.deleteFrom('id_claims').where('id_index', '=', index).execute();
}
