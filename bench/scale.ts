// `BENCH_SCALE_ACCOUNTS=20000000 npm run bench` (or this file alone): the look-ups that requests
// make, at the size of a national deployment. A scratch PostgreSQL database is filled by
// generate_series (in SQL, batch by batch: nothing passes through Node) with that many accounts,
// each with a session, an identity, its ID claim and a student record, then each look-up runs a
// few thousand times on random keys with the service's own query functions:
//   - the session by its token hash (every signed-in request),
//   - the account by phone and by email (sign-in, registration),
//   - the live accounts by an ID number's blind index (recovery, the identity checks),
//   - the ID claim by blind index (binding a real name),
//   - a student record by (kind, school, number) (the records path).
// Each runs twice: with named prepared statements (the default), and without them, as
// DATABASE_POOLER=transaction runs (the cost of going through a transaction pooler, the pooler's
// own hop aside). p50/p99 per look-up are printed and written to test-results/bench-scale.json.
// 200,000 accounts take about 300 MB and half a minute; 20 million, some 30 GB and an hour or
// more: not for a shared machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createScratchDatabase } from '../test/helpers/postgres.ts';
import { openPostgres, type Db } from '../src/db/client.ts';
import type { Database } from '../src/db/schema.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { findLiveSessionByHash } from '../src/sessions/queries.ts';
import { findByEmail, findByPhone } from '../src/accounts/queries.ts';
import { liveAccountsWithIdIndex } from '../src/recovery/queries.ts';
import { findClaim } from '../src/identity/claim-queries.ts';
import { findRecord } from '../src/records/queries.ts';

const LOOKUPS = 3_000;
const BATCH = 500_000;
const SCHOOLS = 2_000;
const root = new URL('..', import.meta.url).pathname;
const log = (line: string) => console.log(`  ${line}`);

// Account i's keys, the same in SQL (seed) and here (look-ups).
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const phoneOf = (i: number) => `1${String(3_000_000_000 + i).padStart(10, '0')}`;
const emailOf = (i: number) => `u${i}@scale.example`;
const tokenHashOf = (i: number) => sha256(`session:${i}`);
const idIndexOf = (i: number) => sha256(`id:${i}`);
const schoolKeyOf = (i: number) => `school-${i % SCHOOLS}`;
const recordNumberOf = (i: number) => String(1_000_000_000 + i);

/** Accounts [from, to) with everything a signed-in, real-name person has. */
async function seedBatch(db: Db, from: number, to: number): Promise<void> {
  await sql`
    with n as (select i from generate_series(${from}::bigint, ${to - 1}::bigint) as i),
    a as (
      insert into accounts (id, phone, email, phone_verified_at, password_hash, state, registered_via, created_at, activated_at, updated_at, realname_bound_at, realname_bound_via)
      select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '1' || lpad((3000000000 + i)::text, 10, '0'), 'u' || i || '@scale.example',
        now(), '$argon2id$v=19$m=19456,t=2,p=1$c2NhbGU$c2NhbGU', 'active', 'phone', now(), now(), now(), now(), 'records'
      from n
      returning id
    )
    select count(*) from a
  `.execute(db);
  await sql`
    insert into sessions (token_hash, account_id, created_at, last_seen_at, expires_at, authenticated_at)
    select sha256(convert_to('session:' || i, 'UTF8')), ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, now(), now(), now() + interval '1 day', now()
    from generate_series(${from}::bigint, ${to - 1}::bigint) as i
  `.execute(db);
  await sql`
    insert into identities (account_id, name, id_type, id_key_id, id_cipher, id_index, id_masked, verifier, verifier_result, checked_at, created_at)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '王' || (i % 1000), 'resident_id', 'k1', '\\x00'::bytea,
      sha256(convert_to('id:' || i, 'UTF8')), '1101**********123X', 'format', 'ok', now(), now()
    from generate_series(${from}::bigint, ${to - 1}::bigint) as i
  `.execute(db);
  await sql`
    insert into id_claims (id_index, state, owner_account_id, updated_at)
    select sha256(convert_to('id:' || i, 'UTF8')), 'registered', ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, now()
    from generate_series(${from}::bigint, ${to - 1}::bigint) as i
  `.execute(db);
  await sql`
    insert into student_records (kind, school_key, number, school, level, year, name, id_index, imported_at)
    select 'enrolment', 'school-' || (i % ${SCHOOLS}), (1000000000 + i)::text, '第' || (i % ${SCHOOLS}) || '大学', '本科', 2000 + (i % 24), '王' || (i % 1000),
      sha256(convert_to('id:' || i, 'UTF8')), now()
    from generate_series(${from}::bigint, ${to - 1}::bigint) as i
  `.execute(db);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

type Lookup = { name: string; run: (db: Db, i: number) => Promise<unknown> };

const LOOKUP_KINDS: Lookup[] = [
  { name: 'session by token hash', run: (db, i) => findLiveSessionByHash(db, tokenHashOf(i)) },
  { name: 'account by phone', run: (db, i) => findByPhone(db, phoneOf(i)) },
  { name: 'account by email', run: (db, i) => findByEmail(db, emailOf(i)) },
  { name: 'accounts by ID blind index', run: (db, i) => liveAccountsWithIdIndex(db, idIndexOf(i)) },
  { name: 'ID claim by blind index', run: (db, i) => findClaim(db, idIndexOf(i)) },
  { name: 'record by school + number', run: (db, i) => findRecord(db, 'enrolment', schoolKeyOf(i), recordNumberOf(i)) },
];

/** p50/p99 (ms) of each look-up, one at a time on one connection, over random accounts (each must be found). */
async function measure(db: Db, accounts: number): Promise<Record<string, { p50: number; p99: number }>> {
  const out: Record<string, { p50: number; p99: number }> = {};
  for (const lookup of LOOKUP_KINDS) {
    for (let n = 0; n < 200; n++) await lookup.run(db, Math.floor(Math.random() * accounts)); // warm the plan and the cache path
    const times: number[] = [];
    for (let n = 0; n < LOOKUPS; n++) {
      const i = Math.floor(Math.random() * accounts);
      const started = performance.now();
      const found = await lookup.run(db, i);
      times.push(performance.now() - started);
      if (!found || (Array.isArray(found) && found.length === 0)) throw new Error(`${lookup.name}: account ${i} not found`);
    }
    times.sort((a, b) => a - b);
    out[lookup.name] = { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  }
  return out;
}

export async function benchScale(accounts: number, adminUrl: string): Promise<void> {
  console.log(`\nLook-ups at scale: ${accounts.toLocaleString('en')} synthetic accounts in PostgreSQL`);
  if (!Number.isInteger(accounts) || accounts < 1000) throw new Error('BENCH_SCALE_ACCOUNTS: a whole number of accounts, at least 1000');
  const scratch = await createScratchDatabase(adminUrl, 'tongxing_bench_scale');
  if (!scratch) {
    log(`no PostgreSQL server answered at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}; the scale benchmark needs one`);
    return;
  }
  const prepared = await openPostgres(scratch.url, 1);
  const unprepared = await openPostgres(scratch.url, 1, () => {}, { pooler: 'transaction' });
  // Filling runs statements of minutes: not through the service's handles, whose statement and
  // query timeouts (POSTGRES_TIMEOUTS, 10–12 s) are what a request is given.
  const filling = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.url, max: 1 }) }) });
  try {
    await migrateToLatest(filling);
    const seedStarted = performance.now();
    for (let from = 0; from < accounts; from += BATCH) {
      await seedBatch(filling, from, Math.min(accounts, from + BATCH));
      const done = Math.min(accounts, from + BATCH);
      if (accounts > BATCH) log(`${done.toLocaleString('en')} accounts (${((performance.now() - seedStarted) / 1000).toFixed(0)} s)`);
    }
    await sql`analyze`.execute(filling);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const size = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(filling);
    log(`generated in ${seedSeconds.toFixed(0)} s; the database is ${size.rows[0]!.size}`);

    const withPrepared = await measure(prepared.db, accounts);
    const withoutPrepared = await measure(unprepared.db, accounts);
    const fmt = (x: { p50: number; p99: number }) => `p50 ${x.p50.toFixed(2)} ms  p99 ${x.p99.toFixed(2)} ms`;
    const width = Math.max(...LOOKUP_KINDS.map((l) => l.name.length));
    log(`${''.padEnd(width)}  prepared (default)              unprepared (DATABASE_POOLER=transaction)`);
    for (const { name } of LOOKUP_KINDS) log(`${name.padEnd(width)}  ${fmt(withPrepared[name]!).padEnd(30)}  ${fmt(withoutPrepared[name]!)}`);
    log(`${LOOKUPS} look-ups each on random accounts, one at a time on one connection, after 200 to warm up`);

    mkdirSync(join(root, 'test-results'), { recursive: true });
    writeFileSync(
      join(root, 'test-results', 'bench-scale.json'),
      JSON.stringify(
        { accounts, seedSeconds, databaseSize: size.rows[0]!.size, lookups: LOOKUPS, lookupMs: { prepared: withPrepared, unprepared: withoutPrepared } },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await filling.destroy();
    await prepared.close();
    await unprepared.close();
    await scratch.drop();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const accounts = Number(process.env.BENCH_SCALE_ACCOUNTS ?? 200_000);
  await benchScale(accounts, process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
}
