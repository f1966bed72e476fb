// A request the database outage answered 503 never happened, so it must not count against the
// person's limits: the points it spent (in Redis, which stayed up) are given back. Otherwise the
// first thing someone sees once the database is back is 操作过于频繁 for the code they never got.
// PostgreSQL through a TCP proxy the test stops; limits in the machine's Redis.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { openTestRedis } from '../helpers/redis.ts';
import { Agent } from '../helpers/agent.ts';

const redis = storageKinds().includes('postgres') ? await openTestRedis() : undefined;
after(() => redis?.close());

test('a code request answered 503 while the database is away spends no limit: asked again, the code is sent', async () => {
  if (!redis) return;
  const t = await getTestInstance({ storage: 'postgres', databaseProxy: true, services: { redis: redis.redis } });
  after(() => t.close());
  const { phone } = await t.registerPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.get('/login/sms');

  t.databaseProxy!.set('down');
  const refused = await agent.submit('/login/sms/code', { phone });
  assert.equal(refused.status, 503);
  assert.match(refused.text, /服务暂时无法访问数据/);

  t.databaseProxy!.set('up');
  const again = await agent.submit('/login/sms/code', { phone }, { from: '/login/sms' });
  assert.equal(again.status, 200, again.text);
  assert.doesNotMatch(again.text, /操作过于频繁/);
  assert.match((await t.latestMessageTo(phone))!.text, /您的登录校验码为 \d{6}/);

  // The limit itself still holds for requests that did happen.
  const third = await agent.submit('/login/sms/code', { phone }, { from: '/login/sms' });
  assert.match(third.text, /操作过于频繁/);
});
