// Browser journeys of 微信扫码登录 in a real Chromium against the real app on a loopback port, with
// WeChat played by the simulator the app offers outside production at /dev/wechat (the app's
// WeChat client reaches it over real HTTP, as it would reach api.weixin.qq.com): binding from
// 帐号管理, signing out and in again by scanning, unbinding; an identity bound to no account
// (sign in with the password and bind); the 2-hour rule after a real 找回密码; an identity bound to
// one account refused for a second, naming the first masked; and signing in to a platform through
// its OIDC sign-in by scanning; and Alipay (its simulator at /dev/alipay) bound, signed in with and
// unbound through the same service. Each saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type OpenedPage, type ServedInstance } from '../helpers/browser.ts';
import { checkLandedPage } from '../helpers/page-checks.ts';
import { codeIn } from '../helpers/agent.ts';
import {
  closeJourneys,
  follow,
  maskPhone,
  outboxIds,
  path,
  phoneSequence,
  registerPhoneAccount,
  residentId,
  signIn,
  startJourneys,
  submitWith,
  textOf,
  waitForMessageTo,
} from '../helpers/journey.ts';
import { defaultLimitPolicy } from '../../src/security/rate-limits.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { addClient } from '../../src/sso/clients.ts';
import { startPlatform, type RunningPlatform } from '../../examples/platform/platform.ts';

const PASSWORD = 'maple lantern harbour';
const NEW_PASSWORD = 'quartz meadow sunrise';

let t: ServedInstance;
let browser: Browser;
const platforms: RunningPlatform[] = [];

before(async () => {
  ({ t, browser } = await startJourneys({ limits: { recoveryPerIp: { ...defaultLimitPolicy.recoveryPerIp, points: 1_000 } } }));
});
after(async () => {
  for (const p of platforms) await p.close();
  await closeJourneys({ t, browser });
});

const freshPhone = phoneSequence('166', 30_000_000, 8_111);

/** A fresh browser whose requests never leave the machine. */
async function openBrowser(): Promise<OpenedPage> {
  const opened = await openPage(browser, t.baseURL);
  await opened.context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  return opened;
}

/** On the simulator's qrconnect page: the test WeChat user, then 扫码并确认登录; waits for where WeChat sends the browser. */
async function scanAs(page: Page, user: string, nickname: string): Promise<void> {
  assert.equal(path(page), '/dev/wechat/connect/qrconnect', 'at WeChat’s QR-code page (the simulator)');
  assert.equal(await textOf(page.locator('h1')), '微信登录（模拟器）');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('scope'), 'snsapi_login');
  assert.equal(url.searchParams.get('redirect_uri'), `${t.baseURL}/login/wechat/callback`);
  await page.locator('#wx-user').fill(user);
  await page.locator('#wx-nickname').fill(nickname);
  await Promise.all([page.waitForEvent('load'), page.locator('#wx-allow').click()]);
  await checkLandedPage(page);
}

async function signOut(page: Page): Promise<void> {
  assert.equal(await submitWith(page, page.locator('form[action="/logout"] button')), 303);
  assert.equal(path(page), '/login');
}

/** 帐号管理 › 微信和支付宝 › 绑定微信, then the scan; answers on the page it ends. */
async function bindWechat(page: Page, user: string, nickname: string): Promise<void> {
  await page.goto('/account');
  await follow(page, page.locator('#social-link'));
  assert.equal(path(page), '/account/social');
  assert.equal(await page.locator('#social-wechat').getAttribute('data-bound'), 'no');
  assert.equal(await submitWith(page, page.locator('#social-wechat-bind')), 303);
  await scanAs(page, user, nickname);
}

/** 登录 › 微信扫码登录, then the scan. */
async function scanToSignIn(page: Page, user: string, nickname: string, from = '/login'): Promise<void> {
  if (from) await page.goto(from);
  assert.equal(await textOf(page.locator('#login-wechat')), '微信扫码登录');
  await follow(page, page.locator('#login-wechat'));
  await scanAs(page, user, nickname);
}

test('bind WeChat in 帐号管理, sign out, sign in by scanning, then unbind: each told to the phone and in 安全记录', async () => {
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openBrowser();
  try {
    await signIn(page, phone, PASSWORD);
    const seen = await outboxIds(t.baseURL);
    await bindWechat(page, 'journey-bind-1', '王小明');
    assert.equal(path(page), '/account/social');
    assert.equal(await textOf(page.locator('main .notice-success')), '微信绑定成功，此后可用微信扫码登录。');
    assert.equal(await page.locator('#social-wechat').getAttribute('data-bound'), 'yes');
    assert.match(await textOf(page.locator('#social-wechat')), /已绑定：王小明/);
    await screenshot(page, 'social-a-bound');
    const notice = await waitForMessageTo(t.baseURL, phone, /绑定微信/, { seen });
    assert.match(notice.text, /您的通行帐号已于 .*（北京时间）绑定微信（王小明），此后可用该微信扫码登录。/);

    await signOut(page);
    await scanToSignIn(page, 'journey-bind-1', '王小明');
    assert.equal(path(page), '/account', 'signed in by the scan');
    assert.equal(await textOf(page.locator('#username')), maskPhone(phone));
    await screenshot(page, 'social-a-signed-in-by-scan');

    // Signed in by WeChat a moment ago: fresh enough to unbind.
    await page.goto('/account/social');
    const unbindSeen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#social-wechat-unbind')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), '已解除微信绑定。');
    assert.equal(await page.locator('#social-wechat').getAttribute('data-bound'), 'no');
    assert.match((await waitForMessageTo(t.baseURL, phone, /解除微信/, { seen: unbindSeen })).text, /解除微信（王小明）绑定/);

    await page.goto('/account/security');
    const log = await page.locator('#security-log tbody').innerText();
    assert.match(log, /解除微信绑定/);
    assert.match(log, /绑定微信/);
    await screenshot(page, 'social-a-security-log');

    // The unbound WeChat no longer signs in: it is offered the password and bind, or to register.
    await signOut(page);
    await scanToSignIn(page, 'journey-bind-1', '王小明');
    assert.equal(path(page), '/login/wechat/callback');
    assert.match(await textOf(page.locator('#social-unbound')), /微信用户「王小明」还没有绑定通行帐号/);
  } finally {
    await context.close();
  }
});

test('a WeChat bound to no account: sign in with the password and bind; no account is made from WeChat alone', async () => {
  const { phone, accountId } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openBrowser();
  try {
    await scanToSignIn(page, 'journey-unbound-2', '李雷');
    assert.equal(await textOf(page.locator('h1')), '该微信尚未绑定通行帐号');
    assert.equal(await textOf(page.locator('#social-unbound-register')), '注册新帐号');
    await screenshot(page, 'social-b-unbound');

    await follow(page, page.locator('#social-unbound-login'));
    assert.equal(path(page), '/login');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill(PASSWORD);
    assert.equal(await submitWith(page, page.locator('#login-submit')), 303);
    assert.equal(path(page), '/account/social/pending');
    assert.equal(await textOf(page.locator('#social-confirm')), '将微信用户「李雷」绑定到当前帐号？绑定后可用微信扫码登录本帐号。');
    await screenshot(page, 'social-b-confirm');
    assert.equal(await submitWith(page, page.locator('#social-confirm-submit')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), '微信绑定成功，此后可用微信扫码登录。');
    const bindings = await t.db
      .selectFrom('social_bindings')
      .select('account_id')
      .where('released_at', 'is', null)
      .where('account_id', '=', accountId)
      .execute();
    assert.equal(bindings.length, 1);

    await signOut(page);
    await scanToSignIn(page, 'journey-unbound-2', '李雷');
    assert.equal(path(page), '/account');
  } finally {
    await context.close();
  }
});

test('a WeChat bound to one account is refused for a second, naming the first masked', async () => {
  const first = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const second = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const one = await openBrowser();
  try {
    await signIn(one.page, first.phone, PASSWORD);
    await bindWechat(one.page, 'journey-shared-4', '共用微信');
    assert.equal(await textOf(one.page.locator('main .notice-success')), '微信绑定成功，此后可用微信扫码登录。');
  } finally {
    await one.context.close();
  }
  const two = await openBrowser();
  try {
    await signIn(two.page, second.phone, PASSWORD);
    await bindWechat(two.page, 'journey-shared-4', '共用微信');
    assert.equal(
      await textOf(two.page.locator('main .error-summary-form')),
      `该微信已绑定其他帐号 ${maskPhone(first.phone)}，不能再绑定本帐号。请用该帐号登录后解除绑定，或使用其他微信。`,
    );
    assert.equal(await two.page.locator('#social-wechat').getAttribute('data-bound'), 'no');
    await screenshot(two.page, 'social-d-bound-elsewhere');
    await two.page.goto('/account/security');
    assert.match(await two.page.locator('#security-log tbody').innerText(), /绑定微信或支付宝被拒绝（已绑定其他帐号）/);
  } finally {
    await two.context.close();
  }
});

/** A free loopback port: the platform is registered with its redirect before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

test('signing in to a platform (OIDC) by scanning: the platform’s sign-in is kept through WeChat', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { clientId, clientSecret } = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: '学籍档案',
      redirectUris: [`${url}/callback`],
      postLogoutRedirectUris: [`${url}/`],
      requiresRealname: false,
      scopes: ['profile', 'realname'],
      idNumberAccess: 'none',
    },
  );
  platforms.push(await startPlatform({ issuer: `${t.baseURL}/oidc`, clientId, clientSecret, baseUrl: url, allowHttp: true, name: '学籍档案' }, port));

  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const setup = await openBrowser();
  try {
    await signIn(setup.page, phone, PASSWORD);
    await bindWechat(setup.page, 'journey-platform-5', '张同学');
  } finally {
    await setup.context.close();
  }

  const { context, page } = await openBrowser();
  try {
    await page.goto(`${url}/`);
    await follow(page, page.locator('#login'));
    // The sign-in page, at the platform sign-in's own address.
    const next = path(page);
    assert.match(next, /^\/sso\/interaction\/[\w-]+$/);
    assert.match(await textOf(page.locator('#signin-platform')), /学籍档案/);
    assert.equal(await page.locator('#login-wechat').getAttribute('href'), `/login/wechat?next=${encodeURIComponent(next)}`);
    await scanToSignIn(page, 'journey-platform-5', '张同学', '');
    // Back in the platform's sign-in (the provider resumes it, now signed in), at its consent page.
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/);
    assert.match(await textOf(page.locator('#consent-intro')), /“学籍档案”请求使用您的通行帐号登录/);
    await screenshot(page, 'social-e-platform-consent');
    assert.equal(await submitWith(page, page.locator('#consent-allow-submit')), 303);
    assert.equal(page.url(), `${url}/`);
    assert.match(await textOf(page.locator('#signed-in')), /^已登录/);
    await screenshot(page, 'social-e-platform-signed-in');
  } finally {
    await context.close();
  }
});

/** On the Alipay simulator's page (/dev/alipay): approve as a test user of one's own. */
async function approveOnAlipay(page: Page, userId: string, nickname: string): Promise<void> {
  assert.equal(path(page), '/dev/alipay/oauth2/publicAppAuthorize.htm', 'at Alipay’s authorisation page (the simulator)');
  await page.getByLabel('其他测试用户').check();
  await page.getByLabel('用户 ID（2088 开头的 16 位数字）').fill(userId);
  await page.getByLabel('昵称').fill(nickname);
  assert.equal(await submitWith(page, page.getByRole('button', { name: '同意授权', exact: true })), 302);
}

test('支付宝 through the same service: bind in 帐号管理, sign out, sign in with 支付宝登录, unbind', async () => {
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openBrowser();
  try {
    await signIn(page, phone, PASSWORD);
    await page.goto('/account/social');
    assert.equal(await page.locator('#social-alipay').getAttribute('data-bound'), 'no');
    assert.equal(await submitWith(page, page.locator('#social-alipay-bind')), 303);
    await approveOnAlipay(page, '2088000033334444', '支付宝同学');
    assert.equal(path(page), '/account/social');
    assert.equal(await textOf(page.locator('main .notice-success')), '支付宝绑定成功，此后可用支付宝扫码登录。');
    assert.match(await textOf(page.locator('#social-alipay')), /已绑定：支付宝同学/);
    await screenshot(page, 'social-f-alipay-bound');

    await signOut(page);
    assert.equal(await textOf(page.locator('#login-alipay')), '支付宝登录');
    await follow(page, page.locator('#login-alipay'));
    await approveOnAlipay(page, '2088000033334444', '支付宝同学');
    assert.equal(path(page), '/account', 'signed in with Alipay');
    assert.equal(await textOf(page.locator('#username')), maskPhone(phone));

    await page.goto('/account/social');
    assert.equal(await submitWith(page, page.locator('#social-alipay-unbind')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), '已解除支付宝绑定。');
  } finally {
    await context.close();
  }
});

// Last: it moves the clock two hours on (the sessions and the platform's tokens of the journeys above would age).
test('the 2-hour rule: after 找回密码, binding says 操作过于频繁，操作被禁止 and when it opens; two hours on it works', async () => {
  const name = '韩梅梅';
  const idNumber = residentId('44030519910521002');
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name, idType: 'resident_id', idNumber });
  const { context, page } = await openBrowser();
  try {
    // 找回密码 by SMS, as a person does it (test/e2e/recovery-journeys.test.ts walks it in detail).
    await page.goto('/recover/password');
    await page.locator('#recover-password-form input[name=username]').fill(phone);
    await page.locator('#recover-password-form fieldset.captcha[data-state="verified"]').waitFor();
    const seen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#recover-password-submit')), 200);
    const sms = await waitForMessageTo(t.baseURL, phone, /找回密码校验码/, { seen, sent: true });
    await page.locator('#recover-code-form input[name=code]').fill(codeIn(sms.text));
    assert.equal(await submitWith(page, page.locator('#recover-code-submit')), 200);
    const form = page.locator('#recover-reset-form');
    await form.locator('input[name=name]').fill(name);
    await form.locator('input[name=idNumber]').fill(idNumber);
    await form.locator('input[name=password]').fill(NEW_PASSWORD);
    await form.locator('input[name=password2]').fill(NEW_PASSWORD);
    assert.equal(await submitWith(page, page.locator('#recover-reset-submit')), 303);
    assert.equal(path(page), '/login');

    await signIn(page, phone, NEW_PASSWORD);
    await page.goto('/account/social');
    assert.match(await textOf(page.locator('main .notice-info')), /^您刚找回了用户名或密码：.+ 后才能绑定微信或支付宝。$/);
    assert.equal(await submitWith(page, page.locator('#social-wechat-bind')), 403);
    assert.match(
      await textOf(page.locator('main .error-summary-form')),
      /^操作过于频繁，操作被禁止：找回用户名或密码后 2 小时内不能绑定微信或支付宝，请于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 后再绑定。现在可以用用户名和密码登录。$/,
    );
    await screenshot(page, 'social-c-paused');
  } finally {
    await context.close();
  }

  t.clock.advance(2 * HOUR + MINUTE);
  const later = await openBrowser();
  try {
    await signIn(later.page, phone, NEW_PASSWORD);
    await bindWechat(later.page, 'journey-paused-3', '韩梅梅');
    assert.equal(await textOf(later.page.locator('main .notice-success')), '微信绑定成功，此后可用微信扫码登录。');
  } finally {
    await later.context.close();
  }
});
