// `npm run bench` (second part): importing student records into PostgreSQL.
//   1. writes a CSV of BENCH_RECORDS generated records (default 10 million) with valid ID numbers;
//   2. PostgreSQL's own COPY of that file into a plain table of text columns: the reference;
//   3. `tongxing records import`'s code path on the same file (parse, check, blind-index, COPY into
//      staging, upsert into the indexed table), reported as rows/s and as a ratio to the reference;
//   4. look-ups at that size: the records path's (kind, school, number) and the classmate check's
//      (person, school), p50/p99 over a few thousand random keys.
// Writes test-results/bench-records.json. Needs a PostgreSQL server (BENCH_DATABASE_URL).
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createScratchDatabase } from '../test/helpers/postgres.ts';
import { openPostgres } from '../src/db/client.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { mod11_2, validateIdNumber } from '../src/identity/id-numbers/index.ts';
import { indexOf } from '../src/identity/service.ts';
import { importRecords } from '../src/records/import.ts';
import { postgresCopySink } from '../src/records/import-queries.ts';
import { findRecord, recordsOfPersonAt } from '../src/records/queries.ts';
import { schoolKey } from '../src/records/normalize.ts';
import type { FieldKeys } from '../src/lib/field-crypto.ts';
import { skipUnlessSelected } from './only.ts';

skipUnlessSelected('records');

const ROWS = Number(process.env.BENCH_RECORDS ?? 10_000_000);
const LOOKUPS = 5_000;
const root = new URL('..', import.meta.url).pathname;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (line: string) => console.log(`  ${line}`);

const SCHOOLS = Array.from({ length: 200 }, (_, i) => `第${i + 1}大学`);
const LEVELS = ['专科', '本科', '硕士', '博士'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂';

/** Row i of the generated file: a unique (kind, school, number) and a valid ID number. */
function row(i: number): { line: string; kind: string; school: string; number: string; id: string } {
  const kind = i % 2 === 0 ? '学籍' : '学历';
  const school = SCHOOLS[i % SCHOOLS.length]!;
  const number = String(1_000_000_000 + i);
  const birth = new Date(Date.UTC(1980, 0, 1) + (i % 9000) * 86_400_000);
  const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const body = `110105${ymd}${String(i % 1000).padStart(3, '0')}`;
  const id = `${body}${mod11_2(body)}`;
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i >> 3) % GIVEN.length]}${GIVEN[(i >> 7) % GIVEN.length]}`;
  const year = 2000 + (i % 24);
  return { line: `${kind},${school},${number},${year},${LEVELS[i % 4]},${name},,${id}\n`, kind, school, number, id };
}

async function writeFile(file: string): Promise<number> {
  const out = createWriteStream(file);
  out.write('kind,school,number,year,level,name,id_type,id_number\n');
  let batch = '';
  for (let i = 0; i < ROWS; i++) {
    batch += row(i).line;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return statSync(file).size;
}

async function rawCopy(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table raw_records (kind text, school text, number text, year text, level text, name text, id_type text, id_number text)');
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom('copy raw_records from stdin with (format csv, header true)')));
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main(): Promise<void> {
  console.log(`Records import: ${ROWS.toLocaleString('en')} generated records into PostgreSQL`);
  const scratch = await createScratchDatabase(adminUrl, 'tongxing_bench_records');
  if (!scratch) {
    console.log('  no PostgreSQL server answered; the records benchmark needs one (BENCH_DATABASE_URL)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-records-'));
  const opened = await openPostgres(scratch.url, 4);
  try {
    await migrateToLatest(opened.db);
    const file = join(dir, 'records.csv');
    let t0 = performance.now();
    const bytes = await writeFile(file);
    log(`generated ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const copySeconds = await rawCopy(scratch.url, file);
    const copyRate = ROWS / copySeconds;
    log(`PostgreSQL COPY (reference):  ${copySeconds.toFixed(1)} s  ${Math.round(copyRate).toLocaleString('en')} rows/s`);

    const keys: FieldKeys = { activeKeyId: 'bench', keys: new Map([['bench', randomBytes(32)]]), indexKey: randomBytes(32) };
    const sink = await postgresCopySink(scratch.url);
    t0 = performance.now();
    const report = await importRecords(createReadStream(file), { keys, sink, now: new Date() });
    await sink.close();
    const importSeconds = (performance.now() - t0) / 1000;
    const importRate = report.accepted / importSeconds;
    log(
      `tongxing records import:       ${importSeconds.toFixed(1)} s  ${Math.round(importRate).toLocaleString('en')} rows/s  (${report.accepted.toLocaleString('en')} rows, ${report.rejected} rejected)`,
    );
    const ratio = importRate / copyRate;
    log(`ratio import / COPY: ${ratio.toFixed(2)}×  (aim ≥ 0.5×) ${ratio >= 0.5 ? 'met' : 'NOT met'}`);

    // Look-ups on the loaded table, one connection, one at a time.
    const byKey: number[] = [];
    const byPerson: number[] = [];
    for (let n = 0; n < LOOKUPS; n++) {
      const r = row(Math.floor(Math.random() * ROWS));
      let s = performance.now();
      const found = await findRecord(opened.db, r.kind === '学籍' ? 'enrolment' : 'degree', schoolKey(r.school), r.number);
      byKey.push(performance.now() - s);
      if (!found) throw new Error(`record ${r.number} not found`);
      const valid = validateIdNumber('resident_id', r.id);
      if (!valid.ok) throw new Error('generated an invalid ID number');
      s = performance.now();
      await recordsOfPersonAt(opened.db, indexOf(keys, valid), schoolKey(r.school));
      byPerson.push(performance.now() - s);
    }
    byKey.sort((a, b) => a - b);
    byPerson.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 0.5).toFixed(2)} ms  p99 ${percentile(xs, 0.99).toFixed(2)} ms`;
    log(`look-up by school + number (records path): ${fmt(byKey)}`);
    log(`look-up by person + school (classmate check): ${fmt(byPerson)}`);

    mkdirSync(join(root, 'test-results'), { recursive: true });
    writeFileSync(
      join(root, 'test-results', 'bench-records.json'),
      JSON.stringify(
        {
          rows: ROWS,
          fileMB: bytes / 1e6,
          copy: { seconds: copySeconds, rowsPerSecond: copyRate },
          import: { seconds: importSeconds, rowsPerSecond: importRate, ratioToCopy: ratio },
          lookupMs: {
            byKey: { p50: percentile(byKey, 0.5), p99: percentile(byKey, 0.99) },
            byPerson: { p50: percentile(byPerson, 0.5), p99: percentile(byPerson, 0.99) },
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await opened.close();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
