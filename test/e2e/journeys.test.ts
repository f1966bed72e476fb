// Browser journeys in a real Chromium against the real app on a loopback port: registration by
// phone and by email (the activation mail arrives at a real SMTP server), sign-in failures, the
// captcha and the growing wait, sign-out, ending another device's session, and the language
// switch. Each asserts what the person sees, and where useful what the database holds, and
// saves a full-page screenshot to test-results/screenshots/.
import { test, before, after } from 'node:test';
import { resetSignInFailures } from '../../src/accounts/signin-service.ts';
import assert from 'node:assert/strict';
import { knownCaptcha } from '../helpers/app.ts';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { codeIn } from '../helpers/agent.ts';
import {
  activationLinkIn,
  closeJourneys,
  completeActivation,
  fillCodeAndPasswords,
  follow,
  latestMessageTo,
  mainText,
  maskPhone,
  path,
  phoneSequence,
  registerPhoneAccount,
  startJourneys,
  submitEmailRegistration,
  submitSignIn,
  submitWith,
} from '../helpers/journey.ts';

const CAPTCHA_TEXT = 'k7Pm';
const PASSWORD = 'bamboo lantern autumn';

let t: ServedInstance;
let smtp: TestSmtp;
let browser: Browser;

before(async () => {
  smtp = await startTestSmtp();
  // The per-IP limits on codes and registrations are raised (journeyLimits); the limits these
  // journeys are about, sign-in failures per account and IP, stay as they are.
  ({ t, browser } = await startJourneys({
    env: { SMTP_URL: smtp.url },
    // A captcha whose text the test knows, so the journey can type it.
    services: { drawCaptcha: knownCaptcha(CAPTCHA_TEXT) },
  }));
});

after(async () => {
  await closeJourneys({ t, browser });
  await smtp?.close();
});

const freshPhone = phoneSequence('138', 10_000_000, 7_919);

/** An active phone account made through the JSON API, for journeys that start at sign-in. */
async function registeredPhone(): Promise<string> {
  return (await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD)).phone;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await submitSignIn(page, username, password);
  assert.equal(path(page), '/account', `signed in as ${username}`);
}

test('phone registration: 免费获取, the code from the outbox, password twice, then the account home', async () => {
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    const phone = freshPhone();
    await page.goto('/register/phone');
    await page.locator('input[name=phone]').fill(phone);
    await submitWith(page, page.locator('#send-code'));
    assert.match(await mainText(page), new RegExp(`校验码已发送至 ${maskPhone(phone).replace(/\*/g, '\\*')}`));
    // The number typed stays in the form; 免费获取 counts down before it may be pressed again.
    assert.equal(await page.locator('input[name=phone]').inputValue(), phone);
    await page.locator('#send-code:disabled').waitFor();
    await screenshot(page, 'a-phone-code-sent');

    const sms = await latestMessageTo(t.baseURL, phone);
    assert.equal(sms.channel, 'sms');
    await fillCodeAndPasswords(page, codeIn(sms.text), PASSWORD);
    const submit = page.locator('#register-submit');
    assert.equal((await submit.innerText()).trim(), '立即注册');
    await submitWith(page, submit);

    assert.equal(path(page), '/account');
    assert.equal((await page.locator('#username').innerText()).trim(), maskPhone(phone));
    assert.equal((await page.locator('#state').innerText()).trim(), '正常');
    await screenshot(page, 'a-phone-registered-home');

    const row = await t.db.selectFrom('accounts').select(['state', 'phone_verified_at', 'registered_via']).where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.equal(row.state, 'active');
    assert.equal(row.registered_via, 'phone');
    assert.ok(row.phone_verified_at);
  } finally {
    await context.close();
  }
});

test('email registration: the activation link from the SMTP mail activates once, then the address signs in', async () => {
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    const email = 'zhang.wei@example.edu.cn';
    await submitEmailRegistration(page, email, PASSWORD);
    const sentText = await mainText(page);
    assert.match(sentText, /激活邮件已发送/);
    assert.match(sentText, /zh\*\*\*@example\.edu\.cn/);
    await screenshot(page, 'b-email-activation-sent');

    const mail = await smtp.waitFor(email);
    assert.match(mail.subject, /通行帐号激活邮件/);
    const local = activationLinkIn(mail.text, t.baseURL);

    await page.goto(local);
    await screenshot(page, 'b-email-activation-password');
    await completeActivation(page, PASSWORD);
    assert.match(await mainText(page), /邮箱 zh\*\*\*@example\.edu\.cn 已激活/);
    await screenshot(page, 'b-email-activated');

    await page.goto(local);
    assert.match(await mainText(page), /该邮箱已激活，请不要重复操作/);
    await screenshot(page, 'b-email-already-active');

    // Activation signed this browser in; sign out to sign in with the address as anyone would.
    await context.clearCookies();

    await signIn(page, email, PASSWORD);
    assert.equal((await page.locator('#username').innerText()).trim(), 'zh***@example.edu.cn');
    assert.equal((await page.locator('#state').innerText()).trim(), '正常');
    await screenshot(page, 'b-email-signed-in-home');

    const row = await t.db.selectFrom('accounts').select(['state', 'email_verified_at']).where('email', '=', email).executeTakeFirstOrThrow();
    assert.equal(row.state, 'active');
    assert.ok(row.email_verified_at);
  } finally {
    await context.close();
  }
});

test('sign-in: a wrong password says 用户名或密码错误 and stays; the right one reaches the account', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill('not the password');
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/login');
    assert.equal((await page.locator('main .error-summary-form').innerText()).trim(), '用户名或密码错误');
    // The username is kept, the password is not.
    assert.equal(await page.locator('input[name=username]').inputValue(), phone);
    assert.equal(await page.locator('input[name=password]').inputValue(), '');
    assert.equal(await page.locator('input[name=captcha]').count(), 0, 'one failure needs no captcha');
    await screenshot(page, 'c-signin-wrong-password');

    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/account');
    assert.equal((await page.locator('#username').innerText()).trim(), maskPhone(phone));
    await screenshot(page, 'c-signin-home');
  } finally {
    await context.close();
  }
});

test('throttling: after 3 failures a captcha; the proof of work solves itself, and without JavaScript the picture is typed', async () => {
  const phone = await registeredPhone();
  const failThrice = async (page: Page) => {
    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    for (let i = 1; i <= 3; i++) {
      await page.locator('input[name=password]').fill('wrong password');
      await submitWith(page, page.locator('#login-submit'));
      assert.match(await mainText(page), /用户名或密码错误/);
      assert.equal(await page.locator('fieldset.captcha').count(), i < 3 ? 0 : 1, `captcha shown after failure ${i}: ${i >= 3}`);
    }
  };
  const withScripts = await openPage(browser, t.baseURL);
  try {
    const { page } = withScripts;
    await failThrice(page);
    assert.equal((await page.locator('fieldset.captcha legend').innerText()).trim(), '安全验证');
    await page.locator('fieldset.captcha[data-state="verified"]').waitFor();
    assert.equal(await page.locator('fieldset.captcha img').isVisible(), false, 'no picture to read');
    await screenshot(page, 'd-captcha-pow-verified');
    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/account');
  } finally {
    await withScripts.context.close();
  }

  const withoutScripts = await openPage(browser, t.baseURL, { javaScriptEnabled: false });
  try {
    const { page } = withoutScripts;
    await failThrice(page);
    assert.ok(await page.locator('fieldset.captcha img').isVisible(), 'the captcha picture is shown');
    assert.match((await page.locator('fieldset.captcha img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await screenshot(page, 'd-captcha-picture');

    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=captcha]').fill('zzzz');
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/login');
    assert.match(await mainText(page), /安全验证未通过/);
    await screenshot(page, 'd-captcha-wrong');

    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=captcha]').fill(CAPTCHA_TEXT);
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/account');
    assert.equal((await page.locator('#username').innerText()).trim(), maskPhone(phone));
    await screenshot(page, 'd-captcha-signed-in');
  } finally {
    await withoutScripts.context.close();
  }
});

test('throttling: 5 failures from one browser make the next try wait (操作过于频繁)', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    for (let i = 0; i < 5; i++) {
      // Keep the captcha out of this journey: it is about the wait, not the picture.
      await resetSignInFailures(t.services.accounts, phone);
      await page.locator('input[name=password]').fill('wrong password');
      await submitWith(page, page.locator('#login-submit'));
      assert.match(await mainText(page), /用户名或密码错误/, `failure ${i + 1} is answered normally`);
    }
    await resetSignInFailures(t.services.accounts, phone);
    // Even the right password now waits.
    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/login');
    assert.match(await mainText(page), /操作过于频繁，操作被禁止，请 1[0-5] 秒后再试/);
    await screenshot(page, 'd-throttled');

    const account = await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    const sessions = await t.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute();
    assert.equal(sessions.length, 1, 'only the registration session exists: the waiting sign-in made none');
  } finally {
    await context.close();
  }
});

test('sign-out: 退出 in the header ends the session; the account page then asks to sign in', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, PASSWORD);
    const signOut = page.locator('header.site-header form[action="/logout"] button');
    assert.equal((await signOut.innerText()).trim(), '退出');
    await submitWith(page, signOut);
    assert.equal(path(page), '/login');
    assert.match(await mainText(page), /您已安全退出/);
    assert.equal(await page.locator('header.site-header form[action="/logout"]').count(), 0, 'the header no longer offers 退出');
    await screenshot(page, 'e-signed-out');

    await page.goto('/account');
    assert.equal(path(page), '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/account');

    const account = await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    const live = await t.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).where('revoked_at', 'is', null).execute();
    assert.equal(live.length, 1, 'only the API registration session is still live; the browser one is revoked');
  } finally {
    await context.close();
  }
});

test('sessions: one device signs out another with 下线; the other is sent to the sign-in page', async () => {
  const phone = await registeredPhone();
  const laptop = await openPage(browser, t.baseURL, { userAgent: 'Tongxing-E2E Laptop' });
  const mobile = await openPage(browser, t.baseURL, { userAgent: 'Tongxing-E2E Mobile' });
  try {
    await signIn(laptop.page, phone, PASSWORD);
    await signIn(mobile.page, phone, PASSWORD);

    const page = laptop.page;
    await page.goto('/account/sessions');
    const rows = page.locator('#sessions tbody tr[data-session]');
    // The API registration's session, the laptop and the mobile.
    assert.equal(await rows.count(), 3);
    const current = rows.filter({ hasText: 'Tongxing-E2E Laptop' });
    assert.match(await current.innerText(), /当前设备/);
    assert.equal(await current.locator('button').count(), 0, 'the current device has no 下线 button');
    const other = rows.filter({ hasText: 'Tongxing-E2E Mobile' });
    const otherId = await other.getAttribute('data-session');
    assert.ok(otherId);
    await screenshot(page, 'f-sessions-before');

    const revoke = other.locator('button', { hasText: '下线' });
    await submitWith(page, revoke);
    assert.match(await mainText(page), /该设备已下线/);
    assert.equal(await page.locator(`#sessions tr[data-session="${otherId}"]`).count(), 0);
    assert.equal(await rows.filter({ hasText: 'Tongxing-E2E Mobile' }).count(), 0);
    await screenshot(page, 'f-sessions-after-revoke');

    const row = await t.db.selectFrom('sessions').select('revoked_at').where('id', '=', otherId).executeTakeFirstOrThrow();
    assert.ok(row.revoked_at, 'the mobile session is revoked in the database');

    await mobile.page.reload();
    assert.equal(path(mobile.page), '/login');
    await screenshot(mobile.page, 'f-revoked-device-login');
    await page.goto('/account');
    assert.equal(path(page), '/account', 'the laptop stays signed in');
  } finally {
    await laptop.context.close();
    await mobile.context.close();
  }
});

test('language: English in the header turns the pages to English, and the choice persists', async () => {
  const phone = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/login');
    assert.equal((await page.locator('h1').innerText()).trim(), '登录');
    await follow(page, page.locator('header.site-header a', { hasText: 'English' }));
    assert.equal(path(page), '/login');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Sign in');
    assert.equal((await page.locator('#login-submit').innerText()).trim(), 'Sign in');
    assert.match(await page.locator('label[for=f-username]').innerText(), /Mobile number \/ email/);
    assert.equal((await page.locator('header.site-header a[hreflang]').innerText()).trim(), '中文');
    await screenshot(page, 'g-login-english');

    // The next page, reached by a link, is still in English.
    await follow(page, page.locator('header.site-header a', { hasText: 'Register' }));
    assert.equal(path(page), '/register/phone');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Create a Tongxing account');
    assert.match(await page.locator('#send-code').innerText(), /Get code/);
    await screenshot(page, 'g-register-english');

    // And so are the messages and the account home after signing in.
    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill('not the password');
    await submitWith(page, page.locator('#login-submit'));
    assert.equal((await page.locator('main .error-summary-form').innerText()).trim(), 'Wrong username or password');
    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    assert.equal(path(page), '/account');
    assert.equal((await page.locator('h1').innerText()).trim(), 'My account');
    assert.equal((await page.locator('#state').innerText()).trim(), 'Active');
    await screenshot(page, 'g-account-english');
  } finally {
    await context.close();
  }
});
