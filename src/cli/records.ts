// `tongxing records import FILE.csv [--rejected REPORT.csv]`: the operator's import, with a
// progress line on a terminal and a report of rejected lines (line number, reason).
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Config } from '../config.ts';
import { importRecords, type ImportProgress } from '../records/import.ts';
import { batchSink, postgresCopySink } from '../records/import-queries.ts';
import { translator } from '../i18n/index.ts';
import { rejectionText } from '../records/rejection-text.ts';
import { withKeyring } from './context.ts';

/** Operators read the report in zh-CN, like the records themselves. */
const t = translator('zh-CN');

/** A GBK file (Excel on Chinese Windows) would be rejected line by line as mojibake; its first
 *  bytes already tell. Only the first 64 KB are read, so the streaming import is no slower; a file
 *  whose first non-ASCII byte comes later is not caught here (its lines are rejected instead). */
function startsAsUtf8(file: string): boolean {
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  try {
    // stream: a character cut by the 64 KB boundary is not an error. A BOM is valid UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, read), { stream: true });
    return true;
  } catch {
    return false;
  }
}

function progressLine(progress: ImportProgress, total: number, startedAt: number): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const share = total > 0 ? Math.min(progress.bytes / total, 1) : 0;
  const width = 30;
  const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
  const rate = Math.round(progress.accepted / seconds).toLocaleString('en');
  return `\r${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${progress.accepted.toLocaleString('en')} rows  ${rate} rows/s  rejected ${progress.rejected.toLocaleString('en')}`;
}

export async function runRecordsImport(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('usage: tongxing records import FILE.csv [--rejected REPORT.csv]');
    return 2;
  }
  const reportAt = args[1] === '--rejected' ? args[2] : `${file}.rejected.csv`;
  const total = statSync(file).size;
  if (!startsAsUtf8(file)) {
    console.error(t('records.not_utf8'));
    return 1;
  }
  const report = createWriteStream(reportAt!);
  report.write('line,reason\n');
  try {
    return await withKeyring(config, async (db, { idKeys }) => {
      const sink = config.databaseUrl ? await postgresCopySink(config.databaseUrl) : batchSink(db);
      const startedAt = Date.now();
      const tty = process.stderr.isTTY;
      try {
        const result = await importRecords(createReadStream(file), {
          keys: idKeys,
          sink,
          now: new Date(),
          onProgress: tty ? (p) => process.stderr.write(progressLine(p, total, startedAt)) : undefined,
          onRejected: (line, reason) => report.write(`${line},"${rejectionText(t, reason).replace(/"/g, '""')}"\n`),
        });
        if (tty) process.stderr.write('\n');
        const seconds = (Date.now() - startedAt) / 1000;
        console.log(`imported ${result.accepted} records from ${result.lines} lines in ${seconds.toFixed(1)} s; rejected ${result.rejected}`);
        for (const r of result.rejectedSample) console.log(`  line ${r.line}: ${rejectionText(t, r.reason)}`);
        if (result.rejected > result.rejectedSample.length) console.log(`  … all rejected lines are listed in ${reportAt}`);
        return result.rejected > 0 ? 3 : 0;
      } finally {
        await sink.close();
      }
    });
  } finally {
    report.end();
    await once(report, 'close');
  }
}
