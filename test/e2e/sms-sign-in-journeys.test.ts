// 手机校验码登录 in Chromium: from the password sign-in page to the SMS tab, 免费获取校验码, a
// wrong code and then the right one, into 帐号管理, with the sign-in in the security log; and the
// same way in from a platform's OpenID Connect sign-in (the example platform), back at the
// platform signed in. Screenshots go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import {
  closeJourneys,
  follow,
  latestMessageTo,
  maskPhone,
  path,
  phoneSequence,
  registerPhoneAccount,
  startJourneys,
  submitWith,
  textOf,
} from '../helpers/journey.ts';
import { startExamplePlatform, type ExamplePlatform } from '../helpers/example-platform.ts';

const PASSWORD = 'juniper river morning';
let t: ServedInstance;
let browser: Browser;
let platform: ExamplePlatform;

before(async () => {
  ({ t, browser } = await startJourneys());
  platform = await startExamplePlatform(t, '研招网');
});
after(async () => {
  await platform?.close();
  await closeJourneys({ t, browser });
});

const freshPhone = phoneSequence('186', 70_000_000, 7_013);

test('sign in with an SMS code: the tab, 免费获取校验码, a wrong code, the right one, and the security log', async () => {
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/login');
    await follow(page, page.locator('#tab-sms'));
    assert.equal(path(page), '/login/sms');
    assert.equal(await page.locator('#tab-sms').getAttribute('aria-current'), 'page');
    await page.locator('input[name=phone]').fill(phone);
    assert.equal(await submitWith(page, page.locator('#send-code')), 200);
    assert.match(await textOf(page.locator('.notice-success')), new RegExp(`校验码已发送至 ${maskPhone(phone).replace(/\*/g, '\\*')}，10 分钟内有效`));
    assert.equal(await page.locator('input[name=phone]').inputValue(), phone, 'the number stays in the form');
    await screenshot(page, 'sms-sign-in-code-sent');

    const code = codeIn((await latestMessageTo(t.baseURL, phone)).text);
    await page.locator('input[name=code]').fill(code === '123456' ? '654321' : '123456');
    assert.equal(await submitWith(page, page.locator('#login-sms-submit')), 400);
    assert.equal(await textOf(page.locator('#f-code-error')), '校验码错误，还可以尝试 4 次');
    assert.equal(await page.locator('input[name=code]').inputValue(), '', 'a wrong code is cleared');
    await screenshot(page, 'sms-sign-in-wrong-code');

    await page.locator('input[name=code]').fill(code);
    assert.equal(await submitWith(page, page.locator('#login-sms-submit')), 303);
    assert.equal(path(page), '/account');
    await page.goto('/account/security');
    const rows = await page.locator('table tbody tr').allInnerTexts();
    assert.match(rows[0] ?? '', /登录（手机校验码）/);
    assert.match(rows.join('\n'), /登录失败（手机校验码错误）/);
    await screenshot(page, 'sms-sign-in-security-log');
  } finally {
    await context.close();
  }
});

test('a platform’s sign-in by SMS code: the tab keeps the way back, consent, signed in at the platform', async () => {
  const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openPage(browser, t.baseURL);
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  try {
    await page.goto(`${platform.url}/`);
    await follow(page, page.locator('#login'));
    // The sign-in page, at the platform sign-in's own address.
    const next = path(page);
    assert.match(next, /^\/sso\/interaction\/[\w-]+$/);
    await follow(page, page.locator('#tab-sms'));
    assert.equal(path(page), '/login/sms');
    assert.equal(new URL(page.url()).searchParams.get('next'), next, 'the tab keeps the platform’s sign-in');
    assert.equal(await textOf(page.locator('#signin-platform')), '登录后将进入“研招网”');
    await page.locator('input[name=phone]').fill(phone);
    await submitWith(page, page.locator('#send-code'));
    await page.locator('input[name=code]').fill(codeIn((await latestMessageTo(t.baseURL, phone)).text));
    assert.equal(await submitWith(page, page.locator('#login-sms-submit')), 303);
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/, 'the consent page');
    await screenshot(page, 'sms-sign-in-platform-consent');
    await submitWith(page, page.locator('#consent-allow-submit'));
    assert.equal(page.url(), `${platform.url}/`);
    assert.match(await textOf(page.locator('#signed-in')), /^已登录/);
  } finally {
    await context.close();
  }
});
