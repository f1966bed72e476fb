// The service when PostgreSQL goes away: `tongxing serve` in a real process on a scratch database
// reached through a TCP proxy the test controls (the shared server stays up for every other
// test). Stopped — every connection ended, new ones refused, as pg_ctl stop does —, the process
// stays up and answers 503 with a message in the person's language; /readyz says so; once the
// server is back, requests succeed again without a restart. Frozen — connections open, nothing
// answered —, /readyz answers 503 within seconds and requests within the statement timeouts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { serveThroughProxy } from '../helpers/proxied-service.ts';
import { POSTGRES_TIMEOUTS } from '../../src/db/client.ts';

const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const signIn = (base: string) =>
  fetch(`${base}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
    body: JSON.stringify({ username: '13700009999', password: 'not a password of anyone' }),
  });

/** Polls until `ready` answers true (the pool reconnects on the next request). */
async function eventually(what: string, ready: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

if (database) {
  cleanups.push(() => database.drop());

  test('PostgreSQL stopped: the process stays up, answers 503 with a message, and recovers by itself', async () => {
    const { base, proxy, server } = await serveThroughProxy(database.url, cleanups);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await signIn(base)).status, 401, 'the database answers: a wrong password');

    proxy.set('down');
    for (let round = 0; round < 5; round++) {
      const api = await signIn(base);
      assert.equal(api.status, 503);
      assert.equal(api.headers.get('retry-after'), '5');
      const body = (await api.json()) as { error: { code: string; message: string } };
      assert.deepEqual(body.error, { code: 'error.unavailable.body', message: '服务暂时无法访问数据，请稍候几秒再试。您的操作未被保存。' });
      const page = await fetch(`${base}/login/sms/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        body: 'phone=13700009999',
      });
      assert.ok(page.status === 503 || page.status === 403, `a form answers ${page.status}, not a server error`);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), { status: 'database unreachable' });
    }
    assert.equal(server.child.exitCode, null, `the process is still running:\n${server.output()}`);
    assert.doesNotMatch(server.output(), /Unhandled 'error' event|uncaught/i);

    proxy.set('up');
    await eventually('requests succeed again once PostgreSQL is back', async () => (await signIn(base)).status === 401);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  test('PostgreSQL frozen: /readyz and requests answer 503 within bounded time instead of hanging', async () => {
    const { base, proxy, server } = await serveThroughProxy(database.url, cleanups);
    assert.equal((await signIn(base)).status, 401);

    proxy.set('frozen');
    let started = Date.now();
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(Date.now() - started < 5_000, 'a balancer hears of it within seconds');
    started = Date.now();
    const api = await signIn(base);
    assert.equal(api.status, 503);
    const bound = POSTGRES_TIMEOUTS.queryMs + POSTGRES_TIMEOUTS.connectMs + 5_000;
    assert.ok(Date.now() - started < bound, `answered within the timeouts (${Date.now() - started} ms)`);
    assert.equal(server.child.exitCode, null);

    proxy.set('up');
    await eventually('requests succeed again once PostgreSQL answers', async () => (await signIn(base)).status === 401, 30_000);
  });
}
