// SIGTERM ends `tongxing serve` within 10 s even while PostgreSQL is frozen (connections open,
// nothing answered): a request stuck on it would otherwise hold the stop for its statement
// timeouts, and an orchestrator kills at about 10 s. The request cut off changes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { serveThroughProxy } from '../helpers/proxied-service.ts';

const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

if (database) {
  cleanups.push(() => database.drop());
  test('SIGTERM while PostgreSQL is frozen and a request waits on it: the process is gone within 10 s', async () => {
    const { base, proxy, server } = await serveThroughProxy(database.url, cleanups);
    const body = JSON.stringify({ phone: '13700005555' });
    const ask = () => fetch(`${base}/api/v1/registrations/phone/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal((await ask()).status, 200);

    proxy.set('frozen');
    const stuck = ask().then(
      (r) => r.status,
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // the request is waiting on the database
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await server.exit;
    const took = Date.now() - signalled;
    assert.ok(took < 10_000, `exited ${took} ms after SIGTERM`);
    const answer = await stuck;
    assert.ok(answer === 'cut off' || answer === 503, `the waiting request was cut off or told 503 (${answer})`);

    proxy.set('up');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const codes = await client.query<{ n: string }>('select count(*) as n from verification_codes');
      assert.equal(Number(codes.rows[0]!.n), 1, 'the request cut off made no second code');
    } finally {
      await client.end();
    }
  });
}
