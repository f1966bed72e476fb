// What real-name information means for an account. The identity and the claim on its number are
// identity's (identity/service.ts, identity/claims.ts); here the account follows: one that
// disputed someone's number becomes a claimant, and an owner is bound to its real name by a
// proved mobile number (mainland numbers are themselves registered to a real name, which an
// email address is not) or by a classmate who has been.
import type { Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { storeIdentity, type CheckedIdentity, type IdentityDeps, type SaveOutcome } from '../identity/service.ts';
import { becomeClaimant } from './lifecycle.ts';
import * as q from './queries.ts';
import { recordSensitiveConsent } from '../consent/service.ts';

export type RealnameBinding = 'phone' | 'classmate';

/** Saves the account's 基本信息 in the caller's transaction. `provedPhone`: bind at once when it owns the number. */
export async function saveRealName(
  tx: Executor,
  deps: { identity: IdentityDeps; clock: Clock },
  accountId: string,
  checked: CheckedIdentity,
  meta: { ip: string | null; provedPhone: boolean },
): Promise<SaveOutcome> {
  // An enterprise has no person's real name to give.
  if ((await q.kindOf(tx, accountId)) === 'enterprise') throw new AppError('identity.enterprise_account', { status: 409 });
  const now = deps.clock.now();
  // Every caller parsed the fields with identityInput, whose agreeSensitive tick is required. The
  // consent names who receives the name and number for the registry check, as the form did.
  const operator = deps.identity.verifier.operator;
  await recordSensitiveConsent(tx, accountId, 'id_number', { ip: meta.ip, at: now }, operator ? { operator } : undefined);
  const outcome = await storeIdentity(tx, deps.identity, accountId, checked, { ip: meta.ip });
  // A claimant binds only after the duplicate is resolved.
  if (outcome === 'claimant') await becomeClaimant(tx, accountId, now);
  else if (meta.provedPhone) await q.markRealnameBound(tx, accountId, 'phone', now);
  return outcome;
}

/** Real-name binding, once: the first way it was bound is the one kept. */
export async function bindRealName(tx: Executor, accountId: string, via: RealnameBinding, now: Date): Promise<void> {
  await q.markRealnameBound(tx, accountId, via, now);
}
