// `npm test`: first the habits that keep the code livable — the formatter's check, the type check
// and the architecture check (docs/architecture.md) —, then it prepares migrated database
// templates once and runs every test file with node:test. A fresh PGlite costs seconds (initdb);
// loading a dump of a migrated one costs well under one, so each test file starts from the dump.
// On PostgreSQL each test file clones a migrated template database. REQUIRE_POSTGRES=1 (CI) makes
// a missing server an error. Given test files, only those run (and the checks are skipped).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from '../src/db/pglite-dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createPostgresTemplate, dropPostgresTemplate, postgresTestUrl, postgresReachable } from '../test/helpers/postgres.ts';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tongxing-test-'));

async function pgliteTemplate(): Promise<string> {
  const pg = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect(pg) });
  await migrateToLatest(db);
  const dump = await pg.dumpDataDir('gzip');
  await db.destroy();
  const file = join(work, 'pglite-template.tar.gz');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return file;
}

function testFiles(args: string[]): string[] {
  if (args.length) return args;
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.test\.tsx?$/.test(name)) found.push(relative(root, path));
    }
  };
  walk(join(root, 'test'));
  return found.sort();
}

/** Runs an npm script; resolves with its exit code. */
function npmRun(script: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
}

if (process.argv.length <= 2) {
  for (const script of ['format:check', 'check', 'check:architecture']) {
    const code = await npmRun(script);
    if (code !== 0) {
      console.error(`npm run ${script} failed (exit ${code}); run it on its own to see why (npm run format fixes formatting)`);
      rmSync(work, { recursive: true, force: true });
      process.exit(code);
    }
  }
}

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', TONGXING_TEST_WORKDIR: work };
let pgTemplate: string | undefined;
try {
  env.TONGXING_PGLITE_TEMPLATE = await pgliteTemplate();
  const url = postgresTestUrl();
  if (await postgresReachable(url)) {
    pgTemplate = await createPostgresTemplate(url);
    env.TONGXING_PG_TEMPLATE = pgTemplate;
  } else if (process.env.REQUIRE_POSTGRES === '1') {
    console.error(`REQUIRE_POSTGRES=1 but no PostgreSQL server answers at ${url.replace(/:[^:@/]*@/, ':***@')}`);
    process.exit(1);
  } else {
    console.log(`notice: no PostgreSQL server at ${url}; the PostgreSQL variants of the contract suites are not run`);
  }

  // No test may hang the run: a regression that leaves a process or request waiting fails its test
  // after ten minutes (the slowest, the three-node ones, take under three on this machine).
  const TEST_TIMEOUT_MS = 600_000;
  const run = (files: string[], concurrency: number) =>
    new Promise<number>((resolve) => {
      if (files.length === 0) return resolve(0);
      const child = spawn(
        process.execPath,
        [
          '--import',
          './src/loader/register.js',
          '--test',
          `--test-concurrency=${concurrency}`,
          `--test-timeout=${TEST_TIMEOUT_MS}`,
          '--test-reporter=spec',
          ...files,
        ],
        { cwd: root, env, stdio: 'inherit' },
      );
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
  // Files that compare timings (no timing oracle for account enumeration) say so in their first
  // lines; they run after the others, one at a time, so another file's load does not skew them.
  const files = testFiles(process.argv.slice(2));
  const alone = files.filter((f) => readFileSync(join(root, f), 'utf8').slice(0, 2_000).includes('@test-alone'));
  const first = await run(
    files.filter((f) => !alone.includes(f)),
    2,
  );
  const second = await run(alone, 1);
  process.exitCode = first || second;
} finally {
  if (pgTemplate) await dropPostgresTemplate(postgresTestUrl(), pgTemplate).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
