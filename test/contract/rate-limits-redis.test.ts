// With REDIS_URL set, rate limits live in Redis (shared by every instance). The same behaviour
// as the database store, against the machine's real Redis server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRateLimits, defaultLimitPolicy } from '../../src/security/rate-limits.ts';
import { RateLimitedError } from '../../src/lib/errors.ts';

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
  const limits = createRateLimits({ kind: 'redis', redis }, randomBytes(32), {
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
