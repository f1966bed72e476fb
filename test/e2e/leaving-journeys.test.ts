// Browser journey of 注销帐号 in a real Chromium: from 帐号管理's menu to the page that lists what
// deregistering affects, the tick and 申请注销 (signed out everywhere), signing in again during the
// cooling-off period onto the offer to cancel, and 撤销注销. Every page passes the page checks
// (axe, the phone width); screenshots go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import {
  closeJourneys,
  follow,
  latestMessageTo,
  mainText,
  path,
  phoneSequence,
  registerPhoneAccount,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
} from '../helpers/journey.ts';

const PASSWORD = 'lantern meadow pebble';
let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('166', 20_000_000, 7_121);

test('ask to deregister from 帐号管理, sign in during the cooling-off, cancel it', async () => {
  const phone = freshPhone();
  await registerPhoneAccount(t.baseURL, phone, PASSWORD);
  const { page, context } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    await page.goto('/account');
    await follow(page, page.locator('nav a[href="/account/deregister"]'));
    assert.equal(path(page), '/account/deregister');
    assert.match(await mainText(page), /您尚未通过该帐号登录任何平台/);
    await screenshot(page, 'leaving-page');

    await page.locator('#f-acknowledge').check();
    assert.equal(await submitWith(page, page.locator('#deregister-submit')), 200);
    assert.match(await mainText(page), /冷静期至 .* 结束，届时帐号将被注销/);
    await screenshot(page, 'leaving-started');
    assert.match((await latestMessageTo(t.baseURL, phone)).text, /申请注销通行帐号/);

    assert.equal(await submitSignIn(page, phone, PASSWORD), 303);
    assert.equal(path(page), '/account/deregister');
    assert.match(await mainText(page), /您于 .* 申请注销本帐号/);
    await screenshot(page, 'leaving-cooling-off');
    assert.equal(await submitWith(page, page.locator('#deregister-cancel-submit')), 303);
    assert.match(await mainText(page), /已撤销注销，帐号恢复正常使用/);
  } finally {
    await context.close();
  }
});
