// Forms on a phone (Chromium at 390×844), as a person meets them: a refused registration keeps
// what was typed (not the passwords), its error summary takes the focus and a link in it moves
// the focus to its field; 证件号码已被注册 is on the first screen after the refused submit, with
// 【解决方法】 a real link, and a signed-in person is not offered 登录. Screenshots go to
// test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import {
  closeJourneys,
  fillCodeAndPasswords,
  fillRealName,
  latestMessageTo,
  path,
  phoneSequence,
  registerPhoneAccount,
  residentId,
  signIn,
  startJourneys,
  submitWith,
  textOf,
} from '../helpers/journey.ts';

const PASSWORD = 'paper kite river';
const PHONE_SIZE = { viewport: { width: 390, height: 844 }, hasTouch: true };

let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('158', 31_000_000, 6_113);

/** /register/phone up to the code: the number, 免费获取, the code from the SMS. */
async function startPhoneRegistration(page: Page, phone: string): Promise<string> {
  await page.goto('/register/phone');
  await page.locator('input[name=phone]').fill(phone);
  assert.equal(await submitWith(page, page.locator('#send-code')), 200);
  return codeIn((await latestMessageTo(t.baseURL, phone)).text);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Wholly inside the first screen: no scrolling needed to see it. */
async function assertOnFirstScreen(page: Page, locator: Locator, what: string) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is shown`);
  const { innerHeight, scrollY } = await page.evaluate(() => ({ innerHeight: window.innerHeight, scrollY: window.scrollY }));
  assert.equal(scrollY, 0, 'the page is not scrolled');
  assert.ok(box.y >= 0 && box.y + box.height <= innerHeight, `${what} (top ${box.y}, height ${box.height}) within the ${innerHeight}px screen`);
}

test('a refused registration keeps what was typed; the summary has the focus; its links move the focus to the field', async () => {
  const { context, page } = await openPage(browser, t.baseURL, PHONE_SIZE);
  try {
    const phone = freshPhone();
    const code = await startPhoneRegistration(page, phone);
    await fillCodeAndPasswords(page, code, '12345678');
    await page.locator('input[name=email]').fill('kite@example.com');
    const badId = residentId('11010519900307001').replace(/.$/, (d) => (d === '0' ? '1' : '0'));
    await fillRealName(page.locator('fieldset.identity'), '周九', badId);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 400);
    await screenshot(page, 'forms-a-refused-registration');

    // Both problems at once, in the summary that has the focus.
    const summary = page.locator('#error-summary');
    assert.equal(await focusedId(page), 'error-summary');
    assert.deepEqual(await summary.locator('li a[href^="#"]').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), ['#f-password', '#f-idNumber']);
    await assertOnFirstScreen(page, summary, 'the error summary');

    // What was typed is there, but not the passwords; the code was good, so it stays.
    assert.equal(await page.locator('#f-phone').inputValue(), phone);
    assert.equal(await page.locator('#f-code').inputValue(), code);
    assert.equal(await page.locator('#f-email').inputValue(), 'kite@example.com');
    assert.equal(await page.locator('#f-name').inputValue(), '周九');
    assert.equal(await page.locator('#f-idNumber').inputValue(), badId);
    assert.equal(await page.locator('#f-password').inputValue(), '');
    assert.equal(await page.locator('#f-password2').inputValue(), '');

    // A summary link takes the person to the field, with the focus in it and its label in view.
    await summary.locator('a[href="#f-idNumber"]').click();
    assert.equal(await focusedId(page), 'f-idNumber');
    const label = await page.locator('label[for=f-idNumber]').boundingBox();
    const innerHeight = await page.evaluate(() => window.innerHeight);
    // scrollIntoView puts the label at the top, give or take a sub-pixel of rounding.
    assert.ok(label && label.y >= -1 && label.y + label.height <= innerHeight, 'the field’s label is on screen');

    // Fixing the two fields is enough: the kept code still registers.
    await page.locator('#f-idNumber').fill(residentId('11010519900307001'));
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('#f-password2').fill(PASSWORD);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);
    assert.equal(path(page), '/account');
  } finally {
    await context.close();
  }
});

test('证件号码已被注册 is on the first screen after the refused submit, with 【解决方法】 a real link', async () => {
  const id = residentId('44052419800101001');
  await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name: '吴十', idType: 'resident_id', idNumber: id });
  const { context, page } = await openPage(browser, t.baseURL, PHONE_SIZE);
  try {
    const phone = freshPhone();
    const code = await startPhoneRegistration(page, phone);
    await fillCodeAndPasswords(page, code, PASSWORD);
    await fillRealName(page.locator('fieldset.identity'), '吴十', id);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 409);
    await screenshot(page, 'forms-b-duplicate-id-phone');

    assert.equal(await focusedId(page), 'error-summary');
    const prompt = page.locator('#error-summary li', { hasText: '证件号码已被注册' });
    assert.equal(await textOf(prompt), '证件号码已被注册，查看【解决方法】');
    await assertOnFirstScreen(page, prompt, 'the duplicate-ID prompt');
    assert.equal(await page.locator('#f-idNumber').inputValue(), id, 'the number stays as typed');
    assert.equal(await page.locator('#f-code').inputValue(), code, 'the code was not used up');

    // 【解决方法】 opens the solutions beside the form, which keeps what was typed.
    const solutions = prompt.getByRole('link', { name: '【解决方法】' });
    const [help] = await Promise.all([context.waitForEvent('page'), solutions.click()]);
    await help.waitForLoadState('load');
    assert.equal(path(help), '/help/duplicate-id');
    assert.equal(await textOf(help.locator('h1')), '证件号码已被注册的解决方法');
    assert.equal(await page.locator('#f-name').inputValue(), '吴十');
  } finally {
    await context.close();
  }
});

test('signed in, 基本信息 with a registered number: the prompt on the first screen and no 登录 link', async () => {
  const id = residentId('31010419851103201');
  await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name: '郑一', idType: 'resident_id', idNumber: id });
  const person = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openPage(browser, t.baseURL, PHONE_SIZE);
  try {
    await signIn(page, person.phone, PASSWORD);
    await page.goto('/account/identity');
    assert.equal(path(page), '/account/identity');
    await fillRealName(page.locator('#identity-form'), '郑一', id);
    assert.equal(await submitWith(page, page.locator('#identity-submit')), 409);
    await screenshot(page, 'forms-c-duplicate-id-signed-in');

    assert.equal(await focusedId(page), 'error-summary');
    const prompt = page.locator('#error-summary li', { hasText: '证件号码已被注册' });
    await assertOnFirstScreen(page, prompt, 'the duplicate-ID prompt');
    assert.equal(await prompt.getByRole('link', { name: '【解决方法】' }).getAttribute('href'), '/help/duplicate-id');
    assert.equal(await page.locator('main a[href="/login"]').count(), 0, 'someone signed in is not offered 登录');
    assert.ok((await page.locator('main a[href="/recover/password"]').count()) > 0, '找回密码 for the other account stays');
  } finally {
    await context.close();
  }
});
