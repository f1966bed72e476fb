// The claimant's case as the resolution centre shows it: the other accounts that passing would
// deregister (masked) and the platforms they used, each path's progress, or the resolution.
import { classmateCaseRejectedFor } from './hold-queries.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { RECORD_TRIES, recordTriesUsed } from './records-path.ts';
import * as q from './queries.ts';
import type { ResolutionPath } from '../db/schema.ts';
import { maskedUsername } from '../accounts/account-view.ts';
import { identityIndexOf } from '../identity/queries.ts';

export interface ResolutionOverview {
  state: 'needs_verification' | 'resolved' | 'not_needed';
  others: string[];
  platforms: string[];
  recordTries: { used: number; max: number };
  resolution: { path: ResolutionPath; passedAt: Date; deregistered: number } | undefined;
  /** Support reversed a resolution this claimant passed: only 途径2 (staff review) is open. */
  staffOnly: boolean;
  /** Staff turned down classmates' vouches for this number: 途径3 is closed for it. */
  classmateClosed: boolean;
}

/** What passing would deregister for this account's number: the other holders (masked) and their platforms. */
async function othersAndPlatforms(deps: AccountDeps, index: Buffer, accountId: string) {
  const others = await q.otherHolders(deps.db, index, accountId);
  return {
    others: others.map(maskedUsername),
    platforms: await q.platformsUsedBy(
      deps.db,
      others.map((o) => o.id),
    ),
  };
}

/** The same for a claimant staff are about to decide on (nothing when it holds no number). */
export async function affectedByPassing(deps: AccountDeps, accountId: string): Promise<{ others: string[]; platforms: string[] }> {
  const identity = await identityIndexOf(deps.db, accountId);
  return identity ? othersAndPlatforms(deps, Buffer.from(identity.id_index), accountId) : { others: [], platforms: [] };
}

export async function resolutionOverview(deps: AccountDeps, accountId: string, state: string): Promise<ResolutionOverview> {
  const resolution = await q.latestResolutionFor(deps.db, accountId);
  const resolved = resolution && { path: resolution.path, passedAt: resolution.passed_at, deregistered: resolution.deregistered_account_ids.length };
  const identity = state === 'needs_verification' ? await identityIndexOf(deps.db, accountId) : undefined;
  if (!identity) {
    return {
      state: resolved ? 'resolved' : 'not_needed',
      others: [],
      platforms: [],
      recordTries: { used: 0, max: RECORD_TRIES },
      resolution: resolved,
      staffOnly: false,
      classmateClosed: false,
    };
  }
  const index = Buffer.from(identity.id_index);
  return {
    state: 'needs_verification',
    ...(await othersAndPlatforms(deps, index, accountId)),
    recordTries: { used: await recordTriesUsed(deps, index), max: RECORD_TRIES },
    resolution: resolved,
    staffOnly: await q.hasReversedResolution(deps.db, accountId, index),
    classmateClosed: await classmateCaseRejectedFor(deps.db, index),
  };
}
