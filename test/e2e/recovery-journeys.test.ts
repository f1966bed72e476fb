// Browser journeys of 找回用户名 and 找回密码 in a real Chromium against the real app on a loopback
// port: the username sent by SMS to a phone-registered owner (and the very same page for a number
// nobody holds); a password reset by phone, from the sign-in page through the SMS code and the
// real-name check to the new password, which signs out a browser signed in before; a reset by
// email, the link read from the mail that reached a real SMTP server and opened in another
// browser; and a wrong captcha and a wrong SMS code on the way. Recovery messages are not pushed to
// the sender: they leave on the worker's next poll, so the journeys wait for them. Each asserts
// what the person sees, and saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { knownCaptcha } from '../helpers/app.ts';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { codeIn } from '../helpers/agent.ts';
import { defaultLimitPolicy } from '../../src/security/rate-limits.ts';
import {
  closeJourneys,
  fillRealName,
  follow,
  linkIn,
  literal,
  mainText,
  maskPhone,
  outboxIds,
  path,
  phoneSequence,
  registerByEmailAndSignIn,
  registerPhoneAccount,
  residentId,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
  textOf,
  waitForMail,
  waitForMessageTo,
  type PhoneAccount,
} from '../helpers/journey.ts';

const CAPTCHA_TEXT = 'q5Wn';
const PASSWORD = 'juniper river morning';
const NEW_PASSWORD = 'copper kettle evening';

let t: ServedInstance;
let smtp: TestSmtp;
let browser: Browser;

before(async () => {
  smtp = await startTestSmtp();
  ({ t, browser } = await startJourneys({
    env: { SMTP_URL: smtp.url },
    // Every recovery form shows an image captcha: one whose text the test knows.
    services: { drawCaptcha: knownCaptcha(CAPTCHA_TEXT) },
    // All browsers of the file come from 127.0.0.1 (see journeyLimits).
    limits: { recoveryPerIp: { ...defaultLimitPolicy.recoveryPerIp, points: 1_000 } },
  }));
});

after(async () => {
  await closeJourneys({ t, browser });
  await smtp?.close();
});

const freshPhone = phoneSequence('147', 60_000_000, 7_717);

/** An active phone account with its real name saved (and so bound), made through the JSON API. */
const boundPhoneAccount = (name: string, idNumber: string): Promise<PhoneAccount> =>
  registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name, idType: 'resident_id', idNumber });

/** From /login, the link of the help line under the form (找回用户名 or 找回密码). */
async function followRecoverLink(page: Page, text: '找回用户名' | '找回密码', to: string): Promise<void> {
  await page.goto('/login');
  await follow(page, page.locator('p.help-links a', { hasText: text }));
  assert.equal(path(page), to);
  assert.equal(await textOf(page.locator('h1')), text);
}

/**
 * The captcha every recovery form shows. With JavaScript the proof of work solves itself and the
 * picture stays hidden; without (`answer` given, in a browser with scripts off) the picture is
 * shown and the answer typed.
 */
async function answerCaptcha(page: Page, form: string, answer?: string): Promise<void> {
  const captcha = page.locator(`${form} fieldset.captcha`);
  if (answer === undefined) {
    await captcha.locator('xpath=self::*[@data-state="verified"]').waitFor();
    assert.equal(await captcha.locator('img').isVisible(), false, 'the picture is not needed');
    return;
  }
  assert.ok(await captcha.locator('img').isVisible(), 'the captcha picture is shown');
  assert.match((await captcha.locator('img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
  assert.ok(await captcha.locator('input[type=hidden][name=captchaId]').inputValue(), 'the captcha id travels with the form');
  await captcha.locator('input[name=captcha]').fill(answer);
}

/** 找回密码 step 1: the username and the captcha, then 下一步. Answers the form's status. */
async function requestReset(page: Page, username: string, captcha?: string): Promise<number> {
  await page.locator('#recover-password-form input[name=username]').fill(username);
  await answerCaptcha(page, '#recover-password-form', captcha);
  return submitWith(page, page.locator('#recover-password-submit'));
}

test('找回用户名: the owner gets the username by SMS; an unknown number reads exactly the same', async () => {
  const name = '陈晓雨';
  const idNumber = residentId('11010519920415003');
  const { phone } = await boundPhoneAccount(name, idNumber);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await followRecoverLink(page, '找回用户名', '/recover/username');
    assert.match(await mainText(page), /请输入注册时填写的姓名、证件类型和证件号码/);
    const form = page.locator('#recover-username-form');
    await fillRealName(form, name, idNumber);
    await answerCaptcha(page, '#recover-username-form');
    await screenshot(page, 'rec-a-username-form');
    const seen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#recover-username-submit')), 200);

    assert.equal(path(page), '/recover/username');
    const sent = await mainText(page);
    assert.equal(
      await textOf(page.locator('main .notice-success')),
      '如果姓名和证件号码与帐号的实名信息相符，用户名已发送至该帐号绑定的手机（短信）或邮箱，请注意查收。',
    );
    assert.match(sent, /10 分钟内仍未收到，或帐号未绑定手机和邮箱，请联系客服协助找回。/);
    assert.ok(!sent.includes(phone) && !sent.includes(maskPhone(phone)), 'the page names no account');
    await screenshot(page, 'rec-a-username-sent');

    // Not pushed to the sender: it leaves on the worker's next poll.
    const sms = await waitForMessageTo(t.baseURL, phone, /用户名为/, { seen, sent: true });
    assert.equal(sms.channel, 'sms');
    assert.match(sms.text, literal(`您的通行帐号用户名为 ${phone}，也可使用证件号码登录`));

    // Someone else tries a number nobody registered: the same words, and nothing is sent.
    await page.goto('/recover/username');
    await fillRealName(page.locator('#recover-username-form'), name, residentId('44030519850909004'));
    await answerCaptcha(page, '#recover-username-form');
    const before = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#recover-username-submit')), 200);
    assert.equal(await mainText(page), sent, 'the same page whether or not an account matched');
    assert.equal(await textOf(page.locator('h1')), '找回用户名');
    const written = [...(await outboxIds(t.baseURL))].filter((id) => !before.has(id));
    assert.deepEqual(written, [], 'nothing is written to the outbox for a number nobody holds');
    await screenshot(page, 'rec-a-username-unknown');
  } finally {
    await context.close();
  }
});

test('找回密码 by phone: code from the SMS, real-name check, new password; a browser signed in before is signed out', async () => {
  const name = '黄志强';
  const idNumber = residentId('31010419890712005');
  const { phone } = await boundPhoneAccount(name, idNumber);
  const before = await openPage(browser, t.baseURL);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    // A browser this person signed in with earlier (say, at school).
    await signIn(before.page, phone, PASSWORD);

    await followRecoverLink(page, '找回密码', '/recover/password');
    assert.match(await mainText(page), /已绑定手机的帐号将收到短信校验码/);
    const seen = await outboxIds(t.baseURL);
    assert.equal(await requestReset(page, phone), 200);
    assert.equal(await textOf(page.locator('main .notice-info')), '如果该手机号已注册，找回密码校验码已发送至该手机，10 分钟内有效。');
    assert.equal(await page.locator('#recover-code-form input[name=code]').count(), 1);
    await screenshot(page, 'rec-b-code-sent');

    const sms = await waitForMessageTo(t.baseURL, phone, /找回密码校验码/, { seen, sent: true });
    assert.equal(sms.channel, 'sms');
    await page.locator('#recover-code-form input[name=code]').fill(codeIn(sms.text));
    assert.equal(await submitWith(page, page.locator('#recover-code-submit')), 200);

    assert.equal(await textOf(page.locator('h1')), '设置新密码');
    assert.equal(await textOf(page.locator('#reset-account')), `帐号：${maskPhone(phone)}`);
    const form = page.locator('#recover-reset-form');
    assert.equal(await textOf(form.locator('legend')), '该帐号已填写实名信息，请输入姓名和证件号码以确认是本人。');
    assert.match(await form.innerText(), /证件类型：居民身份证/);
    assert.ok(!(await page.content()).includes(phone), 'the number is shown only masked');
    await screenshot(page, 'rec-b-reset-form');

    // A wrong ID number first: the form says so and counts down.
    await form.locator('input[name=name]').fill(name);
    await form.locator('input[name=idNumber]').fill(residentId('31010419890712013'));
    await form.locator('input[name=password]').fill(NEW_PASSWORD);
    await form.locator('input[name=password2]').fill(NEW_PASSWORD);
    assert.equal(await submitWith(page, page.locator('#recover-reset-submit')), 400);
    assert.equal(await textOf(page.locator('#recover-reset-form #f-idNumber-error')), '姓名或证件号码与帐号的实名信息不符，还可以尝试 4 次');
    assert.equal(await page.locator('#recover-reset-form input[name=name]').inputValue(), name, 'the name typed is kept');
    await screenshot(page, 'rec-b-identity-mismatch');

    await page.locator('#recover-reset-form input[name=idNumber]').fill(idNumber.toLowerCase());
    await page.locator('#recover-reset-form input[name=password]').fill(NEW_PASSWORD);
    await page.locator('#recover-reset-form input[name=password2]').fill(NEW_PASSWORD);
    const noticeSeen = await outboxIds(t.baseURL);
    assert.equal(await submitWith(page, page.locator('#recover-reset-submit')), 303);
    assert.equal(page.url(), `${t.baseURL}/login?reset=1`);
    assert.equal(await textOf(page.locator('main .notice-success')), '密码已重设，所有设备均已退出登录。请使用新密码登录。');
    await screenshot(page, 'rec-b-reset-done');

    // The browser signed in before is signed out.
    await before.page.reload();
    assert.equal(path(before.page), '/login');
    await screenshot(before.page, 'rec-b-other-browser-signed-out');

    // With no email bound, the phone is told.
    const notice = await waitForMessageTo(t.baseURL, phone, /通过找回密码重设/, { seen: noticeSeen });
    assert.match(notice.text, /您的通行帐号密码已于 .*（北京时间）通过找回密码重设，所有设备均已退出登录。/);
  } finally {
    await before.context.close();
    await context.close();
  }

  // A new browser: the old password no longer works, the new one does.
  const later = await openPage(browser, t.baseURL);
  try {
    await submitSignIn(later.page, phone, PASSWORD);
    assert.equal(path(later.page), '/login');
    assert.equal(await textOf(later.page.locator('main .error-summary-form')), '用户名或密码错误');
    await signIn(later.page, phone, NEW_PASSWORD);
    assert.equal(await textOf(later.page.locator('#username')), maskPhone(phone));
    await screenshot(later.page, 'rec-b-signed-in-new-password');

    // 安全记录 tells when the password was recovered, and pauses social binding for 2 hours.
    await later.page.goto('/account/security');
    assert.match(
      await textOf(later.page.locator('main .notice-info')),
      /^最近一次找回密码：.+。 ?找回用户名或密码后 2 小时内不能绑定微信或支付宝登录，.+ 后可以绑定。$/,
    );
    const log = await later.page.locator('#security-log tbody').innerText();
    assert.match(log, /找回密码并重设（短信校验码）/);
    assert.match(log, /找回密码时实名信息不符/, 'the wrong ID number typed on the way');
    await screenshot(later.page, 'rec-b-security-log');
  } finally {
    await later.context.close();
  }
});

test('找回密码 by email: the link in the mail (real SMTP) opens in another browser, sets the password, and signs in', async () => {
  const email = 'lin.yue.resets@example.edu.cn';
  const masked = 'li***@example.edu.cn';
  const owner = await openPage(browser, t.baseURL);
  const asking = await openPage(browser, t.baseURL);
  const mailbox = await openPage(browser, t.baseURL);
  try {
    // Registered and activated; this browser stays signed in.
    await registerByEmailAndSignIn(owner.page, t.baseURL, email, PASSWORD);

    const page = asking.page;
    await followRecoverLink(page, '找回密码', '/recover/password');
    assert.equal(await requestReset(page, email), 200);
    assert.equal(
      await textOf(page.locator('main .notice-info')),
      '如果该邮箱已注册，重设密码的链接已发送至该邮箱，30 分钟内有效。请查收邮件（也请查看垃圾邮件文件夹）。尚未激活的帐号会重新收到激活邮件。',
    );
    assert.equal(await page.locator('input[name=code]').count(), 0, 'no code to type: the link does it');
    await screenshot(page, 'rec-c-link-sent');

    // The mail reaches the SMTP server on the worker's next poll.
    const mail = await waitForMail(smtp, email, /重设通行帐号密码/);
    assert.match(mail.text, /请在 30 分钟内打开下面的链接设置新密码/);
    const link = linkIn(mail.text, '/recover/password/reset', t.baseURL);

    // Opened from the mailbox in another browser: the form, and nothing changed yet.
    const reset = mailbox.page;
    await reset.goto(link);
    assert.equal(await textOf(reset.locator('h1')), '设置新密码');
    assert.equal(await textOf(reset.locator('#reset-account')), `帐号：${masked}`);
    assert.equal(await reset.locator('#recover-reset-form fieldset').count(), 0, 'no real-name check for an account without real-name information');
    await owner.page.reload();
    assert.equal(path(owner.page), '/account', 'opening the link signs nobody out');
    await screenshot(reset, 'rec-c-reset-form');

    await reset.locator('#recover-reset-form input[name=password]').fill(NEW_PASSWORD);
    await reset.locator('#recover-reset-form input[name=password2]').fill(NEW_PASSWORD);
    assert.equal(await submitWith(reset, reset.locator('#recover-reset-submit')), 303);
    assert.equal(reset.url(), `${t.baseURL}/login?reset=1`);
    assert.match(await mainText(reset), /密码已重设，所有设备均已退出登录。请使用新密码登录。/);

    await signIn(reset, email, NEW_PASSWORD);
    assert.equal(await textOf(reset.locator('#username')), masked);
    await screenshot(reset, 'rec-c-signed-in-new-password');

    await owner.page.reload();
    assert.equal(path(owner.page), '/login', 'the browser signed in before is signed out');

    // The link works once.
    await reset.goto(link);
    assert.match(await mainText(reset), /找回密码的请求已失效，请重新找回。/);
    await screenshot(reset, 'rec-c-link-spent');

    // Without a phone, the mailbox is told.
    const notice = await waitForMail(smtp, email, /通行帐号安全提醒/);
    assert.match(notice.text, /通过找回密码重设，所有设备均已退出登录/);
  } finally {
    await owner.context.close();
    await asking.context.close();
    await mailbox.context.close();
  }
});

test('找回密码 mistakes, without JavaScript: a wrong picture answer is refused; a wrong SMS code says 校验码错误，还可以尝试 4 次', async () => {
  const { phone } = await boundPhoneAccount('郑可欣', residentId('44030519940228006'));
  const { context, page } = await openPage(browser, t.baseURL, { javaScriptEnabled: false });
  try {
    await page.goto('/recover/password');
    assert.equal(await requestReset(page, phone, 'zzzz'), 400);
    assert.equal(await textOf(page.locator('#recover-password-form #captcha-error')), '安全验证未通过，请重新验证或输入新图片中的字符');
    assert.equal(await page.locator('#recover-password-form input[name=username]').inputValue(), phone, 'the username typed is kept');
    assert.equal(await page.locator('#recover-code-form').count(), 0);
    await screenshot(page, 'rec-d-captcha-wrong');

    // A new picture came with the answer; the right text now.
    const seen = await outboxIds(t.baseURL);
    assert.equal(await requestReset(page, phone, CAPTCHA_TEXT), 200);
    const code = codeIn((await waitForMessageTo(t.baseURL, phone, /找回密码校验码/, { seen })).text);

    await page.locator('#recover-code-form input[name=code]').fill(code === '999999' ? '000000' : '999999');
    assert.equal(await submitWith(page, page.locator('#recover-code-submit')), 400);
    assert.equal(await textOf(page.locator('#recover-code-form #f-code-error')), '校验码错误，还可以尝试 4 次');
    assert.equal(await page.locator('#recover-code-form input[name=code]').inputValue(), '', 'a wrong code is not echoed back');
    assert.equal(await page.locator('#recover-reset-form').count(), 0, 'no new password without the right code');
    await screenshot(page, 'rec-d-code-wrong');

    // The same request still takes the right code.
    await page.locator('#recover-code-form input[name=code]').fill(code);
    assert.equal(await submitWith(page, page.locator('#recover-code-submit')), 200);
    assert.equal(await textOf(page.locator('h1')), '设置新密码');
    assert.equal(await textOf(page.locator('#reset-account')), `帐号：${maskPhone(phone)}`);
  } finally {
    await context.close();
  }
});
