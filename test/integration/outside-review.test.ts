// Regression tests for what the outside security review found (issue "Security: close what an
// outside review found"): each failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { addClient } from '../../src/sso/clients.ts';
import { defaultLimitPolicy } from '../../src/security/rate-limits.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

test('已授权的平台 never prints text from the URL: the withdrawn notice names a registered platform or nothing', async () => {
  const { agent } = await t.registerPhone();
  const forged = await agent.get(`/account/platforms?withdrawn=${encodeURIComponent('客服电话 400-000-0000，请立即拨打')}`);
  assert.equal(forged.status, 200);
  assert.doesNotMatch(forged.text, /400-000-0000/);
  assert.doesNotMatch(forged.text, /已撤销对/);

  const { clientId } = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: '研招网',
      redirectUris: ['https://yz.example.edu.cn/cb'],
      postLogoutRedirectUris: [],
      requiresRealname: false,
      scopes: ['profile'],
      idNumberAccess: 'none',
    },
  );
  const named = await agent.get(`/account/platforms?withdrawn=${clientId}`);
  assert.match(named.text, /已撤销对“研招网”的授权/);
});

test('a 15-digit resident ID number is refused as a passport number (one person, one identity)', async () => {
  const { agent } = await t.registerPhone();
  const saved = await t.saveRealName(agent, { name: 'Zhang San', idType: 'passport', idNumber: '110105491231002' });
  assert.equal(saved.status, 400);
  assert.match(saved.text, /这是居民身份证号码（旧版 15 位），请在证件类型中选择“居民身份证”/);
  assert.equal(await t.db.selectFrom('identities').select('account_id').where('id_type', '=', 'passport').executeTakeFirst(), undefined);
});

test('TRUST_PROXY=1: the client address is the one the proxy saw, whatever the client wrote before it', async () => {
  const proxied = await getTestInstance({ env: { TRUST_PROXY: '1' }, limits: { codesPerIp: { ...defaultLimitPolicy.codesPerIp, points: 3 } } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // The client makes up the left part; the proxy (10.0.0.2, the socket's peer) appends what it saw.
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/registrations/phone/code',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.9` },
        payload: { phone: proxied.nextPhone() },
      });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429], 'the fourth code from 203.0.113.9 is over its per-IP limit');
  } finally {
    await proxied.close();
  }
});

test('malformed input is a 400 that changes nothing: NUL characters, multipart without a boundary, the provider root with a query', async () => {
  const nul = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registrations/email',
    payload: { email: 'nul\u0000@example.edu.cn', password: 'a long enough password', agree: true },
  });
  assert.equal(nul.statusCode, 400);
  assert.equal(nul.json().error.code, 'error.bad_request');
  assert.equal(await t.db.selectFrom('accounts').select('id').where('email', 'like', 'nul%').executeTakeFirst(), undefined);

  const unbounded = await t.app.inject({
    method: 'POST',
    url: '/register/phone/code',
    headers: { 'content-type': 'multipart/form-data' },
    payload: 'phone=13800000000',
  });
  assert.equal(unbounded.statusCode, 400);
  assert.match(unbounded.body, /请求格式有误/);

  const root = await t.app.inject({ method: 'GET', url: '/oidc?anything=1' });
  assert.ok(root.statusCode < 500, `GET /oidc?anything=1 answered ${root.statusCode}`);
});

test('the API reads JSON only: a cross-site form post cannot send an SMS code', async () => {
  const phone = '13900001111';
  const outbox = async () => (await t.db.selectFrom('outbox').select('id').where('recipient', '=', phone).execute()).length;
  for (const [type, payload] of [
    ['application/x-www-form-urlencoded', `phone=${phone}`],
    ['text/plain', JSON.stringify({ phone })],
    ['multipart/form-data; boundary=zz', `--zz\r\nContent-Disposition: form-data; name="phone"\r\n\r\n${phone}\r\n--zz--\r\n`],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registrations/phone/code',
      headers: { 'content-type': type, origin: 'https://elsewhere.example' },
      payload,
    });
    assert.equal(res.statusCode, 415, type);
    assert.match(res.json().error.message, /请求正文须为 JSON/);
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS approval');
  }
  assert.equal(await outbox(), 0, 'nothing was sent');
  const json = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registrations/phone/code',
    headers: { 'content-type': 'application/json' },
    payload: { phone },
  });
  assert.equal(json.statusCode, 200);
  assert.equal(await outbox(), 1);
});

test('SMS pumping: past an IP’s first few codes 免费获取 needs the captcha; and a number block has a cap', async () => {
  const pumped = await getTestInstance({
    services: { drawCaptcha: knownCaptcha('p4Wx') },
    limits: { smsSendsBeforeCaptcha: defaultLimitPolicy.smsSendsBeforeCaptcha, codesPerPhonePrefix: { points: 4, durationSeconds: 3_600 } },
  });
  try {
    const sent = async (phone: string) => (await pumped.db.selectFrom('outbox').select('id').where('recipient', '=', phone).execute()).length;
    const agent = new Agent(pumped.app, { ip: '198.51.100.7' });
    const numbers = ['13700000001', '13700000002', '13700000003', '13700000004'];
    for (const phone of numbers.slice(0, 3)) {
      const page = await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
      assert.match(page.text, /校验码已发送/, phone);
    }
    // The third answer already shows the captcha for the next 免费获取.
    const form = await agent.get('/register/phone');
    assert.match(form.text, /安全验证/);
    const refused = await agent.submit('/register/phone/code', { phone: numbers[3]! });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /请完成安全验证/);
    assert.equal(await sent(numbers[3]!), 0);
    const captchaId = /name="captchaId" value="([^"]+)"/.exec(refused.body)![1]!;
    const answered = await agent.submit('/register/phone/code', { phone: numbers[3]!, captchaId, captcha: 'p4Wx' });
    assert.match(answered.text, /校验码已发送/);
    assert.equal(await sent(numbers[3]!), 1);

    // The API asks the same, with a challenge for the send_code form.
    const api = (payload: object) =>
      pumped.app.inject({
        method: 'POST',
        url: '/api/v1/registrations/phone/code',
        remoteAddress: '198.51.100.7',
        headers: { 'content-type': 'application/json' },
        payload,
      });
    const apiRefused = await api({ phone: '13800000005' });
    assert.equal(apiRefused.statusCode, 400);
    assert.equal(apiRefused.json().error.code, 'login.captcha_required');
    const challenge = await pumped.app.inject({
      method: 'POST',
      url: '/api/v1/captchas',
      remoteAddress: '198.51.100.7',
      headers: { 'content-type': 'application/json' },
      payload: { form: 'send_code' },
    });
    const apiAnswered = await api({ phone: '13800000005', captchaId: challenge.json().id, captchaAnswer: 'p4Wx' });
    assert.equal(apiAnswered.statusCode, 200, apiAnswered.body);

    // The fifth code into the block 1370000 this hour is refused, from any address; another block is not.
    const elsewhere = new Agent(pumped.app, { ip: '198.51.100.8' });
    const blocked = await elsewhere.submit('/register/phone/code', { phone: '13700000009' }, { from: '/register/phone' });
    assert.match(blocked.text, /操作过于频繁/);
    assert.equal(await sent('13700000009'), 0);
    const other = await elsewhere.submit('/register/phone/code', { phone: '13900000009' }, { from: '/register/phone' });
    assert.match(other.text, /校验码已发送/);
  } finally {
    await pumped.close();
  }
});

test('all SMS codes in a day have a cap, whatever the per-minute rate', async () => {
  const capped = await getTestInstance({ limits: { codesGlobalDaily: { points: 2, durationSeconds: 86_400 } } });
  try {
    const pages = [];
    for (const [i, phone] of ['13600000001', '13500000002', '13300000003'].entries()) {
      pages.push(await new Agent(capped.app, { ip: `198.51.100.${20 + i}` }).submit('/register/phone/code', { phone }, { from: '/register/phone' }));
    }
    assert.deepEqual(
      pages.map((p) => /校验码已发送/.test(p.text)),
      [true, true, false],
    );
    assert.match(pages[2]!.text, /操作过于频繁/);
  } finally {
    await capped.close();
  }
});

test('the provider’s discovery names PUBLIC_URL whatever X-Forwarded-Host a client writes', async () => {
  const proxied = await getTestInstance({ env: { TRUST_PROXY: '10.0.0.0/8', PUBLIC_URL: 'https://account.example.edu.cn' } });
  try {
    for (const remoteAddress of ['203.0.113.5', '10.0.0.7']) {
      const res = await proxied.app.inject({
        method: 'GET',
        url: '/oidc/.well-known/openid-configuration',
        remoteAddress,
        headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', forwarded: 'host=evil.example', host: 'evil.example' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const discovery = res.json() as { issuer: string; jwks_uri: string; token_endpoint: string };
      assert.equal(discovery.issuer, 'https://account.example.edu.cn/oidc');
      assert.equal(discovery.jwks_uri, 'https://account.example.edu.cn/oidc/jwks', `from ${remoteAddress}`);
      assert.equal(discovery.token_endpoint, 'https://account.example.edu.cn/oidc/token');
    }
  } finally {
    await proxied.close();
  }
});

test('asking one number too often spends nothing its number block shares', async () => {
  const d = await getTestInstance({ limits: { codesPerPhonePrefix: { points: 2, durationSeconds: 3_600 } } });
  try {
    const agent = new Agent(d.app, { ip: '198.51.100.40' });
    const first = await agent.submit('/register/phone/code', { phone: '13711110001' }, { from: '/register/phone' });
    assert.match(first.text, /校验码已发送/);
    for (let i = 0; i < 4; i++)
      assert.match((await agent.submit('/register/phone/code', { phone: '13711110001' }, { from: '/register/phone' })).text, /操作过于频繁/);
    const neighbour = await new Agent(d.app, { ip: '198.51.100.41' }).submit('/register/phone/code', { phone: '13711110002' }, { from: '/register/phone' });
    assert.match(neighbour.text, /校验码已发送/, 'a neighbour in the block still gets a code');
  } finally {
    await d.close();
  }
});

test('a captcha picture serves only the form it was drawn for; a malformed id is a plain refusal; 换一张 is limited', async () => {
  const d = await getTestInstance({ services: { drawCaptcha: knownCaptcha('m3Qz') }, limits: { captchasPerIp: { points: 3, durationSeconds: 3_600 } } });
  try {
    const json = { 'content-type': 'application/json' };
    // A sign-in picture from the API does not open 找回用户名.
    const picture = await d.app.inject({ method: 'POST', url: '/api/v1/captchas', remoteAddress: '198.51.100.50', headers: json, payload: {} });
    const asker = new Agent(d.app, { ip: '198.51.100.51' });
    await asker.get('/recover/username');
    const crossed = await asker.submit('/recover/username', {
      name: '王小明',
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      captchaId: picture.json().id,
      captcha: 'm3Qz',
    });
    assert.equal(crossed.status, 400);
    assert.match(crossed.text, /安全验证未通过/);

    // After three failures, a captcha id of 36 dashes is refused like any wrong answer.
    const { phone } = await d.registerPhone({ password: 'a person test password' });
    const signIn = (extra: object) =>
      d.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        remoteAddress: '198.51.100.52',
        headers: json,
        payload: { username: phone, password: 'wrong', ...extra },
      });
    for (let i = 0; i < 3; i++) await signIn({});
    const dashes = await signIn({ captchaId: '-'.repeat(36), captchaAnswer: 'm3Qz' });
    assert.equal(dashes.statusCode, 401, dashes.body);

    // 换一张 on the sign-in page draws from the same per-IP allowance as every other picture.
    const browser = new Agent(d.app, { ip: '198.51.100.53' });
    await browser.get('/login');
    const refreshes = [];
    for (let i = 0; i < 4; i++) refreshes.push((await browser.submit('/login', { username: phone, password: 'x', captchaRefresh: '1' })).status);
    assert.deepEqual(refreshes, [200, 200, 200, 429]);
  } finally {
    await d.close();
  }
});
