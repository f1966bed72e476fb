// WeChat sign-in and binding through the real app (Fastify inject), with WeChat played by the
// simulator on its own loopback server and the app configured as for the real WeChat
// (WECHAT_APP_ID, WECHAT_APP_SECRET, endpoints pointed at it): bind from 帐号管理 and sign in by
// scanning; unbinding needs a fresh sign-in; the 2-hour rule after a recovery with the seed's
// prompt; an identity bound elsewhere refused naming that account masked; an unbound identity
// never makes an account but can be bound after a password sign-in; the state is bound to the
// browser and used once; suspension stops scan sign-ins; deregistration releases the bindings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, type Page } from '../helpers/agent.ts';
import { MINUTE, HOUR } from '../../src/lib/clock.ts';
import { createWechatSimulator, registerWechatSimulator, type WechatSimulator } from '../../src/social/wechat-simulator.ts';
import { markIdNumberWrong, suspendAccount } from '../../src/admin/account-service.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { Authenticator, shownKey } from '../helpers/authenticator.ts';

const APP_ID = 'wx00aa11bb22cc33dd';
const SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PASSWORD = 'social binding password';

let t: TestInstance;
let wechat: FastifyInstance;
let simulator: WechatSimulator;
let wechatBase: string;

before(async () => {
  // The simulator keeps the test's time, so that a code can age past its ten minutes.
  const clock = { now: () => t.clock.now() };
  simulator = createWechatSimulator({ appId: APP_ID, appSecret: SECRET, clock });
  wechat = Fastify();
  registerWechatSimulator(wechat, '', simulator);
  await wechat.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(wechat.server.address() as { port: number }).port}`;
  wechatBase = base;
  t = await getTestInstance({
    env: { WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: SECRET, WECHAT_CONNECT_URL: base, WECHAT_API_URL: base },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(async () => {
  await t.close();
  await wechat.close();
});

/** The phone's part: the qrconnect page, then 确认登录 (or 取消); answers the app's callback path. */
async function scan(
  qrconnect: string | undefined,
  user: string,
  nickname = user,
  action: 'allow' | 'deny' = 'allow',
  extra: Record<string, string> = {},
): Promise<string> {
  assert.ok(qrconnect, 'a redirect to WeChat');
  const url = new URL(qrconnect.replace(/#wechat_redirect$/, ''));
  assert.equal(url.pathname, '/connect/qrconnect');
  assert.equal((await fetch(url)).status, 200);
  const confirm = new URL('/connect/confirm', url);
  for (const [k, v] of url.searchParams) confirm.searchParams.set(k, v);
  confirm.searchParams.set('user', user);
  confirm.searchParams.set('nickname', nickname);
  confirm.searchParams.set('action', action);
  for (const [k, v] of Object.entries(extra)) confirm.searchParams.set(k, v);
  const res = await fetch(confirm, { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  assert.equal(back.pathname, '/login/wechat/callback');
  return back.pathname + back.search;
}

/** 绑定微信 from 帐号管理 in a signed-in (fresh) browser, scanning as `user`. */
async function bind(agent: Agent, user: string, nickname = user): Promise<Page> {
  const started = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  assert.equal(started.status, 303, started.text);
  const back = await agent.get(await scan(started.location, user, nickname));
  return back.status === 303 ? agent.get(back.location!) : back;
}

/** 微信扫码登录 in a browser: answers the callback's page (a redirect when signed in). */
async function scanSignIn(agent: Agent, user: string, next?: string): Promise<Page> {
  const started = await agent.get(`/login/wechat${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  assert.equal(started.status, 303);
  return agent.get(await scan(started.location, user));
}

const liveBindings = (accountId: string) =>
  t.db.selectFrom('social_bindings').selectAll().where('account_id', '=', accountId).where('released_at', 'is', null).execute();
const auditActions = async (accountId: string) =>
  (await t.db.selectFrom('audit_events').select('action').where('account_id', '=', accountId).orderBy('id').execute()).map((r) => r.action);

test('the sign-in page offers 微信扫码登录, keeping next', async () => {
  const page = await new Agent(t.app).get('/login?next=%2Fsso%2Finteraction%2Fabc');
  assert.match(page.text, /微信扫码登录/);
  assert.ok(page.body.includes('href="/login/wechat?next=%2Fsso%2Finteraction%2Fabc"'));
});

test('bind from 帐号管理, told to the phone and in the security log; then a new browser signs in by scanning', async () => {
  const { agent, accountId, phone } = await t.registerPhone({ password: PASSWORD });
  const before = await agent.get('/account/social');
  assert.match(before.text, /微信 未绑定/);
  // 绑定 redirects to WeChat after the form: the page's form-action allows WeChat's origin.
  assert.match(String(before.headers['content-security-policy']), new RegExp(`form-action 'self'[^;]* ${new URL(wechatBase).origin}[ ;]`));

  const bound = await bind(agent, 'bind-and-sign-in', '小明');
  assert.equal(bound.status, 200);
  assert.match(bound.text, /微信绑定成功/);
  assert.match(bound.text, /已绑定：小明/);
  const [row] = await liveBindings(accountId);
  assert.equal(row?.subject, simulator.unionidOf('bind-and-sign-in'));
  assert.match((await t.latestMessageTo(phone))!.text, /绑定微信（小明）/);
  assert.match((await agent.get('/account/security')).text, /绑定微信/);

  const browser = new Agent(t.app, { ip: t.nextIp() });
  const signedIn = await scanSignIn(browser, 'bind-and-sign-in');
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.location, '/account');
  assert.equal((await browser.get('/account')).status, 200);
  const sessions = await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).execute();
  // The registration's session, and the scan's, which platforms hear was a WeChat sign-in.
  assert.deepEqual(sessions.map((s) => s.auth_methods.join()).sort(), ['password', 'wechat']);
});

test('a platform sign-in’s next is kept through the scan', async () => {
  const { agent } = await t.registerPhone({ password: PASSWORD });
  await bind(agent, 'next-kept');
  const signedIn = await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'next-kept', '/cas/login?service=https%3A%2F%2Fexample.edu.cn%2F');
  assert.equal(signedIn.location, '/cas/login?service=https%3A%2F%2Fexample.edu.cn%2F');
  const offsite = await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'next-kept', '//evil.example/');
  assert.equal(offsite.location, '/account');
});

test('解除绑定 needs a fresh sign-in, is told to the phone, and the identity no longer signs in', async () => {
  const { agent, accountId, phone } = await t.registerPhone({ password: PASSWORD });
  await bind(agent, 'to-unbind');
  t.clock.advance(11 * MINUTE);
  const stale = await agent.submit('/account/social/wechat/unbind', {}, { from: '/account/social' });
  assert.equal(stale.status, 303);
  assert.equal(stale.location, `/account/confirm-password?next=${encodeURIComponent('/account/social')}`);
  assert.equal((await liveBindings(accountId)).length, 1);

  await agent.submit('/account/confirm-password', { currentPassword: PASSWORD, next: '/account/social' }, { from: '/account/confirm-password' });
  const done = await agent.submit('/account/social/wechat/unbind', {}, { from: '/account/social' });
  assert.equal(done.location, '/account/social?unbound=wechat');
  assert.match((await agent.get(done.location!)).text, /已解除微信绑定/);
  assert.equal((await liveBindings(accountId)).length, 0);
  assert.match((await t.latestMessageTo(phone))!.text, /解除微信/);
  assert.ok((await auditActions(accountId)).includes('social.wechat_unbound'));

  const scanned = await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'to-unbind');
  assert.equal(scanned.status, 200);
  assert.match(scanned.text, /还没有绑定通行帐号/);
});

test('the 2-hour rule: after a recovery binding is refused with 操作过于频繁，操作被禁止 and the time it opens', async () => {
  const { agent, accountId, phone } = await t.registerPhone({ password: PASSWORD });
  // The recovery's time, as 找回密码 records it (its own tests cover the recovery itself).
  await t.db.updateTable('accounts').set({ password_recovered_at: t.clock.now() }).where('id', '=', accountId).execute();
  const page = await agent.get('/account/social');
  assert.match(page.text, /您刚找回了用户名或密码：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);

  const refused = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  assert.equal(refused.status, 403);
  assert.match(refused.text, /操作过于频繁，操作被禁止：找回用户名或密码后 2 小时内不能绑定微信或支付宝，请于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
  assert.equal((await liveBindings(accountId)).length, 0);

  // Two hours on (the session has long gone idle): signed in again, binding works.
  t.clock.advance(2 * HOUR + MINUTE);
  const later = (await t.signIn(phone, PASSWORD)).agent;
  assert.doesNotMatch((await later.get('/account/social')).text, /您刚找回了用户名或密码/);
  assert.match((await bind(later, 'after-the-pause')).text, /微信绑定成功/);
});

test('an identity bound to another account is refused, naming that account masked; the first keeps it', async () => {
  const first = await t.registerPhone({ password: PASSWORD });
  await bind(first.agent, 'shared-wechat');
  const second = await t.registerPhone({ password: PASSWORD });
  const refused = await bind(second.agent, 'shared-wechat');
  assert.equal(refused.status, 409);
  const masked = `${first.phone.slice(0, 3)}****${first.phone.slice(7)}`;
  assert.ok(refused.text.includes(`该微信已绑定其他帐号 ${masked}`), refused.text);
  assert.equal((await liveBindings(second.accountId)).length, 0);
  assert.equal((await liveBindings(first.accountId)).length, 1);
  assert.ok((await auditActions(second.accountId)).includes('social.bind_refused'));

  // And an account holds one WeChat: binding another is refused before the scan.
  const again = await first.agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  assert.equal(again.status, 409);
  assert.match(again.text, /本帐号已绑定微信/);
});

test('an unbound identity makes no account: sign in with the password, confirm, and the scan works from then on', async () => {
  const { phone, accountId } = await t.registerPhone({ password: PASSWORD });
  const accounts = async () =>
    Number(
      (
        await t.db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const count = await accounts();
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const unbound = await scanSignIn(browser, 'new-to-tongxing');
  assert.match(unbound.text, /微信用户「new-to-tongxing」还没有绑定通行帐号/);
  assert.match(unbound.text, /用户名密码登录并绑定/);
  assert.match(unbound.text, /注册新帐号/);
  assert.equal(await accounts(), count);

  const signedIn = await browser.submit(
    '/login',
    { username: phone, password: PASSWORD, next: '/account/social/pending' },
    { from: '/login?next=%2Faccount%2Fsocial%2Fpending' },
  );
  assert.equal(signedIn.location, '/account/social/pending');
  const confirm = await browser.get('/account/social/pending');
  assert.match(confirm.text, /将微信用户「new-to-tongxing」绑定到当前帐号/);
  const done = await browser.submit('/account/social/pending', {});
  assert.equal(done.location, '/account/social?bound=wechat');
  assert.equal((await liveBindings(accountId))[0]?.subject, simulator.unionidOf('new-to-tongxing'));
  // The waiting identity is used once.
  assert.equal((await browser.submit('/account/social/pending', {}, { from: '/account/social' })).status, 400);

  const later = await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'new-to-tongxing');
  assert.equal(later.location, '/account');
});

test('the state is bound to the browser and used once; a refusal, a bad code each say what happened', async () => {
  const started = await new Agent(t.app).get('/login/wechat');
  const callback = await scan(started.location, 'state-owner');
  // Another browser (no cookie) brings the same callback: refused, and nothing is spent at WeChat.
  const elsewhere = await new Agent(t.app, { ip: t.nextIp() }).get(callback);
  assert.equal(elsewhere.status, 400);
  assert.match(elsewhere.text, /登录已失效，或不是在本浏览器中发起的/);

  const browser = new Agent(t.app, { ip: t.nextIp() });
  const first = await browser.get('/login/wechat');
  const firstCallback = await scan(first.location, 'state-owner');
  const cookies = new Map(browser.cookies);
  await browser.get(firstCallback);
  for (const [k, v] of cookies) browser.cookies.set(k, v);
  const replay = await browser.get(firstCallback);
  assert.equal(replay.status, 400);
  assert.match(replay.text, /登录已失效/);

  const refusing = new Agent(t.app, { ip: t.nextIp() });
  const refused = await refusing.get(await scan((await refusing.get('/login/wechat')).location, 'refuser', 'r', 'deny'));
  assert.match(refused.text, /您没有在微信中同意登录/);
  assert.match(refused.body, /id="social-retry"[^>]*href="\/login\/wechat"|href="\/login\/wechat"[^>]*id="social-retry"/);
  // Started from a platform's sign-in, trying again keeps the way back to the platform.
  const fromPlatform = new Agent(t.app, { ip: t.nextIp() });
  const next = '/oidc/auth?client_id=x';
  const refusedThere = await fromPlatform.get(
    await scan((await fromPlatform.get(`/login/wechat?next=${encodeURIComponent(next)}`)).location, 'refuser', 'r', 'deny'),
  );
  assert.match(refusedThere.body, new RegExp(`href="/login/wechat\\?next=${encodeURIComponent(next).replace(/[?]/g, '\\?')}"`));

  const forging = new Agent(t.app, { ip: t.nextIp() });
  const forged = (await scan((await forging.get('/login/wechat')).location, 'forger')).replace(/code=[^&]+/, 'code=notacode');
  const invalid = await forging.get(forged);
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /微信授权码无效，请重新扫码/);

  const slow = new Agent(t.app, { ip: t.nextIp() });
  const slowStart = await slow.get('/login/wechat');
  const slowCallback = await scan(slowStart.location, 'slow');
  t.clock.advance(10 * MINUTE + 1_000);
  assert.match((await slow.get(slowCallback)).text, /登录已失效/);

  assert.equal((await new Agent(t.app).get('/login/wechat/callback?state[]=x&code=1')).status, 400);
});

test('a suspended account cannot sign in by scanning; its binding waits for it to be restored', async () => {
  const { agent, accountId } = await t.registerPhone({ password: PASSWORD });
  await bind(agent, 'to-suspend');
  await suspendAccount(t.services.accounts, accountId, { username: 'support.su', ip: null }, '核实身份');
  const refused = await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'to-suspend');
  assert.equal(refused.status, 403);
  assert.match(refused.text, /该帐号已停用，请联系客服/);
  assert.equal((await liveBindings(accountId)).length, 1);
  assert.ok((await auditActions(accountId)).includes('social.sign_in_refused'));
});

test('deregistration releases the bindings: the identity is free for another account', async () => {
  const body = '11010519900307301';
  const { agent, accountId } = await t.registerPhone({ password: PASSWORD, realName: { name: '周一', idNumber: `${body}${mod11_2(body)}` } });
  await bind(agent, 'to-deregister');
  await markIdNumberWrong(t.services.accounts, accountId, { username: 'support.su', ip: null }, '证件号码填写错误');
  assert.equal((await liveBindings(accountId)).length, 0);
  const released = await t.db
    .selectFrom('social_bindings')
    .select(['release_reason', 'released_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  assert.equal(released.release_reason, 'deregistered');
  assert.ok((await auditActions(accountId)).includes('social.released'));

  assert.match((await scanSignIn(new Agent(t.app, { ip: t.nextIp() }), 'to-deregister')).text, /还没有绑定通行帐号/);
  const other = await t.registerPhone({ password: PASSWORD });
  assert.match((await bind(other.agent, 'to-deregister')).text, /微信绑定成功/);
});

test('binding is limited per account: the eleventh start in a day is 操作过于频繁 and goes nowhere', async () => {
  const { agent } = await t.registerPhone({ password: PASSWORD });
  await agent.get('/account/social');
  for (let i = 0; i < 10; i++) assert.equal((await agent.submit('/account/social/wechat/bind', {})).status, 303);
  const limited = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  assert.equal(limited.status, 429);
  assert.equal(limited.location, undefined);
  assert.match(limited.text, /操作过于频繁，操作被禁止，请 \d+ 秒后再试/);
});

test('an account with a second factor: the scan stops at /login/second-factor, keeping next, and the code finishes it', async () => {
  const { agent, accountId } = await t.registerPhone({ password: PASSWORD });
  await bind(agent, 'with-second-factor');
  const setup = await agent.get('/account/two-factor/setup');
  const app = new Authenticator(shownKey(setup.body));
  assert.equal((await agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) })).status, 200);

  t.clock.advance(30_000);
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const scanned = await scanSignIn(browser, 'with-second-factor', '/account/sessions');
  assert.equal(scanned.status, 303);
  assert.equal(scanned.location, `/login/second-factor?next=${encodeURIComponent('/account/sessions')}`);
  assert.equal((await browser.get('/account')).status, 303, 'no session before the second factor');
  await browser.get(scanned.location!);
  const done = await browser.submit('/login/second-factor', { code: app.codeAt(t.clock.now()), next: '/account/sessions' });
  assert.equal(done.location, '/account/sessions');
  const methods = await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).execute();
  assert.ok(
    methods.some((m) => m.auth_methods.join() === 'wechat,totp'),
    JSON.stringify(methods),
  );
});

test('signed out during the scan: the binding is refused with a reason that says so, and nothing is bound', async () => {
  const { agent, accountId } = await t.registerPhone();
  const started = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  assert.equal(started.status, 303);
  const callback = await scan(started.location, 'wx-signed-out-during-scan');
  await agent.submit('/logout', {}, { from: '/account' });
  const back = await agent.get(callback);
  assert.equal(back.status, 401);
  assert.match(back.text, /扫码期间您已退出登录或登录已过期，请重新登录后再绑定/);
  assert.deepEqual(await liveBindings(accountId), []);
});

test('bound by openid, then the application gets unionids: the scan still signs in, and the binding moves to the unionid', async () => {
  const { agent, accountId } = await t.registerPhone();
  const started = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
  const back = await agent.get(await scan(started.location, 'wx-openid-first', 'wx-openid-first', 'allow', { no_unionid: '1' }));
  assert.ok(back.status < 400, back.text);
  const before = (await liveBindings(accountId))[0]?.subject;
  assert.ok(before && before !== simulator.unionidOf('wx-openid-first'), 'bound by its openid');

  // Later WeChat sends the unionid too (the application joined an open-platform account).
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const signedIn = await scanSignIn(browser, 'wx-openid-first');
  assert.equal(signedIn.status, 303, signedIn.text);
  assert.equal(signedIn.location, '/account');
  assert.equal((await liveBindings(accountId))[0]?.subject, simulator.unionidOf('wx-openid-first'));
});

test('an unbound scan, then 注册新帐号 by phone: the new account is led on to confirm the binding', async () => {
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const unbound = await scanSignIn(browser, 'registers-after-scan');
  assert.match(unbound.body, /href="\/register\?next=%2Faccount%2Fsocial%2Fpending"/);
  const form = await browser.get('/register?next=%2Faccount%2Fsocial%2Fpending');
  assert.equal(form.location, '/register/phone?next=%2Faccount%2Fsocial%2Fpending');
  await browser.get(form.location!);
  const phone = t.nextPhone();
  await browser.submit('/register/phone/code', { phone, next: '/account/social/pending' });
  const code = /(\d{6})/.exec((await t.latestMessageTo(phone))!.text)![1]!;
  const made = await browser.submit('/register/phone', { phone, code, password: PASSWORD, password2: PASSWORD, next: '/account/social/pending' });
  assert.equal(made.status, 303, made.text);
  assert.equal(made.location, '/account/social/pending');
  const confirm = await browser.get('/account/social/pending');
  assert.match(confirm.text, /将微信用户「registers-after-scan」绑定到当前帐号/);
  assert.equal((await browser.submit('/account/social/pending', {})).location, '/account/social?bound=wechat');
  // Somewhere else is never where a registration leads.
  const elsewhere = await new Agent(t.app, { ip: t.nextIp() }).get('/register?next=https%3A%2F%2Fevil.example%2F');
  assert.equal(elsewhere.location, '/register/phone');
});
