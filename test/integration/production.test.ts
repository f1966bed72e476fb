// What changes in production: __Host- cookies, HSTS, no dev outbox; and in every mode the
// headers, the 404 page, the language switch, and logs without personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { getTestInstance } from '../helpers/app.ts';
import { Agent, codeIn, latestMessageTo } from '../helpers/agent.ts';
import { addClient } from '../../src/sso/clients.ts';

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
  ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5,support_follow:SMS_6',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_ITERATIONS: '2',
  ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  LIVENESS_PROVIDER: 'http',
  LIVENESS_URL: 'https://liveness.example.com/v1',
  LIVENESS_SECRET: 'l'.repeat(40),
  LIVENESS_OPERATOR: '某某人脸核验服务有限公司',
  ID_INDEX_KEY: randomBytes(32).toString('base64'),
  // The least proof of work production accepts (the test instance's default is lower).
  CAPTCHA_POW_COST: '1000',
  CAPTCHA_POW_COUNTER: '1000',
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

test('secure cookies: the single sign-on session cookie is __Host-, its per-sign-in cookies __Secure-', async () => {
  // Secure cookies as in production, behind a TLS-terminating proxy; test mode keeps the dev outbox.
  const t = await getTestInstance({ env: { COOKIE_SECURE: 'true', PUBLIC_URL: 'https://account.example.edu.cn', TRUST_PROXY: '1' } });
  try {
    const agent = new Agent(t.app, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'account.example.edu.cn' } });
    const phone = '13512345679';
    await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
    const code = codeIn((await latestMessageTo(t.app, phone))!.text);
    assert.equal((await agent.submit('/register/phone', { phone, code, password: 'secure cookie words' })).status, 303);
    const redirectUri = 'https://platform.example.edu.cn/callback';
    const { clientId } = await addClient(
      { db: t.db, clock: t.clock, keys: t.services.identity.keys },
      { name: '研招网', redirectUris: [redirectUri], postLogoutRedirectUris: [], requiresRealname: false, scopes: ['profile'], idNumberAccess: 'none' },
    );
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const set: Array<{ name: string; secure?: boolean; path?: string }> = [];
    const remember = async (url: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { ...agent.headers, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        remoteAddress: agent.ip,
      });
      for (const c of res.cookies as Array<{ name: string; value: string; secure?: boolean; path?: string }>) {
        set.push(c);
        agent.cookies.set(c.name, c.value);
      }
      return res;
    };
    const started = await remember(`/oidc/auth?${query}`);
    const interaction = new URL(String(started.headers.location), 'https://account.example.edu.cn').pathname;
    assert.match(interaction, /^\/sso\/interaction\//);
    // Signed in already: the login interaction goes straight on; then consent for the platform.
    let location = interaction;
    for (let step = 0; step < 6 && !location.startsWith(redirectUri); step++) {
      const path = new URL(location, 'https://account.example.edu.cn').pathname;
      if (path.startsWith('/oidc/')) location = String((await remember(path)).headers.location);
      else {
        const page = await agent.get(path);
        location = page.location ?? String((await agent.submit(`${path}/confirm`, {})).location);
      }
    }
    assert.ok(location.startsWith(`${redirectUri}?code=`), location);
    const provider = set.filter((c) => c.name.includes('tx_oidc') && !c.name.endsWith('.sig'));
    assert.deepEqual(new Set(provider.map((c) => c.name)), new Set(['__Secure-tx_oidc_interaction', '__Secure-tx_oidc_resume', '__Host-tx_oidc_session']));
    assert.ok(provider.every((c) => c.secure));
    assert.equal(provider.find((c) => c.name === '__Host-tx_oidc_session')?.path, '/');
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
    await agent.get('/dispute/SecretDisputeTokenValue1234567890abcdefghijk');
    await agent.submit('/login', { username: '13512345678', password: 'secret words here' }, { from: '/login' });
    await agent.submit('/account/identity', { name: '张三', idType: 'resident_id', idNumber: '11010519491231002X' }, { from: '/account/identity' });
    await agent.submit('/account/identity', { name: '张三', idType: 'resident_id', idNumber: '11010519491231002' });
    await agent.submit('/login', { username: '11010519491231002X', password: 'wrong on purpose' }, { from: '/login' });
    assert.ok(logs.includes('request completed'), 'requests were logged');
    for (const secret of [
      '13512345678',
      'logme@example.com',
      code,
      'secret words here',
      'SomeSecretTokenValue',
      'SecretDisputeToken',
      'tx_session',
      '11010519491231002',
      '张三',
    ]) {
      assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
    }
  } finally {
    await t.close();
  }
});
