// Browser journey of support requests in a real Chromium: a person asks the help assistant (the
// chat script), follows its 转人工 / 提交工单 link to the request form prefilled with the question,
// files it; a support staff member claims it in the console queue and answers; the person is told
// by SMS and reads the answer in 客服工单. Screenshots go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { createStaff } from '../helpers/staff.ts';
import { signInConsole } from '../helpers/console-browser.ts';
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
  submitWith,
} from '../helpers/journey.ts';

const PASSWORD = 'lantern orchard pebble';
let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('158', 30_000_000, 7_121);

test('a question to the assistant becomes a support request; staff answer it in the console; the person reads the answer', async () => {
  const phone = freshPhone();
  await registerPhoneAccount(t.baseURL, phone, PASSWORD);
  const person = await openPage(browser, t.baseURL);
  const staffSide = await openPage(browser, t.baseURL);
  try {
    const { page } = person;
    await signIn(page, phone, PASSWORD);

    await page.goto('/help/assistant');
    const question = '旧手机号停用了怎么换绑';
    await page.locator('#assistant-q').fill(question);
    await page.locator('main form.help-ask button[type=submit]').click();
    const handoff = page.locator('#assistant-log .help-handoff a');
    await handoff.waitFor();
    assert.equal(await handoff.innerText(), '转人工 / 提交工单');
    await follow(page, handoff);
    assert.equal(path(page), '/support/new');
    assert.equal(await page.locator('#f-text').inputValue(), question, 'the form is prefilled with the question');
    await page.locator('#f-category').selectOption('contacts');
    await page.locator('#f-text').fill(`${question}？我的旧号码已经销号。`);
    assert.equal(await submitWith(page, page.locator('#support-submit')), 303);
    const reference = /\/account\/support\/(GD[0-9A-Z]{10})/.exec(page.url())![1]!;
    assert.match(await mainText(page), new RegExp(`工单已提交，编号 ${reference}`));
    await screenshot(page, 'support-filed');

    const staffPage = staffSide.page;
    const staff = await createStaff(t, 'support.journey', ['support']);
    await signInConsole(staffPage, t, staff);
    await follow(staffPage, staffPage.locator('header nav a[href="/console/support"]'));
    const row = staffPage.locator('#support-queue tr', { hasText: reference });
    assert.equal(await submitWith(staffPage, row.locator('button')), 303, 'claimed');
    assert.match(await mainText(staffPage), /我的旧号码已经销号/);
    await staffPage.locator('#f-text').fill('请在帐号管理中通过已绑定的邮箱更换手机号。');
    await screenshot(staffPage, 'support-console-answer');
    assert.equal(await submitWith(staffPage, staffPage.locator('#support-reply')), 303);
    assert.match(await mainText(staffPage), /已回复，提交人已收到通知/);

    const sms = await latestMessageTo(t.baseURL, phone);
    assert.match(sms.text, new RegExp(`客服已回复您的工单 ${reference}`));

    await page.goto('/account/support');
    await follow(page, page.locator(`a[href="/account/support/${reference}"]`));
    const history = await mainText(page);
    assert.match(history, /客服已回复/);
    assert.match(history, /请在帐号管理中通过已绑定的邮箱更换手机号。/);
    await screenshot(page, 'support-history');
  } finally {
    await person.context.close();
    await staffSide.context.close();
  }
});
