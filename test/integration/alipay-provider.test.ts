// Alipay sign-in: the real client (alipay-sdk signing, fetch) against the simulator on its own
// loopback server, through the authorisation page a person sees and the gateway's exact answers;
// the simulator refusing requests as Alipay's gateway does, checked with signatures made here
// from Alipay's documented algorithm; and the simulator mounted in the app at /dev/alipay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock, MINUTE, DAY } from '../../src/lib/clock.ts';
import { alipayProvider, type AlipayClientOptions, type AlipayProvider } from '../../src/social/alipay.ts';
import { AlipaySimulator, type AlipaySimulatorOptions } from '../../src/social/alipay-simulator.ts';
import { registerAlipaySimulator } from '../../src/social/alipay-simulator-routes.tsx';
import { SocialProviderError, type SocialFailure } from '../../src/social/provider.ts';
import { SIMULATOR_APP_ID } from '../../src/social/alipay-setup.ts';
import { getTestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';

const APP_ID = '2021000122671080';
const CALLBACK = 'https://account.example.edu.cn/login/alipay/callback';
const pair = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const appKeys = pair();
const alipayKeys = pair();
const strangerKeys = pair();
const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));

interface Served {
  simulator: AlipaySimulator;
  url: string;
  server: FastifyInstance;
}
const servers: Served[] = [];

async function serve(options: Partial<AlipaySimulatorOptions> = {}): Promise<Served> {
  const simulator = new AlipaySimulator({
    appId: APP_ID,
    appPublicKeyPem: appKeys.publicKey,
    alipayPrivateKeyPem: alipayKeys.privateKey,
    redirectOrigins: [new URL(CALLBACK).origin],
    now: () => clock.now(),
    ...options,
  });
  const server = Fastify();
  await registerAlipaySimulator(server, '/alipay', simulator);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const served = { simulator, server, url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/alipay` };
  servers.push(served);
  return served;
}

let alipay: Served;
before(async () => {
  alipay = await serve();
});
after(async () => {
  for (const s of servers) await s.server.close();
});

function client(served: Served, overrides: Partial<AlipayClientOptions> = {}): AlipayProvider {
  return alipayProvider({
    appId: APP_ID,
    privateKeyPem: appKeys.privateKey.trim(),
    alipayPublicKeyPem: served.simulator.alipayPublicKeyPem,
    gateway: `${served.url}/gateway.do`,
    authorizeUrl: `${served.url}/oauth2/publicAppAuthorize.htm`,
    now: () => clock.now(),
    ...overrides,
  });
}

/** The hidden fields of the page's form, as a browser would send them back. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
  return fields;
}

/** Opens the authorisation page at `url` and answers it; returns where Alipay sends the browser. */
async function answer(url: string, choice: Record<string, string>): Promise<{ status: number; location: URL | undefined; body: string }> {
  const page = await fetch(url);
  assert.equal(page.status, 200, 'the authorisation page opens');
  const html = await page.text();
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)![1]!, url);
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hiddenFields(html), ...choice }).toString(),
  });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined, body: await res.text() };
}

/** A person approves on the page as `userId` (a listed test user): the code Alipay hands back. */
async function approvedCode(served: Served, userId = '2088102150477652', provider = client(served)): Promise<string> {
  const { location } = await answer(provider.authorizationUrl({ state: 'st-1', redirectUri: CALLBACK }), { decision: 'approve', user: userId });
  return provider.callback(Object.fromEntries(location!.searchParams)).code;
}

async function failure(promise: Promise<unknown>): Promise<{ failure: SocialFailure; providerCode: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SocialProviderError, `a SocialProviderError, not ${String(error)}`);
    assert.equal(error.provider, 'alipay');
    return { failure: error.failure, providerCode: error.providerCode };
  }
  assert.fail('expected the provider to refuse');
}

test('the authorisation URL is publicAppAuthorize.htm with app_id, scope=auth_user, redirect_uri and state', () => {
  const url = new URL(
    alipayProvider({ appId: APP_ID, privateKeyPem: appKeys.privateKey, alipayPublicKeyPem: alipayKeys.publicKey }).authorizationUrl({
      state: 'abc',
      redirectUri: CALLBACK,
    }),
  );
  assert.equal(url.origin + url.pathname, 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm');
  assert.deepEqual(Object.fromEntries(url.searchParams), { app_id: APP_ID, scope: 'auth_user', redirect_uri: CALLBACK, state: 'abc' });
});

test('a person approves on the page: back at redirect_uri with auth_code and state, identified by user_id with their nickname', async () => {
  const provider = client(alipay);
  const page = await fetch(provider.authorizationUrl({ state: 'state-42', redirectUri: CALLBACK }), { headers: { 'accept-language': 'zh-CN' } });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, new RegExp(`应用 ${APP_ID} 申请获取你的支付宝账户信息`));
  assert.match(html, /沙箱用户一 \(2088102150477652\)/);
  assert.match(html, /同意授权/);

  const { status, location } = await answer(provider.authorizationUrl({ state: 'state-42', redirectUri: CALLBACK }), {
    decision: 'approve',
    user: '2088102150477652',
  });
  assert.equal(status, 302);
  assert.equal(location!.origin + location!.pathname, CALLBACK);
  assert.equal(location!.searchParams.get('app_id'), APP_ID);
  assert.equal(location!.searchParams.get('source'), 'alipay_wallet');
  assert.equal(location!.searchParams.get('scope'), 'auth_user');
  assert.equal(location!.searchParams.get('state'), 'state-42');
  assert.match(location!.searchParams.get('auth_code')!, /^[0-9a-f]{32}QD01$/);

  const { code, state } = provider.callback(Object.fromEntries(location!.searchParams));
  assert.equal(state, 'state-42');
  assert.deepEqual(await provider.identify({ code, redirectUri: CALLBACK }), { provider: 'alipay', subject: '2088102150477652', displayName: '沙箱用户一' });
});

test('a test user of one’s own: typed on the page, refused with a message when the id is not an Alipay one', async () => {
  const provider = client(alipay);
  const url = provider.authorizationUrl({ state: 's', redirectUri: CALLBACK });
  const wrong = await answer(url, { decision: 'approve', user: 'other', user_id: '12345', nick_name: '小明' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.location, undefined, 'nothing is handed back');
  assert.match(wrong.body, /用户 ID 须为 2088 开头的 16 位数字/);
  assert.match(wrong.body, /value="小明"/, 'what was typed stays');

  const { location } = await answer(url, { decision: 'approve', user: 'other', user_id: '2088000000000042', nick_name: '小明' });
  const { code } = provider.callback(Object.fromEntries(location!.searchParams));
  assert.deepEqual(await provider.identify({ code, redirectUri: CALLBACK }), { provider: 'alipay', subject: '2088000000000042', displayName: '小明' });
});

test('an app that receives open_id: the identity is the open_id, different per app', async () => {
  const openIdApp = await serve({ identifier: 'open_id' });
  const identity = await client(openIdApp).identify({ code: await approvedCode(openIdApp), redirectUri: CALLBACK });
  assert.match(identity.subject, /^074a[\w-]{40}$/);
  assert.notEqual(identity.subject, '2088102150477652');
  assert.equal(identity.displayName, '沙箱用户一');
});

test('declining on the page: back without an auth_code, which the client reads as denied', async () => {
  const provider = client(alipay);
  const { status, location } = await answer(provider.authorizationUrl({ state: 'st-9', redirectUri: CALLBACK }), { decision: 'decline' });
  assert.equal(status, 302);
  assert.equal(location!.searchParams.get('auth_code'), null);
  assert.equal(location!.searchParams.get('state'), 'st-9');
  assert.throws(
    () => provider.callback(Object.fromEntries(location!.searchParams)),
    (e) => e instanceof SocialProviderError && e.failure === 'denied',
  );
});

test('the page refuses a wrong app_id, scope, redirect_uri or state with Alipay’s explanation', async () => {
  const base = `${alipay.url}/oauth2/publicAppAuthorize.htm`;
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ app_id: '2021000000000001', scope: 'auth_user', redirect_uri: CALLBACK }, /app_id/],
    [{ app_id: APP_ID, scope: 'auth_everything', redirect_uri: CALLBACK }, /scope 参数不正确/],
    [{ app_id: APP_ID, scope: 'auth_user', redirect_uri: 'https://evil.example/cb' }, /redirect_uri 不正确/],
    [{ app_id: APP_ID, scope: 'auth_user', redirect_uri: CALLBACK, state: 'x'.repeat(101) }, /state 参数不正确/],
  ];
  for (const [query, message] of cases) {
    const res = await fetch(`${base}?${new URLSearchParams(query)}`, { headers: { 'accept-language': 'zh-CN' } });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, message);
    assert.doesNotMatch(html, /<form/, 'nothing to approve');
  }
});

test('a code serves once: the second exchange is isv.code-invalid (invalid_code)', async () => {
  const provider = client(alipay);
  const code = await approvedCode(alipay);
  await provider.identify({ code, redirectUri: CALLBACK });
  assert.deepEqual(await failure(provider.identify({ code, redirectUri: CALLBACK })), { failure: 'invalid_code', providerCode: 'isv.code-invalid' });
});

test('an unknown code and a malformed one are invalid_code', async () => {
  const provider = client(alipay);
  assert.deepEqual(await failure(provider.identify({ code: 'a'.repeat(32), redirectUri: CALLBACK })), {
    failure: 'invalid_code',
    providerCode: 'isv.code-invalid',
  });
  assert.deepEqual(await failure(provider.identify({ code: 'not a code', redirectUri: CALLBACK })), {
    failure: 'invalid_code',
    providerCode: 'malformed-code',
  });
});

test('a code lives 10 minutes: at 9 it serves, after 10 it is isv.code-invalid', async () => {
  const provider = client(alipay);
  const fresh = await approvedCode(alipay);
  const old = await approvedCode(alipay, '2088102150477653');
  clock.advance(9 * MINUTE);
  assert.equal((await provider.identify({ code: fresh, redirectUri: CALLBACK })).subject, '2088102150477652');
  clock.advance(MINUTE);
  assert.deepEqual(await failure(provider.identify({ code: old, redirectUri: CALLBACK })), { failure: 'invalid_code', providerCode: 'isv.code-invalid' });
});

test('a wrong application key or app id is misconfigured', async () => {
  const code = await approvedCode(alipay);
  const wrongKey = client(alipay, { privateKeyPem: strangerKeys.privateKey.trim() });
  assert.deepEqual(await failure(wrongKey.identify({ code, redirectUri: CALLBACK })), { failure: 'misconfigured', providerCode: 'isv.invalid-signature' });
  await assert.rejects(
    wrongKey.identify({ code, redirectUri: CALLBACK }),
    (e: Error) => !e.message.includes(code),
    'the message (which may be logged) does not carry the code',
  );
  const wrongApp = client(alipay, { appId: '2021000000000009' });
  assert.deepEqual(await failure(wrongApp.identify({ code: await approvedCode(alipay), redirectUri: CALLBACK })), {
    failure: 'misconfigured',
    providerCode: 'isv.invalid-app-id',
  });
});

test('an answer whose signature does not verify is unavailable: tampered on the way, unsigned, or the wrong Alipay key', async () => {
  const tamper: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    return new Response((await res.text()).replace('2088102150477652', '2088999999999999'), { status: res.status });
  };
  assert.deepEqual(await failure(client(alipay, { fetch: tamper }).identify({ code: await approvedCode(alipay), redirectUri: CALLBACK })), {
    failure: 'unavailable',
    providerCode: 'bad-response-sign',
  });

  const unsign: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const body = JSON.parse(await res.text()) as Record<string, unknown>;
    delete body.sign;
    return new Response(JSON.stringify(body), { status: res.status });
  };
  assert.deepEqual(await failure(client(alipay, { fetch: unsign }).identify({ code: await approvedCode(alipay), redirectUri: CALLBACK })), {
    failure: 'unavailable',
    providerCode: 'unsigned-response',
  });

  const wrongAlipayKey = client(alipay, { alipayPublicKeyPem: strangerKeys.publicKey });
  assert.deepEqual(await failure(wrongAlipayKey.identify({ code: await approvedCode(alipay), redirectUri: CALLBACK })), {
    failure: 'unavailable',
    providerCode: 'bad-response-sign',
  });
});

test('no permission to the person’s information is denied: the app lacks 获取会员信息, or only auth_base was granted', async () => {
  const noProduct = await serve({ userInfoShare: false });
  assert.deepEqual(await failure(client(noProduct).identify({ code: await approvedCode(noProduct), redirectUri: CALLBACK })), {
    failure: 'denied',
    providerCode: 'isv.insufficient-isv-permissions',
  });

  const base = new URL(`${alipay.url}/oauth2/publicAppAuthorize.htm`);
  base.search = new URLSearchParams({ app_id: APP_ID, scope: 'auth_base', redirect_uri: CALLBACK, state: 's' }).toString();
  const { location } = await answer(base.toString(), { decision: 'approve', user: '2088102150477652' });
  assert.equal(location!.searchParams.get('scope'), 'auth_base');
  assert.deepEqual(await failure(client(alipay).identify({ code: location!.searchParams.get('auth_code')!, redirectUri: CALLBACK })), {
    failure: 'denied',
    providerCode: 'aop.invalid-auth-token',
  });
});

test('a gateway that cannot be reached, or answers something else, is unavailable', async () => {
  const closed = Fastify();
  await closed.listen({ port: 0, host: '127.0.0.1' });
  const port = (closed.server.address() as AddressInfo).port;
  await closed.close();
  assert.equal(
    (await failure(client(alipay, { gateway: `http://127.0.0.1:${port}/gateway.do` }).identify({ code: 'a'.repeat(32), redirectUri: CALLBACK }))).failure,
    'unavailable',
  );
  const html: typeof fetch = async () => new Response('<html>维护中</html>', { status: 200 });
  assert.deepEqual(await failure(client(alipay, { fetch: html }).identify({ code: 'a'.repeat(32), redirectUri: CALLBACK })), {
    failure: 'unavailable',
    providerCode: 'unreadable',
  });
});

// The gateway as Alipay's: requests signed here from the documentation (sorted non-empty
// parameters but sign, k=v joined by &, SHA256withRSA, base64), answers verified here too.

function signed(params: Record<string, string>, privateKey = appKeys.privateKey): Record<string, string> {
  const content = Object.keys(params)
    .filter((k) => params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return { ...params, sign: createSign('RSA-SHA256').update(content).sign(privateKey, 'base64') };
}

function publicParams(method: string, extra: Record<string, string>): Record<string, string> {
  return { app_id: APP_ID, method, charset: 'utf-8', sign_type: 'RSA2', timestamp: '2026-03-02 10:00:00', version: '1.0', ...extra };
}

async function post(params: Record<string, string>): Promise<{ raw: string; body: Record<string, Record<string, unknown> | string> }> {
  const res = await fetch(`${alipay.url}/gateway.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(params).toString(),
  });
  assert.equal(res.status, 200, 'Alipay answers refusals with 200 and a code');
  const raw = await res.text();
  return { raw, body: JSON.parse(raw) };
}

/** Alipay's signature over the inner object's exact text. */
function verifies(raw: string, key: string): boolean {
  const start = raw.indexOf(':', raw.indexOf(`"${key}"`)) + 1;
  const end = raw.lastIndexOf(',"sign":');
  const sign = (JSON.parse(raw) as { sign: string }).sign;
  return createVerify('RSA-SHA256').update(raw.slice(start, end)).verify(alipayKeys.publicKey, sign, 'base64');
}

test('the gateway refuses an unsigned request, a wrongly signed one and one changed after signing, as Alipay does', async () => {
  const params = publicParams('alipay.system.oauth.token', { grant_type: 'authorization_code', code: 'a'.repeat(32) });
  const unsigned = await post(params);
  assert.deepEqual(unsigned.body.alipay_system_oauth_token_response, {
    code: '40001',
    msg: 'Missing Required Arguments',
    sub_code: 'isv.missing-signature',
    sub_msg: '缺少签名参数',
  });
  assert.ok(verifies(unsigned.raw, 'alipay_system_oauth_token_response'), 'the refusal is signed with Alipay’s key');

  const stranger = await post(signed(params, strangerKeys.privateKey));
  const refusal = stranger.body.alipay_system_oauth_token_response as Record<string, string>;
  assert.equal(refusal.code, '40002');
  assert.equal(refusal.sub_code, 'isv.invalid-signature');
  assert.match(
    refusal.sub_msg!,
    /网关生成的验签字符串为：app_id=2021000122671080&charset=utf-8&code=a{32}&grant_type=authorization_code&method=alipay\.system\.oauth\.token&sign_type=RSA2&timestamp=2026-03-02 10:00:00&version=1\.0$/,
  );

  const changed = await post({ ...signed(params), code: 'b'.repeat(32) });
  assert.equal((changed.body.alipay_system_oauth_token_response as Record<string, string>).sub_code, 'isv.invalid-signature');

  const rsa1 = await post(signed({ ...params, sign_type: 'RSA' }));
  assert.equal((rsa1.body.alipay_system_oauth_token_response as Record<string, string>).sub_code, 'isv.missing-signature-config');

  const unknownApp = await post(signed({ ...params, app_id: '2021000000000001' }));
  assert.deepEqual(unknownApp.body, {
    alipay_system_oauth_token_response: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' },
  });

  const noMethod = await post(signed({ ...params, method: 'alipay.trade.pay' }));
  assert.equal((noMethod.body.error_response as Record<string, string>).sub_code, 'isv.invalid-method');
});

test('the gateway’s token and user answers: their fields, signatures, single-use codes and tokens that expire after 15 days', async () => {
  const code = await approvedCode(alipay, '2088102150477653');
  const token = await post(signed(publicParams('alipay.system.oauth.token', { grant_type: 'authorization_code', code })));
  const grant = token.body.alipay_system_oauth_token_response as Record<string, unknown>;
  assert.deepEqual(Object.keys(grant).sort(), ['access_token', 'auth_start', 'expires_in', 're_expires_in', 'refresh_token', 'user_id']);
  assert.equal(grant.user_id, '2088102150477653');
  assert.equal(grant.expires_in, 1296000);
  assert.match(String(grant.auth_start), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  assert.ok(verifies(token.raw, 'alipay_system_oauth_token_response'));

  const again = await post(signed(publicParams('alipay.system.oauth.token', { grant_type: 'authorization_code', code })));
  assert.deepEqual(again.body.error_response, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid', sub_msg: '授权码code无效' });
  assert.ok(verifies(again.raw, 'error_response'));

  const share = (authToken: string) => post(signed(publicParams('alipay.user.info.share', { auth_token: authToken })));
  const info = await share(String(grant.access_token));
  assert.deepEqual(info.body.alipay_user_info_share_response, { code: '10000', msg: 'Success', user_id: '2088102150477653', nick_name: '沙箱用户二' });
  assert.ok(verifies(info.raw, 'alipay_user_info_share_response'));

  clock.advance(15 * DAY);
  const expired = await share(String(grant.access_token));
  assert.deepEqual(expired.body.alipay_user_info_share_response, {
    code: '20001',
    msg: 'Insufficient Token Permissions',
    sub_code: 'aop.auth-token-time-out',
    sub_msg: '访问令牌已过期',
  });
  const unknown = await share('authusrB0000');
  assert.equal((unknown.body.alipay_user_info_share_response as Record<string, string>).sub_code, 'aop.invalid-auth-token');

  const refreshed = await post(signed(publicParams('alipay.system.oauth.token', { grant_type: 'refresh_token', refresh_token: String(grant.refresh_token) })));
  const renewed = refreshed.body.alipay_system_oauth_token_response as Record<string, unknown>;
  assert.equal(renewed.user_id, '2088102150477653', 'the refresh token (30 days) still serves');
  assert.equal(((await share(String(renewed.access_token))).body.alipay_user_info_share_response as Record<string, string>).code, '10000');
});

test('outside production the app offers the simulator at /dev/alipay, and its own provider signs in through it', async () => {
  const t = await getTestInstance();
  try {
    const provider = t.services.alipay.provider!;
    assert.ok(provider, 'Alipay sign-in is on without any configuration');
    const url = new URL(provider.authorizationUrl({ state: 'dev-state', redirectUri: `${t.config.publicUrl}/login/alipay/callback` }));
    assert.equal(url.pathname, '/dev/alipay/oauth2/publicAppAuthorize.htm');
    assert.equal(url.searchParams.get('app_id'), SIMULATOR_APP_ID);

    const agent = new Agent(t.app, { headers: { 'accept-language': 'en' } });
    const page = await agent.get(url.pathname + url.search);
    assert.equal(page.status, 200);
    assert.match(page.text, /Application 9021000000000000 asks for your Alipay account information/);
    assert.match(page.text, /not Alipay/);
    const fields = hiddenFields(page.body);
    const approved = await agent.submit('/dev/alipay/oauth2/publicAppAuthorize.htm', { ...fields, decision: 'approve', user: '2088722001750001' });
    assert.equal(approved.status, 302);
    const back = new URL(approved.location!);
    assert.equal(back.origin + back.pathname, `${t.config.publicUrl}/login/alipay/callback`);
    assert.equal(back.searchParams.get('state'), 'dev-state');

    const { code } = provider.callback(Object.fromEntries(back.searchParams));
    assert.deepEqual(await provider.identify({ code, redirectUri: `${t.config.publicUrl}/login/alipay/callback` }), {
      provider: 'alipay',
      subject: '2088722001750001',
      displayName: 'Sandbox Buyer',
    });

    const { _csrf: _token, ...withoutToken } = fields;
    const forged = await agent.submit(
      '/dev/alipay/oauth2/publicAppAuthorize.htm',
      { ...withoutToken, decision: 'approve', user: '2088722001750001' },
      { csrf: null },
    );
    assert.equal(forged.status, 403, 'the form needs the page’s CSRF token inside the app');
    assert.equal(forged.location, undefined, 'and hands back no code without it');
  } finally {
    await t.close();
  }
});
