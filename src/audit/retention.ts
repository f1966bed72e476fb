// How long the audit trail is kept: AUDIT_RETENTION_MONTHS whole months before the current one
// (at least 6, config.ts says why), then its month partition is dropped at once. Rows are never
// deleted one by one: the trail is append-only, and a month leaves whole (db/partitions.ts).
import type { Db } from '../db/client.ts';
import { upkeepMonthly } from '../db/partitions.ts';

/** Partitions made this far ahead of the current month. */
export const AUDIT_MONTHS_AHEAD = 2;

export async function upkeepAuditPartitions(db: Db, now: Date, keepMonths: number) {
  return upkeepMonthly(db, 'audit_events', now, { keepMonths, ahead: AUDIT_MONTHS_AHEAD });
}
