// Browser journey of 下载个人信息 in a real Chromium: a person with real-name information opens
// it from the account menu, asks for a copy with their password (the full ID number), the worker
// builds it, the link arrives by SMS, and the browser downloads the ZIP from the page's button;
// Python's zipfile reads it back. Every page is checked (axe, phone width); screenshots go to
// test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  residentId,
  signIn,
  startJourneys,
  submitWith,
} from '../helpers/journey.ts';
import { unzipWithPython } from '../helpers/zip.ts';

const PASSWORD = 'quiet harbour lantern';
let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('159', 40_000_000, 6_451);

test('from the account menu to a downloaded ZIP with the full ID number', async () => {
  const phone = freshPhone();
  const idNumber = residentId('33010619880512004');
  await registerPhoneAccount(t.baseURL, phone, PASSWORD, { name: '钱副本', idType: 'resident_id', idNumber });
  const { page, context } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    await page.goto('/account');
    await follow(page, page.locator('nav.account-menu a[href="/account/export"]'));
    assert.equal(path(page), '/account/export');
    assert.match(await mainText(page), /您还没有申请过/);
    await page.locator('#f-currentPassword').fill(PASSWORD);
    assert.equal(await submitWith(page, page.locator('#export-submit')), 303);
    assert.match(await mainText(page), /已收到您的申请/);
    await screenshot(page, 'export-requested');

    assert.equal(await t.services.exportWorker.runOnce(), 1);
    const sms = await latestMessageTo(t.baseURL, phone);
    assert.match(sms.text, /个人信息副本已准备好/);

    await page.reload();
    assert.match(await mainText(page), /可下载/);
    await screenshot(page, 'export-ready');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#data-exports form button[type=submit]').click()]);
    assert.match(download.suggestedFilename(), /^tongxing-data-\d{8}\.zip$/);
    const files = unzipWithPython(readFileSync((await download.path())!));
    const realName = JSON.parse(files.get('real_name.json')!.toString('utf8')) as { name: string; id_number: string };
    assert.deepEqual([realName.name, realName.id_number], ['钱副本', idNumber]);
  } finally {
    await context.close();
  }
});
