// After DEREGISTERED_RETENTION_DAYS, a deregistered account's personal information is erased,
// whatever deregistered it (the person's own request, a resolution, support's wrong-number or
// enterprise case, a lapsed sign-up). Each owner erases its own part, in one transaction per
// account under the account's lock:
//   accounts/   the password hash, the released phone and email, the record of used addresses;
//   identity/   the name, the sealed number, its mask; the blind index replaced by random bytes;
//   sessions/   the IP and browser of each session;
//   resolution/ the ID photos sent for review;
//   privacy-export/ every copy of the account's data (下载个人信息);
//   audit/      the IP of each event.
// What stays is what happened: the account row and its state, account events, audit events with
// their actions, times and actors, the resolutions and reviews. Marked by
// accounts.personal_data_erased_at, so it runs once per account (two nodes: the second finds it done).
import { forgetAddressesOf, recordAudit } from '../audit/audit.ts';
import { erasePersonalData, lockAccount } from '../accounts/lifecycle.ts';
import { eraseIdentityOf } from '../identity/service.ts';
import { forgetSessionDevices } from '../sessions/service.ts';
import { deletePhotoFilesOf } from '../resolution/queries.ts';
import { deleteExportsOf } from '../privacy-export/queries.ts';
import type { LeavingDeps } from './deps.ts';
import * as q from './queries.ts';

/** Erases one account's personal information; false when it was not due or was erased already. */
export async function eraseAccount(deps: LeavingDeps, accountId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const account = await lockAccount(tx, accountId);
    const now = deps.clock.now();
    if (!account || account.state !== 'deregistered') return false;
    if (!(await erasePersonalData(tx, accountId, now))) return false;
    const identity = await eraseIdentityOf(tx, deps.identity, accountId);
    const sessions = await forgetSessionDevices(tx, accountId);
    const photos = await deletePhotoFilesOf(tx, accountId);
    const exports = await deleteExportsOf(tx, accountId);
    await forgetAddressesOf(tx, accountId);
    await recordAudit(tx, { action: 'leaving.erased', actor: { kind: 'system' }, accountId, detail: { identity, sessions, photos, exports }, at: now });
    return true;
  });
}

/** The timer's task: every deregistered account whose retention period is over. Answers how many were erased. */
export async function eraseDueAccounts(deps: LeavingDeps, limit = 100): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - deps.leaving.retentionMs);
  let erased = 0;
  const failures: unknown[] = [];
  for (const due of await q.dueForErasure(deps.db, before, limit)) {
    try {
      if (await eraseAccount(deps, due.id)) erased++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} account(s) could not be erased`);
  return erased;
}
