// `tongxing records import FILE.csv`: streams a records file of any size (millions of rows) in
// chunks, checks every line, writes the good ones through a sink (COPY on PostgreSQL, batches on
// PGlite) and reports the rejected ones with their line numbers and reasons.
import { csvBatches } from './csv-lines.ts';
import type { Readable } from 'node:stream';
import type { FieldKeys } from '../lib/field-crypto.ts';
import { RECORD_COLUMNS, parseRecordRow, type RecordRow, type RejectReason } from './record-row.ts';
import type { RecordSink } from './import-queries.ts';

export interface ImportProgress {
  bytes: number;
  lines: number;
  accepted: number;
  rejected: number;
}

export interface ImportReport extends ImportProgress {
  /** The first rejected lines (all of them go to onRejected); reasons are message keys, see rejectionText. */
  rejectedSample: Array<{ line: number; reason: RejectReason }>;
}

export interface ImportOptions {
  keys: FieldKeys;
  sink: RecordSink;
  now: Date;
  chunkRows?: number;
  onProgress?: (progress: ImportProgress) => void;
  onRejected?: (line: number, reason: RejectReason) => void;
}

const SAMPLE = 20;

export async function importRecords(source: Readable, options: ImportOptions): Promise<ImportReport> {
  const chunkRows = options.chunkRows ?? 50_000;
  const report: ImportReport = { bytes: 0, lines: 0, accepted: 0, rejected: 0, rejectedSample: [] };
  source.on('data', (data: Buffer | string) => {
    report.bytes += data.length;
  });
  const reject = (line: number, reason: RejectReason) => {
    report.rejected++;
    if (report.rejectedSample.length < SAMPLE) report.rejectedSample.push({ line, reason });
    options.onRejected?.(line, reason);
  };
  let chunk: RecordRow[] = [];
  let header = true;
  // One chunk is written while the next is read and checked: parsing and the database overlap.
  let writing: Promise<void> | undefined;
  const flush = async (rows: RecordRow[]) => {
    await writing;
    writing = options.sink.write(rows, options.now).then(() => {
      report.accepted += rows.length;
      options.onProgress?.(report);
    });
    // Awaited at the next flush or at the end; marked handled so a failure surfaces there.
    writing.catch(() => {});
  };
  for await (const batch of csvBatches(source)) {
    for (const { fields: record, line } of batch) {
      if (header) {
        header = false;
        if (record.map((c) => c.trim().toLowerCase()).join(',') === RECORD_COLUMNS.join(',')) continue;
      }
      report.lines++;
      const row = parseRecordRow(record, options.keys, options.now);
      if ('code' in row) {
        reject(line, row);
        continue;
      }
      chunk.push(row);
      if (chunk.length >= chunkRows) {
        await flush(chunk);
        chunk = [];
      }
    }
  }
  if (chunk.length) await flush(chunk);
  await writing;
  options.onProgress?.(report);
  return report;
}
