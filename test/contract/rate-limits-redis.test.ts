// With REDIS_URL set, rate limits live in Redis (shared by every instance). The same behaviour
// as the database store, against the machine's real Redis server; and with Redis taken away (a
// TCP proxy in front of it, stopped and frozen), the limits keep counting and refusing in the
// database instead of failing the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRateLimits, defaultLimitPolicy } from '../../src/security/rate-limits.ts';
import { RateLimitedError } from '../../src/lib/errors.ts';
import { openTestDb } from '../helpers/db.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: Redis | undefined;

before(async () => {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    redis = client;
  } catch {
    client.disconnect();
    if (process.env.CI) throw new Error(`CI expects Redis at ${url}`);
    console.log(`notice: no Redis at ${url}; the Redis rate-limit store is not exercised in this run`);
  }
});
after(() => redis?.disconnect());

test('the Redis store counts, refuses with the wait, blocks and resets', async () => {
  if (!redis) return;
  const opened = await openTestDb();
  after(() => opened.close());
  const limits = createRateLimits({ kind: 'redis', redis, db: opened.db }, randomBytes(32), {
    ...defaultLimitPolicy,
    codeResendPerTarget: { points: 1, durationSeconds: 60 },
  });
  const target = `phone:${randomBytes(4).toString('hex')}`;
  await limits.consume('codeResendPerTarget', target);
  await assert.rejects(limits.consume('codeResendPerTarget', target), (e: RateLimitedError) => e instanceof RateLimitedError && e.retryAfterSeconds <= 60);
  assert.equal(await limits.count('loginFailuresPerAccountIp', target), 1);
  assert.equal(await limits.count('loginFailuresPerAccountIp', target), 2);
  await limits.block('loginDelayPerAccountIp', target, 30);
  await assert.rejects(limits.assertAllowed('loginDelayPerAccountIp', target), RateLimitedError);
  await limits.reset('codeResendPerTarget', target);
  await limits.consume('codeResendPerTarget', target);
  const keys = await redis.keys('tx:*');
  assert.ok(keys.length > 0 && keys.every((k) => !k.includes('phone:')), 'keys are hashed');
});

test('Redis stopped or frozen: limits keep counting and refusing, in the database', async () => {
  if (!redis) return;
  const target = new URL(url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  // The service's own client settings (main.ts): no offline queue, a one-second command timeout.
  const client = new Redis(`redis://127.0.0.1:${proxy.port}`, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
  });
  client.on('error', () => {});
  const opened = await openTestDb();
  try {
    await client.ping();
    const limits = createRateLimits({ kind: 'redis', redis: client, db: opened.db }, randomBytes(32), {
      ...defaultLimitPolicy,
      codesPerIp: { points: 3, durationSeconds: 3_600 },
    });
    for (const state of ['down', 'frozen'] as const) {
      proxy.set(state);
      const ip = `ip:${state}:${randomBytes(4).toString('hex')}`;
      for (let i = 0; i < 3; i++) await limits.consume('codesPerIp', ip);
      await assert.rejects(limits.consume('codesPerIp', ip), RateLimitedError, `the fourth is refused with Redis ${state}`);
      assert.equal(await limits.spent('codesPerIp', ip), 4);
      const counted = await opened.db.selectFrom('rate_limits').select('key').execute();
      assert.ok(counted.length > 0, 'the counts are in the database');
      proxy.set('up');
    }
  } finally {
    client.disconnect();
    await proxy.close();
    await opened.close();
  }
});

test('Redis frozen: the limiters go to the database for a cooling period, then back to Redis', async () => {
  if (!redis) return;
  const target = new URL(url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  const client = new Redis(`redis://127.0.0.1:${proxy.port}`, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
  });
  client.on('error', () => {});
  const opened = await openTestDb();
  try {
    await client.ping();
    const coolMs = 300;
    const limits = createRateLimits({ kind: 'redis', redis: client, db: opened.db, breaker: { waitMs: 200, coolMs } }, randomBytes(32));
    const counted = async () => (await opened.db.selectFrom('rate_limits').select('key').execute()).length;

    proxy.set('frozen');
    await limits.consume('codesPerIp', 'ip:frozen');
    proxy.set('up');
    // Still cooling: the database keeps counting, even though Redis answers again.
    await limits.consume('codesPerIp', 'ip:cooling');
    assert.equal(await counted(), 2, 'both counted in the database');
    assert.equal(await limits.spent('codesPerIp', 'ip:frozen'), 1);

    await new Promise((resolve) => setTimeout(resolve, coolMs + 100));
    while (client.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 50));
    await limits.consume('codesPerIp', 'ip:back');
    assert.equal(await counted(), 2, 'the third went to Redis');
    assert.equal(await limits.spent('codesPerIp', 'ip:back'), 1);
  } finally {
    client.disconnect();
    await proxy.close();
    await opened.close();
  }
});
