// Which failures count as "the database is away" (503, Retry-After, limits given back): what our
// own PostgreSQL connections throw when the server refuses, ends or has not yet started them —
// and not the same socket codes from anything else the service talks to (an SMTP relay, an SMS
// gateway, a social login's API), which are that service's failure and must not tell a person
// "nothing was saved". Real errors throughout: a closed port, a backend ended by the server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import pg from 'pg';
import { sql } from 'kysely';
import { openPostgres } from '../../src/db/client.ts';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { freePort } from '../helpers/example-platform.ts';

const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const failure = (work: Promise<unknown>) =>
  work.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => error,
  );

test('a refused connection is the database away when our pool met it, not when another client did', async () => {
  const port = await freePort();
  const opened = await openPostgres(`postgres://postgres@127.0.0.1:${port}/nothing`, 1);
  cleanups.push(() => opened.close());
  const ours = await failure(sql`select 1`.execute(opened.db));
  assert.equal((ours as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(isDatabaseUnavailable(ours), true, 'our pool could not connect');

  const relay = await failure(
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', resolve);
      socket.on('error', reject);
    }),
  );
  assert.equal((relay as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(isDatabaseUnavailable(relay), false, 'an SMTP relay refusing is not the database');

  const api = await failure(fetch(`http://127.0.0.1:${port}/oauth/token`));
  assert.equal(((api as Error).cause as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(isDatabaseUnavailable(api), false, 'a social login API refusing is not the database');
  assert.equal(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')), false, 'a message alike from elsewhere is not either');
});

if (database) {
  cleanups.push(() => database.drop());

  test('a backend the server ends (57P01, as pg_ctl -m fast does) is the database away; a wrong statement is not', async () => {
    const opened = await openPostgres(database.url, 2);
    cleanups.push(() => opened.close());
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    cleanups.push(() => admin.end());

    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(opened.db);
    const pid = rows[0]!.pid;
    /** Ends backend `pid` once it runs the long statement, as a shutting-down server ends it. */
    const terminateWhenRunning = async (pid: number) => {
      for (let i = 0; i < 100; i++) {
        const active = await admin.query(`select 1 from pg_stat_activity where pid = $1 and state = 'active' and query like '%pg_sleep%'`, [pid]);
        if (active.rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query('select pg_terminate_backend($1)', [pid]);
    };
    // The same pooled connection (the only idle one) runs the long statement the server ends.
    const ended = failure(sql`select pg_sleep(10)`.execute(opened.db));
    await terminateWhenRunning(pid);
    const error = (await ended) as { code?: string; message?: string };
    assert.equal(error.code, '57P01', error.message);
    assert.equal(isDatabaseUnavailable(error), true);

    // The pool opens another connection and answers again; a statement's own fault is no outage.
    assert.equal((await sql<{ one: number }>`select 1 as one`.execute(opened.db)).rows[0]!.one, 1);
    const wrong = await failure(sql`select * from no_such_table`.execute(opened.db));
    assert.equal((wrong as { code?: string }).code, '42P01');
    assert.equal(isDatabaseUnavailable(wrong), false);

    // The server's own answer says so whoever's client heard it (the operator's import, a lock).
    const other = new pg.Client({ connectionString: database.url });
    other.on('error', () => {});
    await other.connect();
    const otherPid = (await other.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const cut = failure(other.query('select pg_sleep(10)'));
    await terminateWhenRunning(otherPid);
    const heard = (await cut) as { code?: string };
    assert.equal(heard.code, '57P01');
    assert.equal(isDatabaseUnavailable(heard), true);
  });

  test('a statement cancelled at its timeout answers 503 and keeps its connection; a read-only server answers 503', async () => {
    const opened = await openPostgres(database.url, 1);
    cleanups.push(() => opened.close());
    const pidBefore = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(opened.db)).rows[0]!.pid;
    const cancelled = await failure(
      opened.db.transaction().execute(async (tx) => {
        await sql`set local statement_timeout = 50`.execute(tx);
        await sql`select pg_sleep(2)`.execute(tx);
      }),
    );
    assert.equal((cancelled as { code?: string }).code, '57014');
    assert.equal(isDatabaseUnavailable(cancelled), true);
    const pidAfter = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(opened.db)).rows[0]!.pid;
    assert.equal(pidAfter, pidBefore, 'the same connection serves on: an overloaded server is not made to reconnect too');

    // What a write meets on a server that is (now) a standby: 25006.
    const readOnly = await failure(
      opened.db.transaction().execute(async (tx) => {
        await sql`set transaction read only`.execute(tx);
        await sql`create temporary table would_write (x int)`.execute(tx);
      }),
    );
    assert.equal((readOnly as { code?: string }).code, '25006');
    assert.equal(isDatabaseUnavailable(readOnly), true);
  });
}
