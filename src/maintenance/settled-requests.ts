// Requests from people the service holds no account for are kept a while after they are settled,
// then deleted (issue 19 §4): a support request filed without signing in (its contact, its words,
// its images, which may show an ID card) SUPPORT_REQUEST_RETENTION_DAYS after it was closed or answered,
// and an enterprise look-up request no account was matched to (the contact person's name, phone,
// email, address and the stamped letter) ENTERPRISE_REQUEST_RETENTION_DAYS after it was handled.
// Requests tied to an account stay with it and go by the account's own retention (leaving/).
// Each delete re-checks its conditions, so nodes running it at once remove a request once. Each
// removal leaves an audit event (which request, not what it said) in the delete's transaction,
// so staff asked about a request can see that it was removed and when.
import type { Db } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { deleteSettledAnonymousBefore } from '../support/queries.ts';
import { deleteUnmatchedHandledBefore } from '../enterprise/queries.ts';

/** Requests removed per kind and round; the rest wait for the next (clean-up runs every few minutes). */
const BATCH = 500;

export async function removeSettledRequests(
  db: Db,
  now: Date,
  retention: { supportRequestMs: number; enterpriseRequestMs: number },
): Promise<{ support: number; enterprise: number }> {
  const removed = (kind: 'support' | 'enterprise', remove: (tx: Db, before: Date) => Promise<string[]>, retentionMs: number) =>
    db.transaction().execute(async (tx) => {
      const ids = await remove(tx, new Date(now.getTime() - retentionMs));
      for (const requestId of ids)
        await recordAudit(tx, {
          action: kind === 'support' ? 'support.request_removed' : 'enterprise.request_removed',
          actor: { kind: 'system' },
          detail: { requestId },
          at: now,
        });
      return ids.length;
    });
  return {
    support: await removed('support', (tx, before) => deleteSettledAnonymousBefore(tx, before, BATCH), retention.supportRequestMs),
    enterprise: await removed('enterprise', (tx, before) => deleteUnmatchedHandledBefore(tx, before, BATCH), retention.enterpriseRequestMs),
  };
}
