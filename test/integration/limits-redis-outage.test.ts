// Redis frozen (connections accepted, nothing answered: a hung server, a partition) or away: the
// limits move to the database at once and keep applying, and no request waits on Redis for long.
// Before, every limiter call of a request waited out the Redis command timeout in turn, so a
// sign-in or a code request took many seconds. The bounds below are hang guards, not benchmarks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { openTestRedis } from '../helpers/redis.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';

const redis = await openTestRedis({ throughProxy: true });
after(() => redis?.close());

/** A request that consults several limiters answers well within this, Redis or not. */
const HANG_GUARD_MS = 5_000;

async function timed<T>(what: string, send: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await send();
  const took = Date.now() - started;
  assert.ok(took < HANG_GUARD_MS, `${what} took ${took} ms`);
  return result;
}

for (const state of ['frozen', 'down'] as const) {
  test(`Redis ${state}: sign-in and code requests answer promptly and the limits still apply`, async () => {
    if (!redis) return;
    const t = await getTestInstance({ services: { redis: redis.redis } });
    after(() => t.close());
    const { phone } = await t.registerPhone();

    redis.proxy!.set(state);
    try {
      const wrong = await timed('a wrong password', () =>
        t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: phone, password: 'not the password' }, remoteAddress: t.nextIp() }),
      );
      assert.equal(wrong.statusCode, 401);
      const right = await timed('a sign-in', () =>
        t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: phone, password: TEST_PASSWORD }, remoteAddress: t.nextIp() }),
      );
      assert.equal(right.statusCode, 201, right.body);

      const agent = new Agent(t.app, { ip: t.nextIp() });
      const sent = await timed('a code request', () => agent.submit('/login/sms/code', { phone }, { from: '/login/sms' }));
      assert.equal(sent.status, 200, sent.text);
      assert.match((await t.latestMessageTo(phone))!.text, /您的登录校验码为 \d{6}/);
      const again = await timed('a second code request', () => agent.submit('/login/sms/code', { phone }, { from: '/login/sms' }));
      assert.equal(again.status, 429);
      assert.match(again.text, /操作过于频繁/);
    } finally {
      redis.proxy!.set('up');
    }
  });
}
