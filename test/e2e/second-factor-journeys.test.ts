// Browser journeys of 两步验证 in a real Chromium against the real app on a loopback port: turning
// it on from 帐号管理 (the QR code and the key; the test is the authenticator app, computing the
// code from the key the page shows), the recovery codes shown once, signing out and in again with
// the password and then the code, a recovery code in place of the code, and turning it off. Each
// asserts what the person sees, and saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { Authenticator } from '../helpers/authenticator.ts';
import {
  closeJourneys,
  follow,
  mainText,
  path,
  phoneSequence,
  registerPhoneAccount,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
  textOf,
} from '../helpers/journey.ts';

const PASSWORD = 'lantern river pebble';

let t: ServedInstance;
let browser: Browser;

before(async () => {
  ({ t, browser } = await startJourneys());
});

after(async () => {
  await closeJourneys({ t, browser });
});

const freshPhone = phoneSequence('179', 40_000_000, 7_121);

/** The authenticator's next code: a new 30-second step on the service's clock (each is accepted once). */
const nextCode = (app: Authenticator) => {
  t.clock.advance(30_000);
  return app.codeAt(t.clock.now());
};

async function signOut(page: Page): Promise<void> {
  await page.goto('/account');
  await submitWith(page, page.locator('header.site-header form[action="/logout"] button'));
  assert.equal(path(page), '/login');
}

/** Password on /login: the browser is asked for the second step, not let in. */
async function passwordThenAsked(page: Page, phone: string): Promise<void> {
  assert.equal(await submitSignIn(page, phone, PASSWORD), 303);
  assert.equal(path(page), '/login/second-factor');
  assert.equal(await textOf(page.locator('h1')), '两步验证');
  assert.match(await mainText(page), /请打开身份验证器，输入其中显示的 6 位动态口令/);
}

async function typeSecondFactor(page: Page, code: string): Promise<number> {
  await page.locator('#second-factor input[name=code]').fill(code);
  return submitWith(page, page.locator('#second-factor-submit'));
}

test('two-step verification: on from 帐号管理, then password + code, a recovery code, and off again', async () => {
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { page } = await openPage(browser, t.baseURL);
  await signIn(page, phone, PASSWORD);

  // 帐号管理 › 两步验证 › 开启两步验证 (just signed in: fresh, no password asked again).
  await follow(page, page.locator('#settings-links a', { hasText: '两步验证' }));
  assert.equal(path(page), '/account/two-factor');
  assert.match(await textOf(page.locator('#two-factor-status')), /^未开启/);
  await follow(page, page.locator('#two-factor-setup'));
  assert.equal(path(page), '/account/two-factor/setup');
  assert.ok(await page.locator('#totp-qr svg').isVisible(), 'a QR code to scan');
  const app = new Authenticator(await textOf(page.locator('#totp-secret')));
  await screenshot(page, 'mfa-setup');

  // A wrong code first: nothing is turned on.
  const wrong = app.codeAt(new Date(t.clock.now().getTime() + 5 * 60_000));
  await page.locator('#totp-setup input[name=code]').fill(wrong);
  assert.equal(await submitWith(page, page.locator('#totp-setup-submit')), 400);
  assert.equal(await textOf(page.locator('#f-code-error')), '动态口令或恢复码不正确');

  await page.locator('#totp-setup input[name=code]').fill(app.codeAt(t.clock.now()));
  assert.equal(await submitWith(page, page.locator('#totp-setup-submit')), 200);
  assert.match(await mainText(page), /两步验证已开启/);
  const codes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await screenshot(page, 'mfa-recovery-codes');
  await follow(page, page.locator('main a', { hasText: '我已保存，返回' }));
  assert.match(await textOf(page.locator('#two-factor-status')), /^已开启/);
  assert.equal(await textOf(page.locator('#recovery-codes-left')), '未使用的恢复码：10 个');
  assert.equal(await page.locator('#recovery-codes').count(), 0, 'the codes are not shown again');

  // Signed out and in again: the password, then the code.
  await signOut(page);
  await passwordThenAsked(page, phone);
  await screenshot(page, 'mfa-sign-in-step');
  const code = nextCode(app);
  assert.equal(await typeSecondFactor(page, code === '000000' ? '111111' : '000000'), 400);
  assert.equal(await textOf(page.locator('#f-code-error')), '动态口令或恢复码不正确');
  assert.equal(await typeSecondFactor(page, code), 303);
  assert.equal(path(page), '/account');

  // A recovery code instead of the code, as typed from paper (upper case).
  await signOut(page);
  await passwordThenAsked(page, phone);
  assert.equal(await typeSecondFactor(page, codes[0]!.toUpperCase()), 303);
  assert.equal(path(page), '/account');
  await page.goto('/account/two-factor');
  assert.equal(await textOf(page.locator('#recovery-codes-left')), '未使用的恢复码：9 个');

  // Off, with a current code; the password alone signs in again.
  await page.locator('#disable-two-factor input[name=code]').fill(nextCode(app));
  assert.equal(await submitWith(page, page.locator('#disable-two-factor-submit')), 200);
  assert.equal(await textOf(page.locator('main .notice-success')), '两步验证已关闭。');
  assert.match(await textOf(page.locator('#two-factor-status')), /^未开启/);
  await screenshot(page, 'mfa-turned-off');
  await signOut(page);
  await signIn(page, phone, PASSWORD);
  await page.goto('/account/security');
  assert.match(await mainText(page), /关闭两步验证/);
  assert.match(await mainText(page), /密码 \+ 恢复码/);
});
