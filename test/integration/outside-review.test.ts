// Regression tests for what the outside security review found (issue "Security: close what an
// outside review found"): each failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
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
    payload: { email: 'nul\u0000@example.edu.cn', password: 'a long enough password' },
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
