// What changes in production: __Host- cookies, HSTS, no dev outbox; and in every mode the
// headers, the 404 page, the language switch, and logs without personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { getTestInstance } from '../helpers/app.ts';
import { Agent, codeIn, latestMessageTo } from '../helpers/agent.ts';

const productionEnv = {
  NODE_ENV: 'production',
  SECRET_KEY: randomBytes(32).toString('base64'),
  PUBLIC_URL: 'https://account.example.edu.cn',
  SMTP_URL: 'smtp://127.0.0.1:1',
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'id',
  ALIYUN_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '通行',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_ITERATIONS: '2',
  ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  LIVENESS_PROVIDER: 'http',
  LIVENESS_URL: 'https://liveness.example.com/v1',
  LIVENESS_SECRET: 'l'.repeat(40),
  ID_INDEX_KEY: randomBytes(32).toString('base64'),
};

test('production: __Host- cookies, HSTS, and no dev outbox', async () => {
  const t = await getTestInstance({ env: productionEnv });
  try {
    const page = await t.app.inject({ method: 'GET', url: '/login' });
    const csrfCookie = (page.cookies as Array<{ name: string; secure?: boolean; path?: string }>).find((c) => c.name.startsWith('__Host-'));
    assert.equal(csrfCookie?.name, '__Host-tx_csrf');
    assert.equal(csrfCookie?.secure, true);
    assert.equal(csrfCookie?.path, '/');
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/dev/outbox.json' })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
  } finally {
    await t.close();
  }
});

test('security headers, a friendly 404, and the English switch that sticks', async () => {
  const t = await getTestInstance();
  try {
    const agent = new Agent(t.app);
    const login = await agent.get('/login');
    assert.match(String(login.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(login.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(login.headers['x-content-type-options'], 'nosniff');
    assert.equal(login.headers['cache-control'], 'no-store');
    const missing = await agent.get('/no/such/page');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /页面不存在/);
    const switched = await agent.get('/lang/en?next=/login');
    assert.equal(switched.location, '/login');
    const english = await agent.get('/login');
    assert.match(english.text, /Sign in/);
    assert.match(english.body, /<html lang="en">/);
    assert.equal((await agent.get('/lang/en?next=//evil.example')).location, '/');
    // A page shown in answer to a form switches language back to the form's page, not to the
    // POST-only address (which would be a 404).
    await agent.get('/register/phone');
    const answered = await t.app.inject({
      method: 'POST',
      url: '/register/phone/code',
      headers: {
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        referer: 'http://localhost:80/register/phone',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `phone=123&_csrf=${agent.csrf}`,
    });
    assert.match(answered.body, /href="\/lang\/zh-CN\?next=%2Fregister%2Fphone"/);
  } finally {
    await t.close();
  }
});

test('request logs hold no phone number, email, code or password', async () => {
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk;
      done();
    },
  });
  const { createLogger } = await import('../../src/http/logging.ts');
  const t = await getTestInstance({ logger: createLogger('info', sink) });
  try {
    const agent = new Agent(t.app);
    await agent.submit('/register/phone/code', { phone: '13512345678' }, { from: '/register/phone' });
    const code = codeIn((await latestMessageTo(t.app, '13512345678'))!.text);
    await agent.submit('/register/phone', { phone: '13512345678', code, password: 'secret words here', email: 'logme@example.com' });
    await agent.get('/activate?token=SomeSecretTokenValue1234567890');
    await agent.submit('/login', { username: '13512345678', password: 'secret words here' }, { from: '/login' });
    await agent.submit('/account/identity', { name: '张三', idType: 'resident_id', idNumber: '11010519491231002X' }, { from: '/account/identity' });
    await agent.submit('/account/identity', { name: '张三', idType: 'resident_id', idNumber: '11010519491231002' });
    await agent.submit('/login', { username: '11010519491231002X', password: 'wrong on purpose' }, { from: '/login' });
    assert.ok(logs.includes('request completed'), 'requests were logged');
    for (const secret of ['13512345678', 'logme@example.com', code, 'secret words here', 'SomeSecretTokenValue', 'tx_session', '11010519491231002', '张三']) {
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
    }
  } finally {
    await t.close();
  }
});
