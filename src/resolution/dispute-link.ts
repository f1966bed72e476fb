// The link in every deregistration notice to 这不是我本人操作: single use, 30 days, one per
// deregistered account (a newer one retires the older).
import type { Executor } from '../db/client.ts';
import { DAY } from '../lib/clock.ts';
import { DISPUTE_WINDOW_DAYS } from '../config.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { checkLinkToken, issueLinkToken, type LinkTokenCheck } from '../verification/service.ts';

export const DISPUTE_LINK = 'deregistration_dispute';
export const DISPUTE_LINK_TTL_MS = DISPUTE_WINDOW_DAYS * DAY;

/** `ttlMs` shorter than 30 days for a link given later (it ends when the notice's would have). */
export function issueDisputeLink(tx: Executor, deps: AccountDeps, accountId: string, ttlMs = DISPUTE_LINK_TTL_MS): Promise<string> {
  return issueLinkToken(tx, deps.verification, { purpose: DISPUTE_LINK, accountId, email: '', ttlMs });
}

/** Looks the link up (locked inside a transaction) without spending it. */
export function checkDisputeLink(db: Executor, deps: AccountDeps, token: string): Promise<LinkTokenCheck> {
  return checkLinkToken(db, deps.verification, DISPUTE_LINK, token);
}
