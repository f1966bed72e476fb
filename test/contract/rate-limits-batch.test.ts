// spendMany and settleMany (one statement on the database, one script on Redis) behave as the
// single calls made one by one: the same counts, the same refusals and waits, nothing spent after
// a refusal, blocks where the rule blocks, and the same counters, so that batched and single
// calls read each other's. Run side by side on two sets of keys, on every store this run has.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRateLimits, defaultLimitPolicy, type LimitStore, type RateLimits } from '../../src/security/rate-limits.ts';
import { RateLimitedError } from '../../src/lib/errors.ts';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { openTestRedis } from '../helpers/redis.ts';

const policy = {
  ...defaultLimitPolicy,
  loginFailuresPerIp: { points: 4, durationSeconds: 3_600, blockSeconds: 1_800 },
  loginFailuresBeforeCaptcha: { points: 3, durationSeconds: 3_600 },
  loginDelayPerAccountIp: { points: 1, durationSeconds: 86_400 },
};

const redis = await openTestRedis();
after(() => redis?.close());

type Keys = { ip: string; user: string; pair: string };
const keys = (): Keys => {
  const id = randomBytes(4).toString('hex');
  return { ip: `ip:${id}`, user: `account:${id}`, pair: `account:${id}\0ip` };
};

/** What a caller sees: the counts, or the refusal's wait in whole seconds. */
async function outcome(attempt: () => Promise<number[]>): Promise<string> {
  try {
    return `counts ${(await attempt()).join(',')}`;
  } catch (error) {
    if (error instanceof RateLimitedError) return `refused ${Math.ceil(error.retryAfterSeconds)} s`;
    throw error;
  }
}

const batched = (limits: RateLimits, k: Keys) => () =>
  limits.spendMany([
    { do: 'check', name: 'loginDelayPerAccountIp', key: k.pair },
    { do: 'consume', name: 'loginFailuresPerIp', key: k.ip },
    { do: 'count', name: 'loginFailuresBeforeCaptcha', key: k.user },
    { do: 'count', name: 'loginFailuresPerAccountIp', key: k.pair },
  ]);

const oneByOne = (limits: RateLimits, k: Keys) => async () => {
  await limits.assertAllowed('loginDelayPerAccountIp', k.pair);
  await limits.consume('loginFailuresPerIp', k.ip);
  return [
    0,
    await limits.spent('loginFailuresPerIp', k.ip),
    await limits.count('loginFailuresBeforeCaptcha', k.user),
    await limits.count('loginFailuresPerAccountIp', k.pair),
  ];
};

async function counters(limits: RateLimits, k: Keys) {
  return [
    await limits.spent('loginFailuresPerIp', k.ip),
    await limits.retryAfter('loginFailuresPerIp', k.ip),
    await limits.spent('loginFailuresBeforeCaptcha', k.user),
    await limits.spent('loginFailuresPerAccountIp', k.pair),
    await limits.retryAfter('loginDelayPerAccountIp', k.pair),
  ];
}

const stores: Array<{ label: string; open: () => Promise<{ store: LimitStore; close: () => Promise<void> }> }> = storageKinds().map((kind) => ({
  label: kind,
  open: async () => {
    const opened = await openTestDb(kind);
    return { store: { kind: 'db', db: opened.db }, close: () => opened.close() };
  },
}));
if (redis)
  stores.push({
    label: 'redis',
    open: async () => {
      const opened = await openTestDb();
      return { store: { kind: 'redis', redis: redis.redis, db: opened.db }, close: () => opened.close() };
    },
  });

for (const { label, open } of stores) {
  test(`${label}: a batch counts, refuses, blocks and settles as the single calls do`, async () => {
    const { store, close } = await open();
    after(close);
    const limits = createRateLimits(store, randomBytes(32), policy);
    const a = keys();
    const b = keys();

    // Five attempts: the fifth passes the per-IP limit, which blocks the IP and spends no count.
    for (let i = 0; i < 6; i++) {
      const one = await outcome(oneByOne(limits, a));
      const many = await outcome(batched(limits, b));
      assert.equal(many, one, `attempt ${i + 1}`);
      assert.deepEqual(await counters(limits, b), await counters(limits, a), `counters after attempt ${i + 1}`);
    }
    assert.match(await outcome(batched(limits, b)), /^refused 1800 s$/, 'the IP is blocked for its rule');
    assert.equal(await limits.spent('loginFailuresBeforeCaptcha', b.user), 4, 'no count after the refusal');

    // A blocked pair refuses first: nothing spent on the IP either.
    const c = keys();
    const d = keys();
    await limits.block('loginDelayPerAccountIp', c.pair, 30);
    await limits.block('loginDelayPerAccountIp', d.pair, 30);
    assert.equal(await outcome(batched(limits, d)), await outcome(oneByOne(limits, c)));
    assert.match(await outcome(batched(limits, d)), /^refused (29|30) s$/);
    assert.deepEqual(await counters(limits, d), await counters(limits, c));
    assert.equal(await limits.spent('loginFailuresPerIp', d.ip), 0);

    // A sign-in that succeeded: the IP's point back, the account's counts forgotten.
    const e = keys();
    await batched(limits, e)();
    await batched(limits, e)();
    await limits.settleMany({
      refund: [{ name: 'loginFailuresPerIp', key: e.ip }],
      reset: [
        { name: 'loginFailuresBeforeCaptcha', key: e.user },
        { name: 'loginFailuresPerAccountIp', key: e.pair },
      ],
    });
    assert.equal(await limits.spent('loginFailuresPerIp', e.ip), 1);
    assert.equal(await limits.spent('loginFailuresBeforeCaptcha', e.user), 0);
    assert.equal(await limits.spent('loginFailuresPerAccountIp', e.pair), 0);
    assert.deepEqual(await limits.spendMany([{ do: 'count', name: 'loginFailuresBeforeCaptcha', key: e.user }]), [1], 'counted afresh');
  });
}
