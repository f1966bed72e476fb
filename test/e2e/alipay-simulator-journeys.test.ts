// A newcomer "scans" with the Alipay simulator at /dev/alipay in a real Chromium: the page (checked
// by axe-core and at phone widths, page-checks.ts) lets them approve as a test user of their own,
// which brings the browser back with an auth_code the app's own Alipay client turns into that
// identity; or decline, which brings it back without one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { closeJourneys, startJourneys, submitWith } from '../helpers/journey.ts';
import { PHONE } from '../helpers/page-checks.ts';

let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

// A page that stays put with its query (the real callback belongs to the social sign-in routes).
const callback = () => `${t.baseURL}/healthz?from=alipay`;

test('approving as a test user of one’s own: back at the site with an auth_code that identifies them', async () => {
  const provider = t.services.alipay.provider!;
  const { context, page } = await openPage(browser, t.baseURL, { viewport: PHONE });
  try {
    await page.goto(provider.authorizationUrl({ state: 'journey-state', redirectUri: callback() }));
    assert.equal(await page.locator('h1').textContent(), '支付宝授权（模拟器）');
    await page.getByLabel('其他测试用户').check();
    await page.getByLabel('用户 ID（2088 开头的 16 位数字）').fill('2088000011112222');
    await page.getByLabel('昵称').fill('新同学');
    await screenshot(page, 'alipay-simulator-authorize');
    assert.equal(await submitWith(page, page.getByRole('button', { name: '同意授权', exact: true })), 302);

    const back = new URL(page.url());
    assert.equal(back.origin + back.pathname, `${t.baseURL}/healthz`);
    assert.equal(back.searchParams.get('state'), 'journey-state');
    const { code } = provider.callback(Object.fromEntries(back.searchParams));
    assert.deepEqual(await provider.identify({ code, redirectUri: callback() }), { provider: 'alipay', subject: '2088000011112222', displayName: '新同学' });
  } finally {
    await context.close();
  }
});

test('declining: back at the site without an auth_code', async () => {
  const provider = t.services.alipay.provider!;
  const { context, page } = await openPage(browser, t.baseURL, { locale: 'en' });
  try {
    await page.goto(provider.authorizationUrl({ state: 'journey-2', redirectUri: callback() }));
    assert.match((await page.locator('main').textContent()) ?? '', /not Alipay/);
    assert.equal(await submitWith(page, page.getByRole('button', { name: 'Cancel', exact: true })), 302);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('auth_code'), null);
    assert.equal(back.searchParams.get('state'), 'journey-2');
  } finally {
    await context.close();
  }
});
