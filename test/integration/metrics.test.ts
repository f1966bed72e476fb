// /metrics as a scraper and an operator see it: requests counted by route pattern (never a raw
// URL with its phone number or id), the outbox depth of queued messages, a limiter's 429 counted,
// the argon2 queue and the pool; and who may read it (loopback, or the bearer token).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { serve } from '../../src/main.ts';
import { storageKinds } from '../helpers/db.ts';
import { createScratchDatabase, postgresTestUrl } from '../helpers/postgres.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

const scrape = async (instance: TestInstance = t) => {
  const res = await instance.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.body;
};
const sample = (text: string, line: RegExp) => {
  const m = text.split('\n').find((l) => line.test(l));
  return m === undefined ? undefined : Number(m.slice(m.lastIndexOf(' ') + 1));
};

test('requests are counted by route pattern and status class, with no phone number or id in a label', async () => {
  const phone = t.nextPhone();
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/registrations/phone/code', payload: { phone }, remoteAddress: t.nextIp() });
  assert.equal(sent.statusCode, 200, sent.body);
  const lang = await t.app.inject({ method: 'GET', url: '/lang/en?next=/account-1234567890' });
  const unmatched = await t.app.inject({ method: 'GET', url: `/nothing/here/${phone}` });
  assert.equal(unmatched.statusCode, 404);

  const text = await scrape();
  assert.equal(sample(text, /^tongxing_http_requests_total\{route="\/api\/v1\/registrations\/phone\/code",method="POST",status="2xx"\} /), 1);
  assert.equal(sample(text, new RegExp(`^tongxing_http_requests_total\\{route="/lang/:lang",method="GET",status="${lang.statusCode.toString()[0]}xx"\\} `)), 1);
  assert.ok(sample(text, /^tongxing_http_requests_total\{route="unmatched",method="GET",status="4xx"\} /)! >= 1);
  assert.equal(sample(text, /^tongxing_http_request_duration_seconds_count\{route="\/lang\/:lang",method="GET"\} /), 1);
  assert.ok(!text.includes(phone), 'the phone number is in no label');
  assert.ok(!text.includes('1234567890') && !text.includes('/lang/en'), 'a raw URL is in no label');
});

test('the outbox depth shows the queued messages by channel', async () => {
  const before = sample(await scrape(), /^tongxing_outbox_messages\{state="queued",channel="sms"\} /) ?? 0;
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/registrations/phone/code', payload: { phone: t.nextPhone() }, remoteAddress: t.nextIp() });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.equal(sample(await scrape(), /^tongxing_outbox_messages\{state="queued",channel="sms"\} /), before + 1);

  await t.worker.runOnce();
  const text = await scrape();
  assert.equal(sample(text, /^tongxing_outbox_messages\{state="queued",channel="sms"\} /) ?? 0, 0, 'sent messages leave the depth');
});

test('a rate limit refusal (429) is counted by route', async () => {
  const phone = t.nextPhone();
  const ip = t.nextIp();
  const send = () => t.app.inject({ method: 'POST', url: '/api/v1/registrations/phone/code', payload: { phone }, remoteAddress: ip });
  assert.equal((await send()).statusCode, 200);
  const refused = await send(); // a second code to the same phone within the minute
  assert.equal(refused.statusCode, 429, refused.body);
  const text = await scrape();
  assert.equal(sample(text, /^tongxing_rate_limit_refusals_total\{route="\/api\/v1\/registrations\/phone\/code"\} /), 1);
  assert.equal(sample(text, /^tongxing_http_requests_total\{route="\/api\/v1\/registrations\/phone\/code",method="POST",status="4xx"\} /), 1);
});

test('the argon2 queue is exposed; sign-ins go through it and leave it empty', async () => {
  await t.registerPhone();
  const text = await scrape();
  assert.equal(sample(text, /^tongxing_argon2_hashes\{state="running"\} /), 0);
  assert.equal(sample(text, /^tongxing_argon2_hashes\{state="waiting"\} /), 0);
  assert.match(text, /^# TYPE tongxing_argon2_hashes gauge$/m);
});

test('without METRICS_TOKEN only loopback (and no proxy) may read /metrics', async () => {
  const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
  assert.equal(remote.statusCode, 403);
  assert.ok(!remote.body.includes('tongxing_http_requests_total'));
  // Relayed by a balancer on the same host: the socket is loopback, the client is not.
  const relayed = await t.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(relayed.statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
});

test('with METRICS_TOKEN the bearer token is required, from loopback too', async () => {
  const token = 'metrics-token-0123456789abcdef0123456789';
  const instance = await getTestInstance({ env: { METRICS_TOKEN: token } });
  try {
    const none = await instance.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="metrics"');
    const wrong = await instance.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token.slice(0, -1)}x` } });
    assert.equal(wrong.statusCode, 401);
    const right = await instance.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${token}` } });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, /^# TYPE tongxing_http_requests_total counter$/m);
  } finally {
    await instance.close();
  }
});

test('METRICS=false has no /metrics; production needs the token to turn it on', async () => {
  const off = await getTestInstance({ env: { METRICS: 'false' } });
  try {
    assert.equal((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  } finally {
    await off.close();
  }
  const random = () => randomBytes(32).toString('base64');
  const production: Record<string, string> = {
    NODE_ENV: 'production',
    SECRET_KEY: random(),
    PUBLIC_URL: 'https://account.example.edu.cn',
    SMTP_URL: 'smtp://mail.example.edu.cn:25',
    SMS_PROVIDER: 'aliyun',
    ALIYUN_ACCESS_KEY_ID: 'id',
    ALIYUN_ACCESS_KEY_SECRET: 'secret',
    ALIYUN_SMS_SIGN_NAME: '通行',
    ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
    ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5,support_follow:SMS_6',
    ID_ENCRYPTION_KEYS: `2026:${random()}`,
    ID_INDEX_KEY: random(),
    LIVENESS_PROVIDER: 'http',
    LIVENESS_URL: 'https://liveness.example.com/v1',
    LIVENESS_SECRET: 'l'.repeat(40),
    LIVENESS_OPERATOR: '某某人脸核验服务有限公司',
  };
  assert.deepEqual(loadConfig(production).metrics, { enabled: false, token: undefined }, 'production without a token: no /metrics');
  const token = 'm'.repeat(16) + randomBytes(12).toString('hex');
  assert.deepEqual(loadConfig({ ...production, METRICS_TOKEN: token }).metrics, { enabled: true, token });
  assert.throws(
    () => loadConfig({ ...production, METRICS: 'true' }),
    (error: unknown) => error instanceof ConfigError && /METRICS_TOKEN: required in production while METRICS is on/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ METRICS_TOKEN: 'short' }),
    (error: unknown) => error instanceof ConfigError && /METRICS_TOKEN: at least 32 characters/.test(error.message),
  );
});

if (storageKinds().includes('postgres')) {
  test('the service on PostgreSQL reports its pool; a real socket from loopback reads /metrics', async () => {
    const scratch = await createScratchDatabase(postgresTestUrl(), 'tongxing_metrics');
    assert.ok(scratch, 'PostgreSQL answers');
    const service = await serve({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: scratch.url,
      SECRET_KEY: randomBytes(32).toString('base64'),
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_ITERATIONS: '1',
    });
    try {
      assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
      const res = await fetch(`${service.url}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.ok(sample(text, /^tongxing_db_pool_connections\{state="idle"\} /)! >= 1, text);
      assert.equal(sample(text, /^tongxing_db_pool_waiting /), 0);
      assert.equal(sample(text, /^tongxing_http_requests_total\{route="\/readyz",method="GET",status="2xx"\} /), 1);
    } finally {
      await service.stop();
      await scratch.drop();
    }
  });
}
