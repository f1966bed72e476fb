// Who holds an ID number. One row per number (its blind index), in one of two states:
//
//   (no row: free) ──claim──▶ registered (one owner)
//                              │  ▲
//               dispute        │  │ makeOwner (a path passed; or support settled a wrong number
//   (我要重新注册 by another)  ▼  │             and one holder is left)
//                             disputed (the owner and one or more claimants)
//
// Support reversing a wrongful deregistration (resolution/reversal.ts) gives the number back to
// the earlier owner (returnToOwner), disputed while anyone else holds it, or brings a holder back
// as a claimant (returnAsClaimant).
//
// A wrong number (情况三) that support settles leaves the number free when nobody else holds it,
// registered to the one holder left, or disputed in the name of the earliest of several.
//
// This row is the first lock of everything that decides who holds a number (saving real-name
// information, every resolution path, support's wrong-number case): with one order for everyone,
// decisions about the same number queue instead of deadlocking. The accounts come after it (see
// accounts/lifecycle.ts for the full order).
import type { Executor } from '../db/client.ts';
import * as q from './claim-queries.ts';
import { identityIndexOf } from './queries.ts';

export type { Claim } from './claim-queries.ts';

/** The number's claim, created for `accountId` when the number is free, locked. */
export const claimNumber = q.claimForUpdate;

/** Another account claims a registered number (我要重新注册). */
export const disputeClaim = q.markDisputed;

export const findClaim = q.findClaim;
export const lockClaim = q.lockClaim;

/**
 * Locks the claim of the account's ID number and returns the number's index (none when the
 * account holds no number). Anything that may decide who holds a number takes this lock first.
 */
export async function lockClaimOfAccount(tx: Executor, accountId: string): Promise<Buffer | undefined> {
  const identity = await identityIndexOf(tx, accountId);
  if (!identity) return undefined;
  const index = Buffer.from(identity.id_index);
  await q.lockClaim(tx, index);
  return index;
}

/** The number is the account's alone now. */
export async function makeOwner(tx: Executor, index: Buffer, accountId: string, now: Date): Promise<void> {
  await q.setClaim(tx, index, 'registered', accountId, now);
}

/**
 * Support reversed a resolution: the number is the earlier owner's again, disputed while the
 * claimant it had been given to still claims it. (The row is made again if support's wrong-number
 * case freed the number meanwhile.)
 */
export async function returnToOwner(tx: Executor, index: Buffer, ownerId: string, stillClaimed: boolean, now: Date): Promise<void> {
  await q.claimForUpdate(tx, index, ownerId, now);
  await q.setClaim(tx, index, stillClaimed ? 'disputed' : 'registered', ownerId, now);
}

/**
 * A holder comes back as a claimant (a reversed deregistration where it did not own the number,
 * or someone else has proved it since): the number is disputed again, in its owner's name (in
 * this account's when the number had been freed meanwhile).
 */
export async function returnAsClaimant(tx: Executor, index: Buffer, accountId: string, now: Date): Promise<void> {
  await q.claimForUpdate(tx, index, accountId, now);
  await q.markDisputed(tx, index, now);
}

/**
 * Support found that `wrongAccountId` registered with a number that is not the person's; the
 * account is being deregistered. What becomes of the number depends on who else holds it
 * (`remaining`, locked, in id order): nobody — it is free again; one — it is theirs (returned as
 * `heir`); several — it stays disputed, in the name of the earliest when the wrong one owned it.
 */
export async function settleWrongNumber(
  tx: Executor,
  index: Buffer,
  claim: q.Claim | undefined,
  wrongAccountId: string,
  remaining: ReadonlyArray<{ id: string }>,
  now: Date,
): Promise<{ heir: string | undefined }> {
  if (!claim) return { heir: undefined };
  if (remaining.length === 0) {
    await q.deleteClaim(tx, index);
    return { heir: undefined };
  }
  if (remaining.length === 1) {
    await makeOwner(tx, index, remaining[0]!.id, now);
    return { heir: remaining[0]!.id };
  }
  if (claim.owner_account_id === wrongAccountId) await q.setClaim(tx, index, 'disputed', remaining[0]!.id, now);
  return { heir: undefined };
}
