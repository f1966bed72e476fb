// Staff queues (photo reviews, objections, disputes, enterprise requests) give a case to the one who claims it, for a
// while: a claim not acted on for this long may be taken by someone else.
import { MINUTE } from './clock.ts';

export const CLAIM_TTL_MS = 30 * MINUTE;

/** Whether a case is free for anyone to claim. */
export const claimLapsed = (claimedAt: Date | null, now: Date) => claimedAt === null || claimedAt.getTime() < now.getTime() - CLAIM_TTL_MS;

/** The staff member working a queue, as the audit trail names them. */
export interface QueueWorker {
  username: string;
  ip: string | null;
}
