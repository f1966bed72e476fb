// The claimant's case as the resolution centre shows it: the other accounts that passing would
// deregister (masked) and the platforms they used, each path's progress, or the resolution.
import type { AccountDeps } from '../accounts/deps.ts';
import { maskedUsername } from '../accounts/availability.ts';
import { RECORD_TRIES, recordTriesUsed } from './records-path.ts';
import * as q from './queries.ts';

export interface ResolutionOverview {
  state: 'needs_verification' | 'resolved' | 'not_needed';
  others: string[];
  platforms: string[];
  recordTries: { used: number; max: number };
  resolution: { path: string; passedAt: Date; deregistered: number } | undefined;
}

export async function resolutionOverview(deps: AccountDeps, accountId: string, state: string): Promise<ResolutionOverview> {
  const resolution = await q.latestResolutionFor(deps.db, accountId);
  const resolved = resolution && { path: resolution.path, passedAt: resolution.passed_at, deregistered: resolution.deregistered_account_ids.length };
  const identity = state === 'needs_verification' ? await q.identityIndexOf(deps.db, accountId) : undefined;
  if (!identity) {
    return { state: resolved ? 'resolved' : 'not_needed', others: [], platforms: [], recordTries: { used: 0, max: RECORD_TRIES }, resolution: resolved };
  }
  const index = Buffer.from(identity.id_index);
  const others = await q.otherHolders(deps.db, index, accountId);
  return {
    state: 'needs_verification',
    others: others.map(maskedUsername),
    platforms: await q.platformsUsedBy(
      deps.db,
      others.map((o) => o.id),
    ),
    recordTries: { used: await recordTriesUsed(deps, index), max: RECORD_TRIES },
    resolution: resolved,
  };
}
