// Browser journeys of the account guidance on a phone (390 × 844, touch): the account menu stacks
// above the page without a horizontal scroll and marks the current page; 途径1 shows the "open in
// the app" link and the download link instead of the QR code the same screen cannot scan, while a
// desktop still gets the QR code. Screenshots go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { closeJourneys, phoneSequence, registerPhoneAccount, residentId, signIn, startJourneys, submitWith } from '../helpers/journey.ts';

const PASSWORD = 'lantern river pebble';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
let t: ServedInstance;
let browser: Browser;

before(async () => {
  ({ t, browser } = await startJourneys({
    env: { LIVENESS_SECRET: 'j'.repeat(40), APP_LINK: 'tongxing://verify?token={token}', APP_DOWNLOAD_URL: 'https://tongxing.example/app' },
  }));
});
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('176', 30_000_000, 7_919);

/** Nothing on the page is wider than the screen. */
async function assertNoHorizontalScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `page is ${scroll}px wide on a ${client}px screen`);
}

test('on a phone the account menu stacks above the page, marks the page, and nothing scrolls sideways', async () => {
  const person = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, {
    name: '林手机',
    idType: 'resident_id',
    idNumber: residentId('35010219960101011'),
  });
  for (const width of [360, 390]) {
    const { context, page } = await openPage(browser, t.baseURL, { ...PHONE, viewport: { width, height: 800 } });
    try {
      await signIn(page, person.phone, PASSWORD);
      await page.goto('/account/security');
      const menu = page.locator('#account-menu');
      assert.equal(await menu.getByRole('link', { name: '安全记录' }).getAttribute('aria-current'), 'page');
      assert.equal(await page.locator('#account-menu [aria-current="page"]').count(), 1);
      const menuBox = (await menu.boundingBox())!;
      const mainBox = (await page.locator('main').boundingBox())!;
      assert.ok(menuBox.y + menuBox.height <= mainBox.y, 'the menu stands above the page');
      assert.ok(menuBox.x >= 0 && menuBox.x + menuBox.width <= width, 'the menu fits the screen');
      await assertNoHorizontalScroll(page);
      await screenshot(page, `guide-a-menu-phone-${width}`);
    } finally {
      await context.close();
    }
  }
  const { context, page } = await openPage(browser, t.baseURL, { viewport: { width: 1280, height: 800 } });
  try {
    await signIn(page, person.phone, PASSWORD);
    await page.goto('/account/sessions');
    const menuBox = (await page.locator('#account-menu').boundingBox())!;
    const mainBox = (await page.locator('main').boundingBox())!;
    assert.ok(menuBox.x + menuBox.width <= mainBox.x, 'on a desktop the menu stands to the left of the page');
    assert.equal(await page.locator('#account-menu').getByRole('link', { name: '登录设备' }).getAttribute('aria-current'), 'page');
    await screenshot(page, 'guide-a-menu-desktop');
  } finally {
    await context.close();
  }
});

test('途径1 on a phone: the app link and the download link, not the QR code; a desktop keeps the QR code', async () => {
  const idNumber = residentId('35010219960202022');
  await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name: '林二', idType: 'resident_id', idNumber });
  const claimant = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name: '林二', idType: 'resident_id', idNumber, reRegister: true });

  const phone = await openPage(browser, t.baseURL, PHONE);
  try {
    await signIn(phone.page, claimant.phone, PASSWORD);
    await phone.page.goto('/account/resolution/app');
    await phone.page.locator('input[name="agreeSensitive"]').check();
    await phone.page.locator('input[name="acknowledge"]').check();
    assert.equal(await submitWith(phone.page, phone.page.locator('#app-start-submit')), 200);
    const open = phone.page.getByRole('link', { name: '在 APP 中打开' });
    assert.ok(await open.isVisible(), 'the phone sees the app link');
    assert.match((await open.getAttribute('href'))!, /^tongxing:\/\/verify\?token=[A-Za-z0-9_-]{43}$/);
    assert.ok(await phone.page.getByRole('link', { name: '下载 APP' }).isVisible());
    assert.equal(await phone.page.locator('#app-qr').isVisible(), false, 'no QR code the same screen cannot scan');
    await assertNoHorizontalScroll(phone.page);
    await screenshot(phone.page, 'guide-b-app-phone');
  } finally {
    await phone.context.close();
  }

  const desktop = await openPage(browser, t.baseURL, { viewport: { width: 1280, height: 900 } });
  try {
    await signIn(desktop.page, claimant.phone, PASSWORD);
    await desktop.page.goto('/account/resolution/app');
    await desktop.page.locator('input[name="agreeSensitive"]').check();
    await desktop.page.locator('input[name="acknowledge"]').check();
    assert.equal(await submitWith(desktop.page, desktop.page.locator('#app-start-submit')), 200);
    assert.ok(await desktop.page.locator('#app-qr').isVisible(), 'a desktop shows the QR code');
    assert.equal(await desktop.page.getByRole('link', { name: '在 APP 中打开' }).isVisible(), false);
    await screenshot(desktop.page, 'guide-b-app-desktop');
  } finally {
    await desktop.context.close();
  }
});
