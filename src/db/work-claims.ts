// The one condition every work queue's claim shares (photo reviews, objections, disputes,
// enterprise requests): a case may be claimed by someone when nobody holds it, they hold it
// already, or the holder's claim has lapsed (lib/work-claims.ts says when).
import { sql, type RawBuilder } from 'kysely';

export function claimableBy(staff: string, claimedSince: Date): RawBuilder<boolean> {
  return sql<boolean>`(claimed_by is null or claimed_by = ${staff} or claimed_at < ${claimedSince})`;
}
