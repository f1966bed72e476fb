// How long outbox messages are kept: OUTBOX_RETENTION_MONTHS whole months before the current one,
// for support to see what was sent (a message's text is already scrubbed once sent in production,
// worker.ts). A month leaves whole (db/partitions.ts), but never while it still holds a message
// that is queued or being sent: that month is kept and reported, and dropped on a later round once
// its last message is sent or given up. A message given up (failed) is gone with its month.
import type { Db } from '../db/client.ts';
import { upkeepMonthly } from '../db/partitions.ts';
import { holdsUnsentMessages } from './queries.ts';

export const OUTBOX_MONTHS_AHEAD = 2;

export async function upkeepOutboxPartitions(db: Db, now: Date, keepMonths: number) {
  return upkeepMonthly(db, 'outbox', now, {
    keepMonths,
    ahead: OUTBOX_MONTHS_AHEAD,
    mayDrop: async (tx, partition) => !(await holdsUnsentMessages(tx, partition)),
  });
}
