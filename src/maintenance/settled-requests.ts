// Requests from people the service holds no account for are kept a while after they are settled,
// then deleted (issue 19 §4): a support request filed without signing in (its contact, its words,
// its images, which may show an ID card) SUPPORT_REQUEST_RETENTION_DAYS after it was closed or answered,
// and an enterprise look-up request no account was matched to (the contact person's name, phone,
// email, address and the stamped letter) ENTERPRISE_REQUEST_RETENTION_DAYS after it was handled.
// Requests tied to an account stay with it and go by the account's own retention (leaving/).
// Each delete re-checks its conditions, so nodes running it at once remove a request once.
import type { Db } from '../db/client.ts';
import { deleteSettledAnonymousBefore } from '../support/queries.ts';
import { deleteUnmatchedHandledBefore } from '../enterprise/queries.ts';

/** Requests removed per kind and round; the rest wait for the next (clean-up runs every few minutes). */
const BATCH = 500;

export async function removeSettledRequests(
  db: Db,
  now: Date,
  retention: { supportRequestMs: number; enterpriseRequestMs: number },
): Promise<{ support: number; enterprise: number }> {
  const support = await deleteSettledAnonymousBefore(db, new Date(now.getTime() - retention.supportRequestMs), BATCH);
  const enterprise = await deleteUnmatchedHandledBefore(db, new Date(now.getTime() - retention.enterpriseRequestMs), BATCH);
  return { support: support.length, enterprise: enterprise.length };
}
