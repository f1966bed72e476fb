// Records work in the console: a records file uploaded through the browser is imported like the
// CLI imports one (every line checked, good ones upserted, rejected ones reported with their line
// numbers), and records are searched by ID number (blind index) or by school and number.
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { AccountDeps } from '../accounts/deps.ts';
import { recordAudit } from '../audit/audit.ts';
import { indexesOfTyped } from '../identity/service.ts';
import { importRecords, type ImportReport } from '../records/import.ts';
import { batchSink } from '../records/import-queries.ts';
import type { RejectReason } from '../records/record-row.ts';
import { normalizeNumber, schoolKey } from '../records/normalize.ts';
import { searchRecords as findRecords } from '../records/queries.ts';
import type { StaffActor } from './staff-auth.ts';

/** Shown on the page; the rest are counted. */
const REJECTED_SHOWN = 200;

export interface UploadReport extends ImportReport {
  rejectedShown: Array<{ line: number; reason: RejectReason }>;
}

export async function importUploadedRecords(deps: AccountDeps, file: { name: string; data: Buffer }, staff: StaffActor): Promise<UploadReport> {
  const rejectedShown: UploadReport['rejectedShown'] = [];
  // Each row keeps who put it there; the audit keeps which file (its name and digest).
  const sink = batchSink(deps.db, { importedBy: staff.username });
  const now = deps.clock.now();
  try {
    const report = await importRecords(Readable.from([file.data]), {
      keys: deps.identity.keys,
      sink,
      now,
      onRejected: (line, reason) => {
        if (rejectedShown.length < REJECTED_SHOWN) rejectedShown.push({ line, reason });
      },
    });
    await recordAudit(deps.db, {
      action: 'records.imported',
      actor: { kind: 'staff', id: staff.username },
      ip: staff.ip,
      detail: {
        file: file.name.slice(0, 100),
        sha256: createHash('sha256').update(file.data).digest('hex'),
        bytes: file.data.length,
        lines: report.lines,
        accepted: report.accepted,
        rejected: report.rejected,
      },
      at: now,
    });
    return { ...report, rejectedShown };
  } finally {
    await sink.close();
  }
}

export async function searchRecords(
  deps: AccountDeps,
  input: { idNumber?: string | undefined; school?: string | undefined; number?: string | undefined },
  staff: StaffActor,
) {
  let by: string;
  let rows: Awaited<ReturnType<typeof findRecords>>;
  if (input.idNumber) {
    const indexes = indexesOfTyped(deps.identity.keys, input.idNumber, deps.clock.now());
    if (indexes.length === 0) return { by: 'id', rows: [] };
    rows = await findRecords(deps.db, { indexes });
    by = 'id';
  } else if (input.school && input.number) {
    rows = await findRecords(deps.db, { schoolKey: schoolKey(input.school), number: normalizeNumber(input.number) });
    by = 'school_number';
  } else return { by: 'nothing', rows: [] };
  await recordAudit(deps.db, {
    action: 'records.searched',
    actor: { kind: 'staff', id: staff.username },
    ip: staff.ip,
    detail: { by, found: rows.length },
    at: deps.clock.now(),
  });
  return { by, rows };
}

export type RecordSearchResult = Awaited<ReturnType<typeof searchRecords>>;
