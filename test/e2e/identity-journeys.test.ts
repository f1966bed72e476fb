// Browser journeys of 基本信息 and the duplicate-ID cases in a real Chromium against the real app
// on a loopback port: the owner saves once and then sees only the masked number and signs in
// with it; 情况二 during phone registration with 我要重新注册 (and a look at 解决方法 on the way);
// 情况一 while a number is disputed; 情况四, an email account adding an ID later; and the 情况二
// prompt in English. Each asserts what the person sees, and where useful what the database
// holds, and saves a full-page screenshot to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
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
  registerByEmailAndSignIn,
  registerPhoneAccount,
  residentId,
  signIn,
  startJourneys,
  submitWith,
  textOf,
  type PhoneAccount,
} from '../helpers/journey.ts';

const PASSWORD = 'bamboo lantern autumn';

let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('139', 20_000_000, 7_919);

interface RealName {
  name: string;
  idType: string;
  idNumber: string;
  reRegister?: boolean;
}

/** An active phone account made through the JSON API, optionally with its real name. */
const registeredPhone = (identity?: RealName): Promise<PhoneAccount> => registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, identity);

/** /register/phone up to the code: fills the number, presses 免费获取, answers the code sent. */
async function startPhoneRegistration(page: Page, phone: string): Promise<string> {
  await page.goto('/register/phone');
  await page.locator('input[name=phone]').fill(phone);
  assert.equal(await submitWith(page, page.locator('#send-code')), 200);
  assert.match(await mainText(page), /校验码已发送至/);
  const sms = await latestMessageTo(t.baseURL, phone);
  assert.equal(sms.channel, 'sms');
  return codeIn(sms.text);
}

async function expectSolutionsPage(page: Page): Promise<void> {
  assert.equal(path(page), '/help/duplicate-id');
  assert.equal(await textOf(page.locator('h1')), '证件号码已被注册的解决方法');
  const solutions = await mainText(page);
  assert.match(solutions, /请使用原帐号直接登录/);
  assert.match(solutions, /可以勾选“我要重新注册”并完成填写/);
  assert.match(solutions, /管理员审核后证件号码关联的旧帐号将被注销/);
}

const accountByPhone = (phone: string) =>
  t.db.selectFrom('accounts').select(['id', 'state', 'realname_bound_at']).where('phone', '=', phone).executeTakeFirst();

/** The claim on the number an account's identity holds, and that identity. */
async function claimOf(accountId: string) {
  return t.db
    .selectFrom('identities')
    .innerJoin('id_claims', 'id_claims.id_index', 'identities.id_index')
    .select(['identities.id_masked', 'identities.id_cipher', 'id_claims.state', 'id_claims.owner_account_id'])
    .where('identities.account_id', '=', accountId)
    .executeTakeFirst();
}

test('基本信息: the owner saves once from the to-do, sees only the masked number, then signs in with the ID number', async () => {
  const ID = '11010519491231002X';
  const phone = freshPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    // Register on the pages, without the optional real-name fields.
    const code = await startPhoneRegistration(page, phone);
    await fillCodeAndPasswords(page, code, PASSWORD);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);
    assert.equal(path(page), '/account');
    assert.equal(await textOf(page.locator('#state')), '正常');
    const todo = page.locator('#todo a[href="/account/identity"]');
    assert.match(await todo.innerText(), /填写实名信息/);
    await screenshot(page, 'id-a-home-todo');

    await follow(page, todo);
    assert.equal(path(page), '/account/identity');
    assert.equal(await textOf(page.locator('h1')), '基本信息');
    assert.equal(await page.locator('select[name=idType]').inputValue(), 'resident_id', '居民身份证 is the default type');
    const form = page.locator('#identity-form');
    await fillRealName(form, '张三', ID);
    const submit = page.locator('#identity-submit');
    assert.equal(await textOf(submit), '确定');
    await screenshot(page, 'id-a-identity-filled');
    assert.equal(await submitWith(page, submit), 200);

    const saved = await mainText(page);
    assert.match(saved, /基本信息已保存/);
    assert.equal(await textOf(page.locator('#id-masked')), '110***********002X');
    assert.match(saved, /已核对格式（未与公安系统联审）/);
    assert.equal(await textOf(page.locator('#binding')), '实名信息已绑定');
    assert.match(saved, /保存后不能修改/);
    assert.equal(await page.locator('#identity-form').count(), 0, 'no form once saved');
    const html = await page.content();
    assert.ok(!html.includes(ID.slice(0, 17)) && !html.includes(ID.toLowerCase()), 'the page holds no plain ID number');
    await screenshot(page, 'id-a-identity-saved');

    // Shown again later, still masked and locked; the home no longer asks for it.
    await page.goto('/account/identity');
    assert.equal(await textOf(page.locator('#id-masked')), '110***********002X');
    assert.match(await mainText(page), /张三/);
    assert.match(await mainText(page), /保存后不能修改/);
    assert.ok(!(await page.content()).includes(ID.slice(0, 17)));
    await page.goto('/account');
    assert.equal(await textOf(page.locator('#identity-masked')), '110***********002X');
    assert.equal(await page.locator('#todo a[href="/account/identity"]').count(), 0);
    assert.ok(!(await page.content()).includes(ID.slice(0, 17)));

    const account = await accountByPhone(phone);
    assert.ok(account);
    assert.equal(account.state, 'active');
    assert.ok(account.realname_bound_at, 'the real name is bound to the phone');
    const claim = await claimOf(account.id);
    assert.ok(claim);
    assert.equal(claim.id_masked, '110***********002X');
    assert.ok(!Buffer.from(claim.id_cipher).includes(ID.slice(0, 17)), 'the number is stored encrypted');
    assert.equal(claim.state, 'registered');
    assert.equal(claim.owner_account_id, account.id);
  } finally {
    await context.close();
  }

  // Another browser: the ID number, typed with a lower-case x, is a username.
  const other = await openPage(browser, t.baseURL);
  try {
    await signIn(other.page, ID.toLowerCase(), PASSWORD);
    assert.equal(await textOf(other.page.locator('#username')), maskPhone(phone));
    assert.equal(await textOf(other.page.locator('#identity-masked')), '110***********002X');
    await screenshot(other.page, 'id-a-signed-in-by-id-number');
  } finally {
    await other.context.close();
  }
});

test('情况二: registering with a number already registered offers 解决方法 and 我要重新注册, which makes a claimant', async () => {
  const ID = '440524188001010014';
  const owner = await registeredPhone({ name: '王五', idType: 'resident_id', idNumber: ID });
  const phone = freshPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    const code = await startPhoneRegistration(page, phone);
    await fillCodeAndPasswords(page, code, PASSWORD);
    const realName = page.locator('fieldset.identity');
    assert.match(await realName.locator('legend').innerText(), /实名信息/);
    await fillRealName(realName, '王五', ID);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 409);

    assert.equal(path(page), '/register/phone');
    assert.equal(await textOf(page.locator('#f-idNumber-error')), '证件号码已被注册，查看【解决方法】');
    const help = page.locator('#case2-help');
    assert.match(await help.innerText(), /友情提示：如果选择“我要重新注册”，管理员审核后证件号码关联的旧帐号将被注销/);
    const reRegister = help.locator('input[type=checkbox][name=reRegister]');
    assert.equal(await reRegister.isChecked(), false, '我要重新注册 is not ticked for the person');
    assert.match(await help.locator('label.check').innerText(), /我要重新注册/);
    // What was typed stays, except the passwords, which are never echoed back; the code too, as
    // the refusal was about the number and left the code unused.
    assert.equal(await page.locator('input[name=phone]').inputValue(), phone);
    assert.equal(await realName.locator('input[name=name]').inputValue(), '王五');
    assert.equal(await realName.locator('input[name=idNumber]').inputValue(), ID);
    assert.equal(await page.locator('input[name=code]').inputValue(), code);
    assert.equal(await page.locator('input[name=password]').inputValue(), '');
    assert.equal(await page.locator('input[name=password2]').inputValue(), '');
    await screenshot(page, 'id-b-register-case2');
    assert.equal(await accountByPhone(phone), undefined, 'nothing was created');

    // 解决方法 opens beside the form: inline, and the full page in a new tab.
    await help.locator('#solutions-inline summary').click();
    assert.match(await help.locator('#solutions-inline').innerText(), /如果您曾经用此证件号码注册过帐号，请使用原帐号直接登录/);
    const [solutions] = await Promise.all([page.context().waitForEvent('page'), help.locator('a[href="/help/duplicate-id"]').click()]);
    await solutions.waitForLoadState('load');
    await expectSolutionsPage(solutions);
    await screenshot(solutions, 'id-b-solutions');
    await solutions.close();
    assert.equal(await realName.locator('input[name=idNumber]').inputValue(), ID, 'the form is still there');

    // 我要重新注册: tick it, give the code and the passwords again (the refused attempt did not use the code).
    await page.locator('#case2-help input[name=reRegister]').check();
    await fillCodeAndPasswords(page, code, PASSWORD);
    assert.equal(await realName.locator('input[name=idNumber]').inputValue(), ID, 'the real name and number are kept');
    await screenshot(page, 'id-b-register-re-register-ticked');
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);

    assert.equal(path(page), '/account');
    assert.equal(await textOf(page.locator('#username')), maskPhone(phone));
    assert.equal(await textOf(page.locator('#state')), '待身份核验');
    const resolve = page.locator('#todo a[href="/account/resolution"]');
    assert.match(await resolve.innerText(), /您的证件号码与其他帐号重复，需要验证身份信息/);
    assert.equal(await textOf(page.locator('#identity-masked')), '440***********0014');
    await screenshot(page, 'id-b-claimant-home');

    const claimant = await accountByPhone(phone);
    assert.ok(claimant);
    assert.equal(claimant.state, 'needs_verification');
    assert.equal(claimant.realname_bound_at, null, 'a claimant binds only once the duplicate is resolved');
    const claim = await claimOf(claimant.id);
    assert.ok(claim);
    assert.equal(claim.state, 'disputed');
    assert.equal(claim.owner_account_id, owner.accountId, 'the number stays with its owner');
    const ownerRow = await accountByPhone(owner.phone);
    assert.equal(ownerRow?.state, 'active');
  } finally {
    await context.close();
  }
});

test('情况一: while a number is disputed a third person cannot register it, and nothing is saved', async () => {
  // 1990-03-07: old enough to have had a 15-digit card, which the third person types.
  const ID = residentId('31010419900307001');
  const legacy = '310104900307001';
  const owner = await registeredPhone({ name: '陈七', idType: 'resident_id', idNumber: ID });
  await registeredPhone({ name: '陈七', idType: 'resident_id', idNumber: ID, reRegister: true });
  const third = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, third.phone, PASSWORD);
    await follow(page, page.locator('#todo a[href="/account/identity"]'));
    assert.equal(path(page), '/account/identity');
    await fillRealName(page.locator('#identity-form'), '陈七', legacy);
    assert.equal(await submitWith(page, page.locator('#identity-submit')), 409);

    assert.equal(path(page), '/account/identity');
    assert.equal(await textOf(page.locator('#f-idNumber-error')), '证件号码重复待审核，不能再次注册此证件号码');
    const help = page.locator('#case1-help');
    assert.match(await help.innerText(), /友情提示：请用原注册帐号登录系统.*三个工作日内处理完毕/s);
    assert.equal(await page.locator('input[name=reRegister]').count(), 0, '情况一 offers no 我要重新注册');
    assert.equal(await page.locator('#identity-form input[name=idNumber]').inputValue(), legacy);
    await screenshot(page, 'id-c-case1-pending');

    // Still nothing saved: the form again, the home still asks for the real name.
    await page.goto('/account');
    assert.equal(await textOf(page.locator('#state')), '正常');
    assert.equal(await page.locator('#todo a[href="/account/identity"]').count(), 1);

    const row = await accountByPhone(third.phone);
    assert.equal(row?.state, 'active');
    assert.equal(row?.realname_bound_at, null);
    const saved = await t.db.selectFrom('identities').select('account_id').where('account_id', '=', third.accountId).executeTakeFirst();
    assert.equal(saved, undefined, 'no identity stored for the third person');
    const claim = await claimOf(owner.accountId);
    assert.equal(claim?.state, 'disputed');
    assert.equal(claim?.owner_account_id, owner.accountId);
  } finally {
    await context.close();
  }
});

test('情况四: an email account activated from its link adds a registered ID later and claims it with 我要重新注册', async () => {
  const ID = '310104198511032013';
  const owner = await registeredPhone({ name: '赵六', idType: 'resident_id', idNumber: ID });
  const email = 'zhao.liu.case4@example.com';
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await registerByEmailAndSignIn(page, t.baseURL, email, PASSWORD);
    await follow(page, page.locator('#todo a[href="/account/identity"]'));
    const form = page.locator('#identity-form');
    await fillRealName(form, '赵六', ID);
    assert.equal(await submitWith(page, page.locator('#identity-submit')), 409);
    assert.equal(await textOf(page.locator('#f-idNumber-error')), '证件号码已被注册，查看【解决方法】');
    assert.match(await page.locator('#case2-help').innerText(), /友情提示：如果选择“我要重新注册”/);
    assert.equal(await page.locator('#case2-help a[href="/help/duplicate-id"]').count(), 1);
    assert.equal(await form.locator('input[name=name]').inputValue(), '赵六');
    assert.equal(await form.locator('input[name=idNumber]').inputValue(), ID);
    await screenshot(page, 'id-d-email-case2');

    await page.getByLabel('我要重新注册').check();
    assert.equal(await submitWith(page, page.locator('#identity-submit')), 200);
    assert.match(await mainText(page), /需要验证身份信息/);
    assert.equal(await textOf(page.locator('#id-masked')), '310***********2013');
    assert.equal(await textOf(page.locator('#binding')), '实名信息未绑定');
    await screenshot(page, 'id-d-email-claimant-saved');

    await page.goto('/account');
    assert.equal(await textOf(page.locator('#state')), '待身份核验');
    assert.equal(await page.locator('#todo a[href="/account/resolution"]').count(), 1);
    await screenshot(page, 'id-d-email-claimant-home');

    const account = await t.db.selectFrom('accounts').select(['id', 'state', 'realname_bound_at']).where('email', '=', email).executeTakeFirstOrThrow();
    assert.equal(account.state, 'needs_verification');
    assert.equal(account.realname_bound_at, null);
    const claim = await claimOf(account.id);
    assert.equal(claim?.state, 'disputed');
    assert.equal(claim?.owner_account_id, owner.accountId);
  } finally {
    await context.close();
  }
});

test('English: the 情况二 prompt on 基本信息 reads in English', async () => {
  const ID = residentId('44030519920815003');
  await registeredPhone({ name: '孙八', idType: 'resident_id', idNumber: ID });
  const person = await registeredPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, person.phone, PASSWORD);
    await page.goto('/account/identity');
    await follow(page, page.locator('header.site-header a[hreflang=en]'));
    assert.equal(path(page), '/account/identity');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await textOf(page.locator('h1')), 'Basic information');

    await fillRealName(page.locator('#identity-form'), '孙八', ID);
    assert.equal(await submitWith(page, page.locator('#identity-submit')), 409);
    assert.equal(await textOf(page.locator('#f-idNumber-error')), 'This ID number is already registered. See [Solutions]');
    const help = page.locator('#case2-help');
    assert.match(await help.innerText(), /Note: if you choose “register again”, once verified the older accounts holding this number are deregistered/);
    assert.match(await help.locator('label.check').innerText(), /I want to register again/);
    assert.equal(await textOf(help.locator('#solutions-inline summary')), 'When the ID number is already registered');
    assert.doesNotMatch(await mainText(page), /证件号码已被注册/);
    await screenshot(page, 'id-e-case2-english');

    const saved = await t.db.selectFrom('identities').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst();
    assert.equal(saved, undefined, 'nothing saved without 我要重新注册');
  } finally {
    await context.close();
  }
});
