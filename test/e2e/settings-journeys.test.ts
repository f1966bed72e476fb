// Browser journeys of 帐号管理 in a real Chromium against the real app on a loopback port:
// 修改密码 with 同时退出其他所有设备 (another browser is signed out, this one stays); 更换手机号 right
// after signing in (code to the new number, notice to the old one, the new number signs in);
// 绑定邮箱 and then, once the sign-in is no longer fresh, 确认密码 and 更换邮箱 (the old address is
// told through a real SMTP server); 安全记录; and these pages in English. Each asserts what the
// person sees, and saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { codeIn } from '../helpers/agent.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import {
  closeJourneys,
  follow,
  literal,
  mainText,
  maskPhone,
  outboxIds,
  path,
  phoneSequence,
  registerPhoneAccount,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
  textOf,
  waitForMail,
  waitForMessageTo,
} from '../helpers/journey.ts';

const PASSWORD = 'orchard lamp twilight';
const NEW_PASSWORD = 'harbour kite meadow';
/** A desktop browser's User-Agent, so the security log names a device a person recognises. */
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let t: ServedInstance;
let smtp: TestSmtp;
let browser: Browser;

before(async () => {
  smtp = await startTestSmtp();
  ({ t, browser } = await startJourneys({ env: { SMTP_URL: smtp.url } }));
});

after(async () => {
  await closeJourneys({ t, browser });
  await smtp?.close();
});

const freshPhone = phoneSequence('178', 70_000_000, 6_563);

/** An active phone account made through the JSON API (which leaves one API session of its own). */
const registeredPhone = async (): Promise<string> => (await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD)).phone;

/** From the account home, a link of 帐号安全 by its text. */
async function openSetting(page: Page, text: string, to: string): Promise<void> {
  await page.goto('/account');
  await follow(page, page.locator('#settings-links a', { hasText: text }));
  assert.equal(path(page), to);
}

/** 修改密码: the current password and the new one twice; `endOthers` sets the box (ticked by default). */
async function fillPasswordChange(page: Page, current: string, next: string, endOthers: boolean): Promise<void> {
  const form = page.locator('#change-password');
  await form.locator('input[name=currentPassword]').fill(current);
  await form.locator('input[name=password]').fill(next);
  await form.locator('input[name=password2]').fill(next);
  await form.locator('input[name=endOthers]').setChecked(endOthers);
}

const securityRows = (page: Page) => page.locator('#security-log tbody tr');

test('修改密码 with 同时退出其他所有设备: the other browser is signed out, this one stays', async () => {
  const phone = await registeredPhone();
  const laptop = await openPage(browser, t.baseURL);
  const phoneBrowser = await openPage(browser, t.baseURL);
  try {
    await signIn(laptop.page, phone, PASSWORD);
    await signIn(phoneBrowser.page, phone, PASSWORD);

    const page = laptop.page;
    await openSetting(page, '修改密码', '/account/password');
    assert.equal(await textOf(page.locator('h1')), '修改密码');
    const box = page.locator('#change-password input[name=endOthers]');
    assert.ok(await box.isChecked(), '同时退出其他所有设备 is ticked by default');
    assert.match(await page.locator('#change-password').innerText(), /同时退出其他所有设备/);

    // A wrong current password changes nothing.
    await fillPasswordChange(page, 'not my password at all', NEW_PASSWORD, true);
    assert.equal(await submitWith(page, page.locator('#change-password-submit')), 400);
    assert.equal(await textOf(page.locator('#f-currentPassword-error')), '当前密码不正确');
    await screenshot(page, 'set-a-wrong-current-password');

    await fillPasswordChange(page, PASSWORD, NEW_PASSWORD, true);
    await screenshot(page, 'set-a-password-form');
    const seen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#change-password-submit')), 303);
    assert.equal(path(page), '/account/password');
    // The other browser and the session the API registration left behind.
    assert.equal(await textOf(page.locator('main .notice-success')), '密码已修改，其他 2 台设备已退出登录。');
    await screenshot(page, 'set-a-password-changed');

    await phoneBrowser.page.reload();
    assert.equal(path(phoneBrowser.page), '/login', 'the other browser is signed out');
    await screenshot(phoneBrowser.page, 'set-a-other-browser-signed-out');

    await page.goto('/account');
    assert.equal(path(page), '/account', 'this browser stays signed in');
    assert.equal(await textOf(page.locator('#username')), maskPhone(phone));

    const notice = await waitForMessageTo(t.baseURL, phone, /密码已于/, { seen });
    assert.match(notice.text, /您的通行帐号密码已于 .*（北京时间）修改。/);

    // The other browser signs in again, with the new password only.
    await submitSignIn(phoneBrowser.page, phone, PASSWORD);
    assert.equal(await textOf(phoneBrowser.page.locator('main .error-summary-form')), '用户名或密码错误');
    await signIn(phoneBrowser.page, phone, NEW_PASSWORD);
  } finally {
    await laptop.context.close();
    await phoneBrowser.context.close();
  }
});

test('更换手机号 right after signing in: 免费获取 to the new number, 确定, the old number is told, the new one signs in', async () => {
  const phone = await registeredPhone();
  const taken = await registeredPhone();
  const newPhone = freshPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    // Signed in a moment ago: no password asked again.
    await openSetting(page, '更换手机号', '/account/phone');
    assert.equal(await textOf(page.locator('h1')), '更换手机号');
    assert.equal(await textOf(page.locator('#current-contact')), `当前：${maskPhone(phone)}`);
    assert.match(await mainText(page), /手机号是您的用户名：更换后请使用新手机号登录，原手机号会收到通知。/);
    await screenshot(page, 'set-b-phone-form');

    // Another account's number is refused.
    const form = page.locator('#change-phone');
    await form.locator('input[name=phone]').fill(taken);
    assert.equal(await submitWith(page, page.locator('#send-phone-code')), 409);
    assert.match(await textOf(page.locator('#change-phone #f-phone-error')), /该手机号已经注册/);

    await page.locator('#change-phone input[name=phone]').fill(newPhone);
    const send = page.locator('#send-phone-code');
    assert.equal(await textOf(send), '免费获取');
    const seen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, send), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), `校验码已发送至 ${maskPhone(newPhone)}，1 天内有效，请勿频繁获取。`);
    assert.equal(await page.locator('#change-phone input[name=phone]').inputValue(), newPhone, 'the number typed is kept');

    const sms = await waitForMessageTo(t.baseURL, newPhone, /更换手机号校验码/, { seen });
    assert.equal(sms.channel, 'sms');
    await page.locator('#change-phone input[name=code]').fill(codeIn(sms.text));
    await screenshot(page, 'set-b-phone-code-filled');
    const noticeSeen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#change-phone-submit')), 303);

    assert.equal(page.url(), `${t.baseURL}/account/phone?changed=1`);
    assert.equal(await textOf(page.locator('main .notice-success')), `手机号已更换为 ${maskPhone(newPhone)}。`);
    assert.equal(await textOf(page.locator('#current-contact')), `当前：${maskPhone(newPhone)}`);
    await screenshot(page, 'set-b-phone-changed');
    await page.goto('/account');
    assert.equal(await textOf(page.locator('#username')), maskPhone(newPhone));

    const notice = await waitForMessageTo(t.baseURL, phone, /手机号已于/, { seen: noticeSeen });
    assert.equal(notice.channel, 'sms');
    assert.match(notice.text, literal(`由 ${maskPhone(phone)} 更换为 ${maskPhone(newPhone)}`));
  } finally {
    await context.close();
  }

  const other = await openPage(browser, t.baseURL);
  try {
    await submitSignIn(other.page, phone, PASSWORD);
    assert.equal(await textOf(other.page.locator('main .error-summary-form')), '用户名或密码错误', 'the old number is no longer a username');
    await signIn(other.page, newPhone, PASSWORD);
    assert.equal(await textOf(other.page.locator('#username')), maskPhone(newPhone));
    await screenshot(other.page, 'set-b-signed-in-new-phone');
  } finally {
    await other.context.close();
  }
});

test('绑定邮箱, then 更换邮箱 after 确认密码 (the sign-in is no longer fresh): code to the new address, notice to the old', async () => {
  const phone = await registeredPhone();
  const first = 'zhou.min.first@example.edu.cn';
  const second = 'se.zhou.min@example.org';
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    await openSetting(page, '绑定邮箱', '/account/email');
    assert.equal(await textOf(page.locator('h1')), '绑定邮箱');
    assert.equal(await page.locator('#current-contact').count(), 0, 'no address yet');
    assert.match(await mainText(page), /只能绑定在本站没有使用记录的邮箱（安全邮箱仅限使用一次）。/);

    await page.locator('#change-email input[name=email]').fill(first);
    const seen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#send-email-code')), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), '校验码已发送至 zh***@example.edu.cn，1 天内有效，请勿频繁获取。');
    const bindMail = await waitForMessageTo(t.baseURL, first, /更换邮箱校验码/, { seen });
    assert.equal(bindMail.channel, 'email');
    await page.locator('#change-email input[name=code]').fill(codeIn(bindMail.text));
    assert.equal(await submitWith(page, page.locator('#change-email-submit')), 303);
    assert.equal(page.url(), `${t.baseURL}/account/email?bound=1`);
    assert.equal(await textOf(page.locator('main .notice-success')), '邮箱 zh***@example.edu.cn 绑定成功。');
    assert.equal(await textOf(page.locator('h1')), '更换邮箱', 'bound: the page now changes it');
    assert.equal(await textOf(page.locator('#current-contact')), '当前：zh***@example.edu.cn');
    await screenshot(page, 'set-c-email-bound');

    // Eleven minutes later the sign-in is no longer fresh: the password first, then back here.
    t.clock.advance(11 * MINUTE);
    await openSetting(page, '更换邮箱', '/account/confirm-password');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/account/email');
    assert.equal(await textOf(page.locator('h1')), '确认密码');
    assert.equal(await textOf(page.locator('main .notice-error')), '为了帐号安全，请先输入密码确认是本人。');
    assert.match(await mainText(page), /更换手机号或邮箱前，请输入当前密码确认是本人操作（10 分钟内有效）。/);
    await screenshot(page, 'set-c-confirm-password');
    await page.locator('#confirm-password input[name=currentPassword]').fill(PASSWORD);
    assert.equal(await submitWith(page, page.locator('#confirm-password-submit')), 303);
    assert.equal(path(page), '/account/email');
    assert.equal(await textOf(page.locator('h1')), '更换邮箱');

    await page.locator('#change-email input[name=email]').fill(second);
    assert.equal(await submitWith(page, page.locator('#send-email-code')), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), '校验码已发送至 se***@example.org，1 天内有效，请勿频繁获取。');
    // This code comes by mail, through the real SMTP server.
    const changeMail = await waitForMail(smtp, second, /更换邮箱校验码/);
    await page.locator('#change-email input[name=code]').fill(codeIn(changeMail.text));
    await screenshot(page, 'set-c-email-code-filled');
    assert.equal(await submitWith(page, page.locator('#change-email-submit')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), '邮箱已更换为 se***@example.org。');
    assert.equal(await textOf(page.locator('#current-contact')), '当前：se***@example.org');
    await screenshot(page, 'set-c-email-changed');

    // The old address hears of it through the real SMTP server.
    const notice = await waitForMail(smtp, first, /通行帐号安全提醒/);
    assert.match(notice.text, /您的通行帐号邮箱已于 .*（北京时间）由 zh\*\*\*@example\.edu\.cn 更换为 se\*\*\*@example\.org。/);
    assert.ok(!notice.text.includes(second), 'the new address appears only masked');
  } finally {
    await context.close();
  }
});

test('安全记录 lists the failed sign-in, the sign-in and the password change, newest first', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL, { userAgent: DESKTOP_CHROME });
  try {
    // The manual clock stands still otherwise; a second between steps gives the log its order.
    t.clock.advance(1_000);
    await submitSignIn(page, phone, 'not my password at all');
    t.clock.advance(1_000);
    await signIn(page, phone, PASSWORD);
    t.clock.advance(1_000);
    await openSetting(page, '修改密码', '/account/password');
    await fillPasswordChange(page, PASSWORD, NEW_PASSWORD, false);
    assert.equal(await submitWith(page, page.locator('#change-password-submit')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), '密码已修改。');

    await openSetting(page, '安全记录', '/account/security');
    assert.equal(await textOf(page.locator('h1')), '安全记录');
    assert.deepEqual(
      (await page.locator('#security-log thead th').allInnerTexts()).map((s) => s.trim()),
      ['时间', '操作', 'IP 地址', '设备'],
    );
    const rows = securityRows(page);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
    const [changed, signedIn, failed] = [await cells(0), await cells(1), await cells(2)];
    assert.deepEqual(changed.slice(1, 3), ['修改密码', '127.0.0.1']);
    assert.deepEqual(signedIn.slice(1), ['登录（密码）', '127.0.0.1', 'Chrome · Linux']);
    assert.deepEqual(failed.slice(1), ['登录失败（密码错误）', '127.0.0.1', 'Chrome · Linux']);
    assert.match(changed[0]!, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/, `a date and time: ${changed[0]}`);
    assert.equal(await rows.nth(2).getAttribute('class'), 'warning', 'the failure stands out');
    assert.equal(await rows.nth(1).getAttribute('class'), null);
    assert.match(await page.locator('#security-log tbody').innerText(), /登录（注册后）/, 'the registration sign-in is there too');
    await screenshot(page, 'set-d-security-log');
  } finally {
    await context.close();
  }
});

test('language: English in the header turns 修改密码 and 安全记录 to English', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    await openSetting(page, '修改密码', '/account/password');
    await follow(page, page.locator('header.site-header a', { hasText: 'English' }));
    assert.equal(path(page), '/account/password', 'the switch comes back to the same page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await textOf(page.locator('h1')), 'Change password');
    assert.equal(await textOf(page.locator('label[for=f-currentPassword]')), 'Current password');
    assert.equal(await textOf(page.locator('label[for=f-password]')), 'New password');
    assert.equal(await textOf(page.locator('label[for=f-password2]')), 'New password again');
    assert.match(await page.locator('#change-password').innerText(), /Also sign out every other device/);
    assert.equal(await textOf(page.locator('#change-password-submit')), 'Save');
    await screenshot(page, 'set-e-password-english');

    await fillPasswordChange(page, 'not my password at all', NEW_PASSWORD, false);
    assert.equal(await submitWith(page, page.locator('#change-password-submit')), 400);
    assert.equal(await textOf(page.locator('#f-currentPassword-error')), 'The current password is not right');
    await fillPasswordChange(page, PASSWORD, NEW_PASSWORD, false);
    assert.equal(await submitWith(page, page.locator('#change-password-submit')), 303);
    assert.equal(await textOf(page.locator('main .notice-success')), 'Your password was changed.');

    await page.goto('/account/security');
    assert.equal(await textOf(page.locator('h1')), 'Security log');
    assert.deepEqual(
      (await page.locator('#security-log thead th').allInnerTexts()).map((s) => s.trim()),
      ['When', 'What', 'IP address', 'Device'],
    );
    const log = await page.locator('#security-log tbody').innerText();
    assert.match(log, /Password changed/);
    assert.match(log, /Password change refused \(wrong current password\)/, 'the wrong current password typed on the form');
    assert.match(log, /Signed in \(password\)/);
    assert.match(log, /Account registered/);
    assert.ok(!/[\u4e00-\u9fff]/.test(await mainText(page)), `no Chinese left on the page: ${await mainText(page)}`);
    await screenshot(page, 'set-e-security-english');

    // And back.
    await follow(page, page.locator('header.site-header a[hreflang]'));
    assert.equal(await textOf(page.locator('h1')), '安全记录');
  } finally {
    await context.close();
  }
});
