// Registrations never activated are removed UNACTIVATED_RETENTION_DAYS after they were made (the
// activation link lives 24 hours, so nobody can still activate one): the account row, the record
// of its address's use, its activation links, any reset request that named it and, for an
// enterprise sign-up, its enterprise details. The address and phone are free for a new
// registration afterwards. Each removal is one transaction that locks the account and re-checks
// that it still waits (an activation racing it wins or waits), through each owning module's
// queries. The audit trail keeps the events that name the account id, without the addresses they
// came from, and one more saying it was removed; they leave with their month (audit/retention.ts).
import type { Db } from '../db/client.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import { forgetAddressesOf, recordAudit } from '../audit/audit.ts';
import { deleteUnactivated, lockUnactivated, unactivatedBefore } from '../accounts/queries.ts';
import { deleteLinkTokensOfAccount } from '../verification/queries.ts';
import { deleteResetsOfAccount } from '../recovery/queries.ts';
import { deleteEnterprise } from '../enterprise/queries.ts';

const BATCH = 500;

export interface RemovalLog {
  warn(obj: object, msg: string): void;
}

export async function removeUnactivated(db: Db, now: Date, retentionMs: number, log?: RemovalLog): Promise<number> {
  const before = new Date(now.getTime() - retentionMs);
  let removed = 0;
  for (const { id } of await unactivatedBefore(db, before, BATCH)) {
    try {
      const done = await db.transaction().execute(async (tx) => {
        const account = await lockUnactivated(tx, id, before);
        if (!account) return false;
        await deleteLinkTokensOfAccount(tx, id);
        await deleteResetsOfAccount(tx, id);
        if (account.kind === 'enterprise') await deleteEnterprise(tx, id);
        if (!(await deleteUnactivated(tx, id))) return false;
        // Its events stay for their month, but not the addresses it registered from.
        await forgetAddressesOf(tx, id);
        await recordAudit(tx, {
          action: 'account.unactivated_removed',
          actor: { kind: 'system' },
          accountId: id,
          detail: { via: account.registered_via, kind: account.kind, registeredAt: account.created_at.toISOString() },
          at: now,
        });
        return true;
      });
      if (done) removed++;
    } catch (error) {
      // Something else came to point at it (a row this removal does not know): keep the account
      // and say so, rather than stop the rest of the clean-up.
      if (!isForeignKeyViolation(error)) throw error;
      log?.warn({ accountId: id, err: (error as Error).message }, 'unactivated registration kept: another row refers to it');
    }
  }
  return removed;
}
