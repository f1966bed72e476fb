// Confirming an enterprise account: support has checked the enterprise's stamped letter (a request
// with wants 'confirm') and names the account it belongs to. A credit code is public, so until
// then an account only claims it: any number of unconfirmed accounts may name a code, and none of
// them keeps the real enterprise from registering. Confirming one voids every other live account
// naming the code (deregistered, its address told why and what to do), and from then on the code
// is refused at registration.
//
// Lock order: the credit code (an advisory lock a registration takes too), the enterprise rows of
// the code (in account order), then each account, the confirmed one first and then the others in
// account order. One transaction (the caller's).
import { AppError } from '../lib/errors.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { deregister, lockAccount, type Actor } from '../accounts/lifecycle.ts';
import { enterpriseAccountVoided } from '../notifications/templates/index.ts';
import * as q from './queries.ts';
import { releaseSocialBindings } from '../social/bindings.ts';

export async function confirmEnterpriseAccount(
  tx: Executor,
  deps: AccountDeps,
  input: { creditCode: string; accountId: string; actor: Actor & { kind: 'staff'; id: string } },
): Promise<{ voided: string[] }> {
  const now = deps.clock.now();
  await q.lockCreditCode(tx, input.creditCode);
  const rows = await q.lockEnterprisesOfCode(tx, input.creditCode);
  const mine = rows.find((r) => r.account_id === input.accountId);
  if (!mine) throw new AppError('console.enterprise_account_mismatch', { status: 409 });
  if (rows.some((r) => r.confirmed_at && r.account_id !== input.accountId)) throw new AppError('console.enterprise_already_confirmed', { status: 409 });
  const account = await lockAccount(tx, input.accountId);
  // Only an account someone activated can be the enterprise's: a pending sign-up proved no address.
  if (!account || account.state !== 'active') throw new AppError('console.enterprise_account_mismatch', { status: 409 });
  if (!mine.confirmed_at) await q.markConfirmed(tx, input.accountId, input.actor.id, now);
  const voided: string[] = [];
  for (const other of rows) {
    if (other.account_id === input.accountId) continue;
    const locked = await lockAccount(tx, other.account_id);
    if (!locked || locked.state === 'deregistered') continue;
    await deregister(tx, deps, locked, {
      reason: 'enterprise_code_confirmed',
      detail: { creditCode: input.creditCode, confirmedAccountId: input.accountId },
      actor: input.actor,
      notice: enterpriseAccountVoided(other.name),
    });
    await releaseSocialBindings(tx, deps, other.account_id);
    voided.push(other.account_id);
  }
  return { voided };
}
