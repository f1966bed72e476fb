// Browser journeys of the staff console (/console) in a real Chromium against the real app on a
// loopback port, each staff member in a browser context of their own: support finds an account a
// person registered in another browser by its phone number, suspends it (the person's browser is
// signed out and cannot sign in again, and is told why) and restores it; a reviewer is shown only
// their sections and refused an administrator's page; and the first sign-in enrols the
// authenticator through the QR code page and the recovery codes page, after which a recovery code
// signs in once and not twice; a person signed in on the site is sent to the staff sign-in page
// from every console page, and their phone number and password are no staff credentials; and a
// staff member an administrator suspends mid-task has their next action refused and cannot sign
// in until restored. Each asserts what the people see, and saves full-page screenshots to
// test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import { createStaff, type TestStaff } from '../helpers/staff.ts';
import {
  consoleSections,
  enrolmentKey,
  enrolOnPage,
  signInConsole,
  signOutConsole,
  submitConsoleCode,
  submitConsolePassword,
  choosePasswordOnPage,
} from '../helpers/console-browser.ts';
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

/**
 * /register/phone on the pages: the number, the code from the dev outbox, the password twice and,
 * given, the real name. Ends signed in on /account with the account 正常.
 */
async function registerOnPages(page: Page, phone: string, realName?: { name: string; idNumber: string }): Promise<void> {
  await page.goto('/register/phone');
  await page.locator('input[name=phone]').fill(phone);
  assert.equal(await submitWith(page, page.locator('#send-code')), 200);
  await fillCodeAndPasswords(page, codeIn((await latestMessageTo(t.baseURL, phone)).text), PASSWORD);
  if (realName) await fillRealName(page.locator('fieldset.identity'), realName.name, realName.idNumber);
  assert.equal(await submitWith(page, page.locator('#register-submit')), 303);
  assert.equal(path(page), '/account');
  assert.equal(await textOf(page.locator('#state')), '正常');
}

test('support finds an account by phone, suspends it (the person is signed out and told), and restores it', async () => {
  const support = await createStaff(t, 'support.wang', ['support']);
  const phone = freshPhone();
  const idNumber = residentId('44030619920417007');
  const person = await openPage(browser, t.baseURL);
  const desk = await openPage(browser, t.baseURL);
  try {
    // The person registers on the pages, with their real name, and stays signed in.
    const page = person.page;
    await registerOnPages(page, phone, { name: '何静怡', idNumber });

    // Support, at the console in another browser, looks the number up.
    const staffPage = desk.page;
    await signInConsole(staffPage, t, support);
    assert.deepEqual(await consoleSections(staffPage), ['概况', '帐号查询', '注销申诉', '企业申请', '客服工单']);
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
    assert.equal(await textOf(page.locator('main .error-summary-form')), '该帐号已停用，请联系客服。');
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

test('a reviewer is shown only 概况, 照片审核 and 异议审核, and an administrator’s page refuses them', async () => {
  const reviewer = await createStaff(t, 'reviewer.zhou', ['reviewer']);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signInConsole(page, t, reviewer);
    assert.deepEqual(await consoleSections(page), ['概况', '照片审核', '异议审核']);
    assert.equal(await textOf(page.locator('header .staff-name')), 'reviewer.zhou');
    await screenshot(page, 'console-b-reviewer-overview');

    for (const refused of ['/console/staff', '/console/accounts']) {
      const response = await page.goto(refused);
      assert.equal(response?.status(), 403, `${refused} is refused`);
      assert.equal(path(page), refused);
      assert.equal(await textOf(page.locator('main h1')), '没有权限');
      assert.match(await mainText(page), /您的角色没有此项操作的权限。/);
      assert.deepEqual(await consoleSections(page), ['概况', '照片审核', '异议审核'], 'still in the console, with the reviewer’s sections');
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
    assert.ok(
      codes.every((c) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(c)),
      codes.join(' '),
    );
    assert.equal(new Set(codes).size, 10, 'ten different codes');
    await screenshot(page, 'console-c-recovery-codes');
    await follow(page, page.locator('main a', { hasText: '进入工作台' }));
    // The password an administrator made opens only the page that replaces it.
    assert.equal(path(page), '/console/password');
    await screenshot(page, 'console-c-choose-password');
    await choosePasswordOnPage(page, admin);
    assert.equal(path(page), '/console');
    assert.equal(await textOf(page.locator('main h1')), '概况');
    assert.deepEqual(await consoleSections(page), [
      '概况',
      '照片审核',
      '异议审核',
      '帐号查询',
      '注销申诉',
      '企业申请',
      '客服工单',
      '学籍学历',
      '人员管理',
      '审计日志',
      '平台管理',
    ]);
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

test('a person cannot reach the console: every console page leads to the staff sign-in, and their password is no staff password', async () => {
  const phone = freshPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    // The person registers on the pages, signs out, and signs in again on /login.
    await registerOnPages(page, phone);
    assert.equal(await submitWith(page, page.locator('header.site-header form[action="/logout"] button')), 303);
    await signIn(page, phone, PASSWORD);
    assert.equal(await textOf(page.locator('#state')), '正常');
    await screenshot(page, 'console-d-person-signed-in');

    // In that same browser, every console page answers with a redirect to the staff sign-in: no
    // console page is ever rendered for the person's session.
    for (const consolePath of ['/console', '/console/reviews', '/console/accounts', '/console/staff']) {
      const response = await page.goto(consolePath);
      assert.equal(path(page), '/console/login', `${consolePath} leads to the staff sign-in`);
      const asked = response?.request().redirectedFrom();
      assert.equal(asked && new URL(asked.url()).pathname, consolePath);
      assert.equal((await asked!.response())?.status(), 303, `${consolePath} answers with a redirect, not a page`);
      assert.equal(await textOf(page.locator('main h1')), '客服登录');
      assert.equal(await page.locator('#staff-login').count(), 1, 'the staff sign-in form');
      assert.deepEqual(await consoleSections(page), [], 'no console sections');
      assert.equal(await page.locator('header .staff-name').count(), 0, 'nobody is signed in to the console');
      assert.equal(await page.locator('header form[action="/console/logout"]').count(), 0);
    }
    await screenshot(page, 'console-d-person-at-console');

    // The person's phone number and password, typed as a staff username and password, are refused.
    const asStaff: TestStaff = { username: phone, password: PASSWORD };
    assert.equal(await submitConsolePassword(page, asStaff), 401);
    assert.equal(path(page), '/console/login');
    assert.equal(await textOf(page.locator('main .error-summary-form')), '工号或密码错误');
    assert.deepEqual(await consoleSections(page), []);
    await screenshot(page, 'console-d-person-refused');
    assert.ok(!(await context.cookies()).some((c) => c.name.endsWith('tx_staff')), 'no console session cookie was set');
    await page.goto('/console');
    assert.equal(path(page), '/console/login', 'the console stays closed');

    // Their own account still opens: still signed in as the person.
    await page.goto('/account');
    assert.equal(path(page), '/account');
    assert.equal(await textOf(page.locator('#state')), '正常');
    assert.equal(await page.locator('header.site-header form[action="/logout"]').count(), 1, 'still signed in');
    await screenshot(page, 'console-d-person-account');
  } finally {
    await context.close();
  }
});

test('a suspended staff member cannot act: the action they had begun is refused, and they sign in again only once restored', async () => {
  const admin = await createStaff(t, 'admin.liu', ['admin']);
  const support = await createStaff(t, 'support.zhao', ['support']);
  const phone = freshPhone();
  const person = await openPage(browser, t.baseURL);
  const office = await openPage(browser, t.baseURL);
  const desk = await openPage(browser, t.baseURL);
  try {
    await registerOnPages(person.page, phone);
    const { accountId } = await t.db.selectFrom('accounts').select('id as accountId').where('phone', '=', phone).executeTakeFirstOrThrow();
    const adminPage = office.page;
    const supportPage = desk.page;
    await signInConsole(adminPage, t, admin);
    await signInConsole(supportPage, t, support);

    // Support finds the account and types a reason to suspend it, but has not pressed 停用 yet.
    await follow(supportPage, supportPage.locator('header nav a', { hasText: '帐号查询' }));
    await supportPage.locator('#f-q').fill(phone);
    assert.equal(await submitWith(supportPage, supportPage.locator('#account-search button[type=submit]')), 200);
    await follow(supportPage, supportPage.locator('#lookup-results tbody tr a', { hasText: maskPhone(phone) }));
    const cardPath = `/console/accounts/${accountId}`;
    assert.equal(path(supportPage), cardPath);
    assert.equal(await textOf(supportPage.locator('#account-state')), '正常');
    await supportPage.locator('#suspend-form input[name=reason]').fill('本人来电报告帐号被盗');
    await screenshot(supportPage, 'console-e-support-reason-typed');

    // Meanwhile the administrator suspends support.zhao on /console/staff.
    await follow(adminPage, adminPage.locator('header nav a', { hasText: '人员管理' }));
    assert.equal(path(adminPage), '/console/staff');
    const row = adminPage.locator('#staff-list tr[data-staff="support.zhao"]');
    const stateOf = async () => ((await row.locator('td').allInnerTexts())[3] ?? '').trim();
    // The row's form that suspends (or restores) the member, with its own reason.
    const stateForm = (action: 'suspend' | 'restore') => row.locator(`form[action$="/${action}"]`);
    assert.equal(await stateOf(), '在岗');
    await stateForm('suspend').locator('input[name=reason]').fill('离岗调查，暂停权限');
    assert.equal(await submitWith(adminPage, stateForm('suspend').getByRole('button', { name: '停用', exact: true })), 303);
    assert.equal(adminPage.url(), `${t.baseURL}/console/staff?done=suspend`);
    assert.equal(await textOf(adminPage.locator('main .notice-success')), '已停用，其所有会话已结束。');
    assert.equal(await stateOf(), '已停用');
    assert.equal(await stateForm('suspend').count(), 0);
    assert.equal(await stateForm('restore').getByRole('button', { name: '恢复', exact: true }).count(), 1, 'a suspended member offers 恢复');
    await screenshot(adminPage, 'console-e-admin-suspended-support');

    // Support presses 停用 on the form they had filled: refused, and the account is untouched.
    assert.equal(await submitWith(supportPage, supportPage.locator('#suspend')), 401);
    assert.equal(await textOf(supportPage.locator('main .notice-error')), '请先以客服身份登录。');
    assert.deepEqual(await consoleSections(supportPage), [], 'no console sections for a suspended member');
    await screenshot(supportPage, 'console-e-support-refused');
    const account = await t.db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirstOrThrow();
    assert.equal(account.state, 'active', 'the account was not suspended');
    await person.page.reload();
    assert.equal(path(person.page), '/account', 'the person is still signed in');
    assert.equal(await textOf(person.page.locator('#state')), '正常');

    // The console is closed to them, and the password no longer opens it.
    await supportPage.goto(cardPath);
    assert.equal(path(supportPage), '/console/login');
    assert.equal(await textOf(supportPage.locator('main h1')), '客服登录');
    assert.equal(await submitConsolePassword(supportPage, support), 403);
    assert.equal(path(supportPage), '/console/login');
    assert.equal(await textOf(supportPage.locator('main .error-summary-form')), '该工号已停用，请联系管理员。');
    await screenshot(supportPage, 'console-e-support-sign-in-refused');

    // The administrator restores them; they sign in again with a new code and can work.
    await stateForm('restore').locator('input[name=reason]').fill('调查结束，恢复权限');
    assert.equal(await submitWith(adminPage, stateForm('restore').getByRole('button', { name: '恢复', exact: true })), 303);
    assert.equal(adminPage.url(), `${t.baseURL}/console/staff?done=restore`);
    assert.equal(await textOf(adminPage.locator('main .notice-success')), '已恢复。');
    assert.equal(await stateOf(), '在岗');
    await screenshot(adminPage, 'console-e-admin-restored-support');

    // The session the suspension ended stays ended; they sign in afresh.
    await supportPage.goto('/console');
    assert.equal(path(supportPage), '/console/login', 'the old session does not come back with the restore');
    await signInConsole(supportPage, t, support);
    await supportPage.goto(cardPath);
    assert.equal(path(supportPage), cardPath);
    assert.equal(await textOf(supportPage.locator('#account-state')), '正常');
    assert.equal(await supportPage.locator('#suspend-form').count(), 1);
    await screenshot(supportPage, 'console-e-support-back');
  } finally {
    await person.context.close();
    await office.context.close();
    await desk.context.close();
  }
});
