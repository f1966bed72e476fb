// Browser journeys of the staff console (/console) in a real Chromium against the real app on a
// loopback port, each staff member in a browser context of their own: support finds an account a
// person registered in another browser by its phone number, suspends it (the person's browser is
// signed out and cannot sign in again, and is told why) and restores it; a reviewer is shown only
// their sections and refused an administrator's page; and the first sign-in enrols the
// authenticator through the QR code page and the recovery codes page, after which a recovery code
// signs in once and not twice. Each asserts what the people see, and saves full-page screenshots
// to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import { createStaff } from '../helpers/staff.ts';
import { consoleSections, enrolmentKey, enrolOnPage, signInConsole, signOutConsole, submitConsoleCode, submitConsolePassword, choosePasswordOnPage } from '../helpers/console-browser.ts';
import {
  closeJourneys,
  fillCodeAndPasswords,
  fillRealName,
  follow,
  latestMessageTo,
  mainText,
  maskPhone,
  path,
  phoneSequence,
  residentId,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
  textOf,
} from '../helpers/journey.ts';

const PASSWORD = 'harbour kite willow';

let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('159', 40_000_000, 6_389);

test('support finds an account by phone, suspends it (the person is signed out and told), and restores it', async () => {
  const support = await createStaff(t, 'support.wang', ['support']);
  const phone = freshPhone();
  const idNumber = residentId('44030619920417007');
  const person = await openPage(browser, t.baseURL);
  const desk = await openPage(browser, t.baseURL);
  try {
    // The person registers on the pages, with their real name, and stays signed in.
    const page = person.page;
    await page.goto('/register/phone');
    await page.locator('input[name=phone]').fill(phone);
    assert.equal(await submitWith(page, page.locator('#send-code')), 200);
    await fillCodeAndPasswords(page, codeIn((await latestMessageTo(t.baseURL, phone)).text), PASSWORD);
    await fillRealName(page.locator('fieldset.identity'), '何静怡', idNumber);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);
    assert.equal(path(page), '/account');
    assert.equal(await textOf(page.locator('#state')), '正常');

    // Support, at the console in another browser, looks the number up.
    const staffPage = desk.page;
    await signInConsole(staffPage, t, support);
    assert.deepEqual(await consoleSections(staffPage), ['概况', '帐号查询', '企业申请']);
    await follow(staffPage, staffPage.locator('header nav a', { hasText: '帐号查询' }));
    assert.equal(path(staffPage), '/console/accounts');
    await staffPage.locator('#f-q').fill(phone);
    assert.equal(await submitWith(staffPage, staffPage.locator('#account-search button[type=submit]')), 200);
    assert.equal(path(staffPage), '/console/accounts', 'the number searched for stays out of the URL');
    assert.equal(await staffPage.locator('#f-q').inputValue(), phone);
    const rows = staffPage.locator('#lookup-results tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(cells.slice(0, 4), [maskPhone(phone), '何静怡', `${idNumber.slice(0, 3)}${'*'.repeat(11)}${idNumber.slice(-4)}`, '正常']);
    assert.ok(!(await staffPage.locator('#lookup-results').innerText()).includes(phone), 'the results show the number masked');
    await screenshot(staffPage, 'console-a-lookup');

    // The card: masked facts, the one live session, the actions.
    await follow(staffPage, rows.first().locator('a', { hasText: maskPhone(phone) }));
    assert.match(path(staffPage), /^\/console\/accounts\/[0-9a-f-]{36}$/);
    const cardPath = path(staffPage);
    assert.equal(await textOf(staffPage.locator('main h1')), '帐号信息');
    assert.equal(await textOf(staffPage.locator('#account-state')), '正常');
    assert.equal(await textOf(staffPage.locator('#live-sessions')), '1');
    assert.ok(!(await mainText(staffPage)).includes(idNumber), 'the ID number is masked on the card');
    await screenshot(staffPage, 'console-a-card');

    // A reason too short is refused and nothing changes; a real one suspends.
    const suspendForm = staffPage.locator('#suspend-form');
    await suspendForm.locator('input[name=reason]').fill('被盗');
    assert.equal(await submitWith(staffPage, staffPage.locator('#suspend')), 400);
    assert.equal(await textOf(staffPage.locator('main .notice-error')), '请填写理由（至少 4 个字）');
    assert.equal(await textOf(staffPage.locator('#account-state')), '正常');
    await suspendForm.locator('input[name=reason]').fill('本人来电报告帐号被盗');
    await screenshot(staffPage, 'console-a-suspend-reason');
    assert.equal(await submitWith(staffPage, staffPage.locator('#suspend')), 303);
    assert.equal(staffPage.url(), `${t.baseURL}${cardPath}?done=suspend`);
    assert.equal(await textOf(staffPage.locator('main .notice-success')), '帐号已停用，所有会话已结束。');
    assert.equal(await textOf(staffPage.locator('#account-state')), '已停用');
    assert.equal(await textOf(staffPage.locator('#live-sessions')), '0');
    assert.equal(await staffPage.locator('#suspend-form').count(), 0);
    assert.equal(await staffPage.locator('#restore-form').count(), 1, 'a suspended account offers 恢复');
    const latest = (await staffPage.locator('#timeline tbody tr').first().locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(latest.slice(1, 3), ['客服停用帐号', '客服 support.wang'], 'the timeline tells who suspended it');
    await screenshot(staffPage, 'console-a-suspended');

    // The person's browser, on its next page, is signed out; signing in again is refused with why.
    await page.reload();
    assert.equal(path(page), '/login');
    await screenshot(page, 'console-a-person-signed-out');
    assert.equal(await submitSignIn(page, phone, PASSWORD), 403);
    assert.equal(await textOf(page.locator('main .notice-error')), '该帐号已停用，请联系客服。');
    await screenshot(page, 'console-a-person-refused');

    // Support restores it; the person signs in again.
    await staffPage.locator('#restore-form input[name=reason]').fill('本人持证件核实完毕');
    assert.equal(await submitWith(staffPage, staffPage.locator('#restore')), 303);
    assert.equal(staffPage.url(), `${t.baseURL}${cardPath}?done=restore`);
    assert.equal(await textOf(staffPage.locator('main .notice-success')), '帐号已恢复。');
    assert.equal(await textOf(staffPage.locator('#account-state')), '正常');
    assert.equal(await staffPage.locator('#suspend-form').count(), 1);
    await screenshot(staffPage, 'console-a-restored');

    await signIn(page, phone, PASSWORD);
    assert.equal(await textOf(page.locator('#state')), '正常');
    await screenshot(page, 'console-a-person-back');
  } finally {
    await person.context.close();
    await desk.context.close();
  }
});

test('a reviewer is shown only 概况 and 照片审核, and an administrator’s page refuses them', async () => {
  const reviewer = await createStaff(t, 'reviewer.zhou', ['reviewer']);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signInConsole(page, t, reviewer);
    assert.deepEqual(await consoleSections(page), ['概况', '照片审核']);
    assert.equal(await textOf(page.locator('header .staff-name')), 'reviewer.zhou');
    await screenshot(page, 'console-b-reviewer-overview');

    for (const refused of ['/console/staff', '/console/accounts']) {
      const response = await page.goto(refused);
      assert.equal(response?.status(), 403, `${refused} is refused`);
      assert.equal(path(page), refused);
      assert.equal(await textOf(page.locator('main h1')), '没有权限');
      assert.match(await mainText(page), /您的角色没有此项操作的权限。/);
      assert.deepEqual(await consoleSections(page), ['概况', '照片审核'], 'still in the console, with the reviewer’s sections');
      assert.equal(await page.locator('main form').count(), 0, 'nothing of the page is shown');
    }
    await screenshot(page, 'console-b-reviewer-refused');

    // What they may open still opens.
    await follow(page, page.locator('header nav a', { hasText: '照片审核' }));
    assert.equal(path(page), '/console/reviews');
    assert.equal(await textOf(page.locator('main h1')), '证件照片审核');
  } finally {
    await context.close();
  }
});

test('the first sign-in enrols the authenticator from the QR code page; a recovery code signs in once, not twice', async () => {
  const admin = await createStaff(t, 'admin.chen', ['admin']);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    // A console page before signing in leads to the sign-in page.
    await page.goto('/console/staff');
    assert.equal(path(page), '/console/login');
    assert.equal(await textOf(page.locator('main h1')), '客服登录');
    await screenshot(page, 'console-c-login');

    // The password, then (no authenticator yet) the enrolment page: the QR code and the same key typed out.
    assert.equal(await submitConsolePassword(page, admin), 303);
    assert.equal(path(page), '/console/enrol');
    assert.equal(await textOf(page.locator('main h1')), '设置动态口令');
    const qr = page.locator('#totp-qr');
    assert.equal(await qr.getAttribute('role'), 'img');
    assert.equal(await qr.getAttribute('aria-label'), '身份验证器二维码');
    assert.equal(await qr.locator('svg').count(), 1, 'a QR code drawn as SVG');
    assert.ok((await qr.boundingBox())!.width > 100, 'the QR code is drawn large enough to scan');
    assert.match(await enrolmentKey(page), /^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/, '160 bits in groups of four');
    assert.deepEqual(await consoleSections(page), [], 'no console sections before the second factor');
    await screenshot(page, 'console-c-enrol');

    // The authenticator's code: the recovery codes, shown this once.
    assert.equal(await enrolOnPage(page, t, admin), 200);
    assert.equal(await textOf(page.locator('main h1')), '恢复码');
    assert.equal(await textOf(page.locator('main .notice-success')), '身份验证器已绑定。');
    const codes = admin.recoveryCodes!;
    assert.equal(codes.length, 10);
    assert.ok(codes.every((c) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(c)), codes.join(' '));
    assert.equal(new Set(codes).size, 10, 'ten different codes');
    await screenshot(page, 'console-c-recovery-codes');
    await follow(page, page.locator('main a', { hasText: '进入工作台' }));
    // The password an administrator made opens only the page that replaces it.
    assert.equal(path(page), '/console/password');
    await screenshot(page, 'console-c-choose-password');
    await choosePasswordOnPage(page, admin);
    assert.equal(path(page), '/console');
    assert.equal(await textOf(page.locator('main h1')), '概况');
    assert.deepEqual(await consoleSections(page), ['概况', '照片审核', '帐号查询', '企业申请', '学籍学历', '人员管理']);
    await screenshot(page, 'console-c-admin-overview');

    // Later, without the phone: the password, then one recovery code instead of a code.
    await signOutConsole(page);
    assert.equal(await submitConsolePassword(page, admin), 303);
    assert.equal(path(page), '/console/login/code');
    assert.equal(await textOf(page.locator('main h1')), '动态口令');
    await screenshot(page, 'console-c-code');
    assert.equal(await submitConsoleCode(page, codes[0]!), 303);
    assert.equal(path(page), '/console');
    assert.equal(await textOf(page.locator('main h1')), '概况');
    await screenshot(page, 'console-c-recovery-signed-in');

    // The same recovery code a second time is refused, and the console stays closed.
    await signOutConsole(page);
    assert.equal(await submitConsolePassword(page, admin), 303);
    assert.equal(await submitConsoleCode(page, codes[0]!), 400);
    assert.equal(path(page), '/console/login/code');
    assert.equal(await textOf(page.locator('#f-code-error')), '动态口令不正确或已使用过，请输入最新的口令');
    await screenshot(page, 'console-c-recovery-used');
    await page.goto('/console');
    assert.equal(path(page), '/console/login', 'not signed in');

    // Another of the codes still works.
    assert.equal(await submitConsolePassword(page, admin), 303);
    assert.equal(await submitConsoleCode(page, codes[1]!), 303);
    assert.equal(path(page), '/console');
  } finally {
    await context.close();
  }
});
