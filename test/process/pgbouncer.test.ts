// Two `tongxing serve` processes through PgBouncer (Debian's, 1.18: no prepared-statement
// support) in pool_mode=transaction, each server connection lent for one transaction at a time,
// with no ignore_startup_parameters: a startup parameter the service sent would be refused, a
// named prepared statement would meet a server that never saw it, and a session's lock or
// temporary table would land on whichever server connection came next. The two start together
// on an empty database and migrate it once, over DATABASE_MIGRATION_URL (PostgreSQL itself).
// Then, through the pooler: registration (the same phone raced on both nodes: one account),
// sign-in on the other node, and enterprise registrations racing on one credit code (each takes
// the code's advisory lock inside its transaction), and the operator's records import (COPY).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createScratchDatabase, postgresTestUrl } from '../helpers/postgres.ts';
import { runTongxing, type Running } from '../helpers/service-process.ts';
import { Browserless } from '../helpers/browserless.ts';
import { codeIn } from '../helpers/agent.ts';
import { checkCharacter } from '../../src/enterprise/credit-code.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const PASSWORD = 'through a transaction pooler';
const required = process.env.REQUIRE_POSTGRES === '1';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** PgBouncer in the foreground on `port`, lending server connections of `database` per transaction. */
async function startPgBouncer(port: number, database: string, user: string): Promise<{ child: ChildProcess; output: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-pgbouncer-'));
  // server_round_robin: each transaction goes to the next server connection, not back to the one
  // just used (PgBouncer's default, which would hide a session state the code relied on), and
  // min_pool_size keeps several open for it to go to.
  // PgBouncer will not run as root; as another user it must read its own files.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`, { mode: 0o644 });
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
tongxing = host=127.0.0.1 port=5432 dbname=${database} user=${user}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 6
server_check_delay = 0
server_round_robin = 1
min_pool_size = 3
`,
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new pg.Client({ connectionString: `postgres://${user}@127.0.0.1:${port}/tongxing`, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      assert.ok(Date.now() < deadline && child.exitCode === null, `PgBouncer did not start:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { child, output: () => out };
}

async function call(base: string, path: string, body?: unknown, address = '10.30.0.1'): Promise<{ status: number; json: any }> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', 'x-forwarded-for': address },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: text };
  }
}

async function codeSentTo(base: string, to: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const outbox = (await call(base, '/dev/outbox.json')).json as Array<{ to: string; text: string }>;
    const message = outbox.find((m) => m.to === to);
    if (message) return codeIn(message.text)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail(`no code for ${to} in the outbox`);
}

const pgbouncerMissing = spawnSync(PGBOUNCER, ['--version']).status !== 0;
const scratch = pgbouncerMissing && !required ? undefined : await createScratchDatabase(postgresTestUrl(), 'tongxing_pgbouncer');
if (scratch) cleanups.push(() => scratch.drop());
const skip = pgbouncerMissing
  ? required
    ? false
    : `PgBouncer is not installed (apt-get install pgbouncer; .ci/run does): ${PGBOUNCER}`
  : scratch
    ? false
    : required
      ? false
      : `PostgreSQL does not answer at ${postgresTestUrl()}`;

test('two nodes through PgBouncer in transaction mode: migrate once, register, sign in, lock', { skip, timeout: 60_000 }, async () => {
  assert.ok(!pgbouncerMissing, `PgBouncer is installed at ${PGBOUNCER} (apt-get install pgbouncer; .ci/run does)`);
  assert.ok(scratch, `PostgreSQL answers at ${postgresTestUrl()}`);
  const direct = new URL(scratch.url);
  const user = decodeURIComponent(direct.username) || 'postgres';
  const bouncerPort = await freePort();
  const bouncer = await startPgBouncer(bouncerPort, scratch.name, user);

  const env = {
    DATABASE_URL: `postgres://${user}@127.0.0.1:${bouncerPort}/tongxing`,
    DATABASE_POOLER: 'transaction',
    DATABASE_MIGRATION_URL: scratch.url,
    DATABASE_POOL_SIZE: '4',
    TRUST_PROXY: '127.0.0.1',
    SECRET_KEY: randomBytes(32).toString('base64'),
    ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ID_INDEX_KEY: randomBytes(32).toString('base64'),
    OUTBOX_POLL_MS: '100',
    LOG_LEVEL: 'info',
  };
  // Both start at once on the empty database: one applies the migrations, the other waits for
  // the lock on PostgreSQL itself and finds nothing left to do.
  const nodes: Running[] = [0, 1].map(() => runTongxing(['serve'], env));
  for (const node of nodes)
    cleanups.push(async () => {
      node.child.kill('SIGKILL');
      await node.exit;
    });
  const [a, b] = (await Promise.all(nodes.map((node) => node.url))) as [string, string];
  const migrated = nodes.map((node) => /applied (\d+) migrations/.exec(node.output())?.[1]);
  assert.equal(migrated.filter(Boolean).length, 1, `one node migrated: ${nodes.map((n) => n.output()).join('\n---\n')}`);
  assert.ok(
    nodes.some((node) => node.output().includes('database schema is up to date')),
    'the other found the schema up to date',
  );
  // The role has no timeouts on this machine: the start says how to set them.
  assert.match(nodes[0]!.output(), /statement_timeout is off for role \S+[^\n]*ALTER ROLE \S+ SET statement_timeout = '10s'/);

  // The same phone registered on both nodes at once with its one code: one account.
  const phone = '13900000031';
  assert.equal((await call(a, '/api/v1/registrations/phone/code', { phone })).status, 200);
  const code = await codeSentTo(a, phone);
  const raced = await Promise.all(
    [a, b].map((base, i) => call(base, '/api/v1/registrations/phone', { phone, code, password: PASSWORD, agree: true }, `10.30.1.${i + 1}`)),
  );
  const [made, told] = [...raced].sort((x, y) => x.status - y.status) as [(typeof raced)[0], (typeof raced)[0]];
  assert.equal(made.status, 201, `one registration made the account: ${JSON.stringify(raced.map((r) => r.json))}`);
  // The other was told why, whichever it met first: the code already spent (400) or the phone taken (409).
  assert.ok([400, 409].includes(told.status), JSON.stringify(told.json));
  assert.match(told.json.error.message, /校验码不正确或已失效|该手机号已经注册/);
  const signedIn = await call(b, '/api/v1/sessions', { username: phone, password: PASSWORD });
  assert.equal(signedIn.status, 201, JSON.stringify(signedIn.json));
  const wrong = await call(a, '/api/v1/sessions', { username: phone, password: 'not the password' });
  assert.equal(wrong.status, 401);

  // Enterprise registrations for one credit code, four at once across both nodes (under the per-address limit): each takes the
  // code's advisory lock in its transaction, which must be released on its own server connection.
  const body17 = '91110108MA01PGBN1';
  const creditCode = `${body17}${checkCharacter(body17)}`;
  const registrations = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const base = i % 2 ? b : a;
      const browser = new Browserless();
      await browser.request(`${base}/register/enterprise`);
      const answer = await browser.request(`${base}/register/enterprise`, {
        form: {
          enterpriseName: '北京连接池科技有限公司',
          creditCode,
          contactName: '王经理',
          email: `office${i}@pgbouncer.example`,
          password: PASSWORD,
          password2: PASSWORD,
          agree: '1',
        },
      });
      return answer.status;
    }),
  );
  assert.deepEqual(registrations, Array(4).fill(200), 'every registration was taken (none confirmed the code yet)');

  // The operator's records import through the pooler: COPY into a staging table that lives as
  // long as its transaction (a session's would be on whichever server connection made it).
  const records = join(mkdtempSync(join(tmpdir(), 'tongxing-pgbouncer-records-')), 'records.csv');
  const idNumber = (seq: number) => {
    const digits = `51010719990909${String(seq).padStart(3, '0')}`;
    return `${digits}${mod11_2(digits)}`;
  };
  writeFileSync(
    records,
    [
      'kind,school,number,year,level,name,id_type,id_number',
      `学籍,四川大学,2017141001,2017,本科,蒋一,,${idNumber(1)}`,
      `学历,四川大学,1061020210001,2021,本科,蒋一,,${idNumber(1)}`,
      `学籍,电子科技大学,2018001,2018,硕士,韩三,,${idNumber(3)}`,
    ].join('\n'),
  );
  for (let run = 0; run < 2; run++) {
    const imported = runTongxing(['records', 'import', records], env);
    assert.equal(await imported.exit, 0, imported.output());
    assert.match(imported.output(), /imported 3 records from 3 lines/);
  }

  // What PostgreSQL holds, read directly: the one account, the four enterprises, and no advisory
  // lock left behind on a server connection the pooler keeps.
  const check = new pg.Client({ connectionString: scratch.url });
  await check.connect();
  try {
    const accounts = await check.query<{ n: number }>('select count(*)::int as n from enterprises where credit_code = $1', [creditCode]);
    assert.equal(accounts.rows[0]!.n, 4);
    const imported = await check.query<{ n: number }>('select count(*)::int as n from student_records');
    assert.equal(imported.rows[0]!.n, 3, 'a re-import updates the records, never duplicates them');
    const migrations = await check.query<{ n: number; distinct: number }>(
      'select count(*)::int as n, count(distinct name)::int as distinct from kysely_migration',
    );
    assert.equal(migrations.rows[0]!.n, migrations.rows[0]!.distinct);
    assert.equal(String(migrations.rows[0]!.n), migrated.find(Boolean), 'each migration recorded once');
    const locks = await check.query<{ n: number }>(
      "select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
    );
    assert.equal(locks.rows[0]!.n, 0, 'no advisory lock outlived its transaction');
  } finally {
    await check.end();
  }
  for (const node of nodes) assert.equal(node.child.exitCode, null, node.output());
  assert.doesNotMatch(bouncer.output(), /unsupported startup parameter|prepared statement/i, bouncer.output());
});
