// The WeChat client (src/social/wechat.ts) against the WeChat simulator on its own loopback
// Fastify server, over real HTTP: the qrconnect page and its redirect, the code exchange and
// userinfo, the identity (unionid, else openid), and every errcode the simulator answers mapped to
// the failure the person is told about. Also what the client does with an unreadable answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import { ManualClock, MINUTE } from '../../src/lib/clock.ts';
import { createWechatSimulator, registerWechatSimulator, type WechatSimulator } from '../../src/social/wechat-simulator.ts';
import { WECHAT_ERRCODES, wechatProvider } from '../../src/social/wechat.ts';
import { SocialProviderError, type SocialProvider } from '../../src/social/provider.ts';

const APP_ID = 'wx0123456789abcdef';
const SECRET = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const REDIRECT = 'http://127.0.0.1:9/login/wechat/callback';

let server: FastifyInstance;
let base: string;
let simulator: WechatSimulator;
let clock: ManualClock;
let client: SocialProvider;

before(async () => {
  clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
  simulator = createWechatSimulator({ appId: APP_ID, appSecret: SECRET, clock });
  server = Fastify();
  registerWechatSimulator(server, '', simulator);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  client = wechatProvider({ appId: APP_ID, appSecret: SECRET, connectUrl: base, apiUrl: base });
});
after(() => server.close());

/** What a scan does: the qrconnect page, then its 确认登录, answering the code WeChat redirects with. */
async function scan(url: string, user: { user: string; nickname: string; noUnionid?: boolean }, action = 'allow'): Promise<URL> {
  const page = await fetch(url.replace(/#wechat_redirect$/, ''));
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /扫码并确认登录/);
  const form = new URL(url.replace(/#wechat_redirect$/, ''));
  const confirm = new URL(`${base}/connect/confirm`);
  for (const name of ['appid', 'redirect_uri', 'response_type', 'scope', 'state']) {
    const value = form.searchParams.get(name);
    if (value !== null) {
      assert.ok(html.includes(`name="${name}" value="`), `the page carries ${name}`);
      confirm.searchParams.set(name, value);
    }
  }
  confirm.searchParams.set('user', user.user);
  confirm.searchParams.set('nickname', user.nickname);
  if (user.noUnionid) confirm.searchParams.set('no_unionid', '1');
  confirm.searchParams.set('action', action);
  const res = await fetch(confirm, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')!);
}

async function failureOf(promise: Promise<unknown>): Promise<SocialProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SocialProviderError, String(error));
    return error;
  }
  assert.fail('expected a SocialProviderError');
}

test('the authorisation URL is qrconnect with appid, redirect_uri, code, snsapi_login, state and #wechat_redirect', () => {
  const url = wechatProvider({
    appId: APP_ID,
    appSecret: SECRET,
    connectUrl: 'https://open.weixin.qq.com',
    apiUrl: 'https://api.weixin.qq.com',
  }).authorizationUrl({ state: 'abc_DEF-123', redirectUri: REDIRECT });
  assert.ok(url.startsWith('https://open.weixin.qq.com/connect/qrconnect?'));
  assert.ok(url.endsWith('#wechat_redirect'));
  const params = new URL(url).searchParams;
  assert.equal(params.get('appid'), APP_ID);
  assert.equal(params.get('redirect_uri'), REDIRECT);
  assert.equal(params.get('response_type'), 'code');
  assert.equal(params.get('scope'), 'snsapi_login');
  assert.equal(params.get('state'), 'abc_DEF-123');
});

test('a scan comes back with code and state; the code names the person by unionid, with the nickname', async () => {
  const back = await scan(client.authorizationUrl({ state: 's1', redirectUri: REDIRECT }), { user: 'zhang', nickname: '小张' });
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), 's1');
  const identity = await client.identify({ code: back.searchParams.get('code')!, redirectUri: REDIRECT });
  assert.deepEqual(identity, { provider: 'wechat', subject: simulator.unionidOf('zhang'), formerSubjects: [simulator.openidOf('zhang')], displayName: '小张' });

  // The same WeChat user scanning again is the same identity.
  const again = await scan(client.authorizationUrl({ state: 's2', redirectUri: REDIRECT }), { user: 'zhang', nickname: '小张' });
  assert.equal((await client.identify({ code: again.searchParams.get('code')!, redirectUri: REDIRECT })).subject, identity.subject);
});

test('without an open-platform account (no unionid) the identity is the openid', async () => {
  const back = await scan(client.authorizationUrl({ state: 's3', redirectUri: REDIRECT }), { user: 'li', nickname: '老李', noUnionid: true });
  const identity = await client.identify({ code: back.searchParams.get('code')!, redirectUri: REDIRECT });
  assert.equal(identity.subject, simulator.openidOf('li'));
  assert.notEqual(identity.subject, simulator.unionidOf('li'));
});

test('refusing on the phone comes back with the state and no code', async () => {
  const back = await scan(client.authorizationUrl({ state: 's4', redirectUri: REDIRECT }), { user: 'wang', nickname: 'w' }, 'deny');
  assert.equal(back.searchParams.get('state'), 's4');
  assert.equal(back.searchParams.get('code'), null);
});

test('the qrconnect page refuses a wrong appid, scope or redirect_uri as WeChat does', async () => {
  const wrongApp = await fetch(`${base}/connect/qrconnect?appid=wxnotmine&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=snsapi_login`);
  assert.equal(wrongApp.status, 400);
  assert.match(await wrongApp.text(), /appid 参数错误/);
  const wrongScope = await fetch(`${base}/connect/qrconnect?appid=${APP_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&scope=snsapi_base`);
  assert.match(await wrongScope.text(), /Scope 参数错误/);
  const noRedirect = await fetch(`${base}/connect/qrconnect?appid=${APP_ID}&redirect_uri=javascript:alert(1)&response_type=code&scope=snsapi_login`);
  assert.match(await noRedirect.text(), /redirect_uri 参数错误/);
});

test('40029 invalid code → invalid_code; 40163 code used → code_used; 42003 expired → code_expired', async () => {
  const unknown = await failureOf(client.identify({ code: 'nosuchcode', redirectUri: REDIRECT }));
  assert.equal(unknown.failure, 'invalid_code');
  assert.equal(unknown.providerCode, '40029');

  const code = simulator.issueCode({ key: 'zhao', nickname: '赵', unionid: true }, REDIRECT);
  await client.identify({ code, redirectUri: REDIRECT });
  const used = await failureOf(client.identify({ code, redirectUri: REDIRECT }));
  assert.equal(used.failure, 'code_used');
  assert.equal(used.providerCode, '40163');

  const late = simulator.issueCode({ key: 'zhao', nickname: '赵', unionid: true }, REDIRECT);
  clock.advance(10 * MINUTE + 1_000);
  const expired = await failureOf(client.identify({ code: late, redirectUri: REDIRECT }));
  assert.equal(expired.failure, 'code_expired');
  assert.equal(expired.providerCode, '42003');
});

test('a wrong secret (40125) or appid (40013) is misconfigured, and the code is not spent by it', async () => {
  const code = simulator.issueCode({ key: 'qian', nickname: '钱', unionid: true }, REDIRECT);
  const wrongSecret = wechatProvider({ appId: APP_ID, appSecret: 'not the secret', connectUrl: base, apiUrl: base });
  const secretFailure = await failureOf(wrongSecret.identify({ code, redirectUri: REDIRECT }));
  assert.equal(secretFailure.failure, 'misconfigured');
  assert.equal(secretFailure.providerCode, '40125');
  const wrongApp = wechatProvider({ appId: 'wxffffffffffffffff', appSecret: SECRET, connectUrl: base, apiUrl: base });
  assert.equal((await failureOf(wrongApp.identify({ code, redirectUri: REDIRECT }))).providerCode, '40013');
  assert.equal((await client.identify({ code, redirectUri: REDIRECT })).subject, simulator.unionidOf('qian'));
});

test('every errcode the client knows maps to its failure; an unknown one and -1 (busy) are unavailable', async () => {
  // A WeChat that answers one errcode for everything, over real HTTP: the mapping table itself.
  let errcode = 0;
  const fake: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(JSON.stringify({ errcode, errmsg: 'from the test' }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const port = (fake.address() as { port: number }).port;
  const answering = wechatProvider({ appId: APP_ID, appSecret: SECRET, connectUrl: base, apiUrl: `http://127.0.0.1:${port}` });
  try {
    for (const [code, failure] of [...Object.entries(WECHAT_ERRCODES), ['-1', 'unavailable'], ['45011', 'unavailable']] as const) {
      errcode = Number(code);
      const error = await failureOf(answering.identify({ code: 'somecode', redirectUri: REDIRECT }));
      assert.equal(error.failure, failure, `errcode ${code}`);
      assert.equal(error.providerCode, String(code));
    }
  } finally {
    await new Promise((resolve) => fake.close(resolve));
  }
});

test('junk, a wrong status or nobody listening is unavailable; a malformed code never leaves', async () => {
  const junk: Server = createServer((req, res) => {
    if (req.url?.startsWith('/500')) {
      res.writeHead(500);
      return res.end('oops');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.includes('/array') ? '[]' : '<html>not json</html>');
  });
  await new Promise<void>((resolve) => junk.listen(0, '127.0.0.1', resolve));
  const port = (junk.address() as { port: number }).port;
  try {
    for (const prefix of ['', '/500', '/array']) {
      const c = wechatProvider({ appId: APP_ID, appSecret: SECRET, connectUrl: base, apiUrl: `http://127.0.0.1:${port}${prefix}` });
      assert.equal((await failureOf(c.identify({ code: 'somecode', redirectUri: REDIRECT }))).failure, 'unavailable', prefix || 'not json');
    }
  } finally {
    await new Promise((resolve) => junk.close(resolve));
  }
  const nobody = wechatProvider({ appId: APP_ID, appSecret: SECRET, connectUrl: base, apiUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
  assert.equal((await failureOf(nobody.identify({ code: 'somecode', redirectUri: REDIRECT }))).failure, 'unavailable');
  const malformed = await failureOf(client.identify({ code: 'a b&secret=x', redirectUri: REDIRECT }));
  assert.equal(malformed.failure, 'invalid_code');
});

test('userinfo refuses a token it did not issue (40001) and another openid (40003)', async () => {
  const res = await fetch(`${base}/sns/userinfo?access_token=forged&openid=x`);
  assert.deepEqual(await res.json(), { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
  const code = simulator.issueCode({ key: 'sun', nickname: '孙', unionid: true }, REDIRECT);
  const token = (await (await fetch(`${base}/sns/oauth2/access_token?appid=${APP_ID}&secret=${SECRET}&code=${code}&grant_type=authorization_code`)).json()) as {
    access_token: string;
    openid: string;
    expires_in: number;
    scope: string;
  };
  assert.equal(token.expires_in, 7200);
  assert.equal(token.scope, 'snsapi_login');
  const other = await fetch(`${base}/sns/userinfo?access_token=${token.access_token}&openid=someone_else`);
  assert.equal(((await other.json()) as { errcode: number }).errcode, 40003);
});
