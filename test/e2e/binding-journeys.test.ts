// Browser journeys of 实名信息绑定 in a real Chromium against the real app on a loopback port: an
// email-registered person binds a phone with an SMS code (which completes the real-name binding)
// and then signs in with it; a phone-registered person binds an email address for recovery, past
// a wrong code; and classmate-assisted binding with two people in two browser contexts, once
// confirmed from the inbox and once declined. Each asserts what the people see, and where useful
// what the database holds, and saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import {
  closeJourneys,
  fillCodeAndPasswords,
  fillRealName,
  follow,
  latestMessageTo,
  literal,
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

const PASSWORD = 'willow harbour lantern';

let t: ServedInstance;
let browser: Browser;

before(async () => ({ t, browser } = await startJourneys()));
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('137', 30_000_000, 6_911);

/** An active phone account with saved basic information (so its real name is bound), made through the JSON API. */
const boundPhoneAccount = (name: string, idNumber: string): Promise<PhoneAccount> =>
  registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name, idType: 'resident_id', idNumber });

/** A form's button by its exact visible text (免费获取, 确定, 确认协助, 拒绝). */
const button = (scope: Locator, name: string) => scope.getByRole('button', { name, exact: true });

/** 基本信息 saved on its page by an account without a proved phone: saved, but not bound. */
async function saveBasicInfoUnbound(page: Page, name: string, idNumber: string): Promise<void> {
  await page.goto('/account/identity');
  await fillRealName(page.locator('#identity-form'), name, idNumber);
  assert.equal(await submitWith(page, page.locator('#identity-submit')), 200);
  assert.match(await mainText(page), /基本信息已保存/);
  assert.equal(await textOf(page.locator('#binding')), '实名信息未绑定', 'an email account is not bound by its basic information alone');
}

/** The header's inbox icon: its accessible name and its badge (null when there is none). */
async function inboxIcon(page: Page): Promise<{ label: string | null; badge: string | null }> {
  const icon = page.locator('header #inbox-icon');
  const badge = icon.locator('span.badge');
  return { label: await icon.getAttribute('aria-label'), badge: (await badge.count()) ? await textOf(badge) : null };
}

const accountRow = (column: 'email' | 'phone', value: string) =>
  t.db
    .selectFrom('accounts')
    .select(['id', 'email', 'phone', 'phone_verified_at', 'email_verified_at', 'realname_bound_at', 'realname_bound_via'])
    .where(column, '=', value)
    .executeTakeFirstOrThrow();

const requestsFrom = (senderId: string) =>
  t.db.selectFrom('inbox_items').select(['recipient_account_id', 'state', 'kind']).where('sender_account_id', '=', senderId).execute();

test('手机号绑定: an email-registered person binds a phone with an SMS code, is bound, and then signs in with the phone', async () => {
  const email = 'li.si.binds@example.com';
  const phone = freshPhone();
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await registerByEmailAndSignIn(page, t.baseURL, email, PASSWORD);
    await saveBasicInfoUnbound(page, '李四', residentId('11010819900101001'));
    await follow(page, page.locator('#binding-link'));

    assert.equal(path(page), '/account/binding');
    assert.equal(await textOf(page.locator('h1')), '实名信息绑定');
    assert.equal(await textOf(page.locator('#binding-state')), '实名信息未绑定');
    const headings = await page.locator('main h2').allInnerTexts();
    assert.ok(headings.includes('方式一：手机号绑定') && headings.includes('方式二：邮箱绑定'), `both ways shown: ${headings.join(' / ')}`);
    assert.equal(await textOf(page.locator('#email-bound')), '已绑定成功（li***@example.com）', 'the activated address is proved');
    assert.equal(await page.locator('#bind-email').count(), 0);
    assert.match(await page.locator('#classmate').innerText(), /请同学协助绑定/);
    await screenshot(page, 'bind-a-email-account-unbound');

    // 免费获取 sends an SMS code and keeps the number typed.
    const form = page.locator('#bind-phone');
    await form.locator('input[name=phone]').fill(phone);
    const send = button(form, '免费获取');
    assert.equal(await send.getAttribute('formaction'), '/account/binding/phone/code');
    assert.equal(await submitWith(page, send), 200);
    assert.match(await mainText(page), literal(`校验码已发送至 ${maskPhone(phone)}，1 天内有效`));
    assert.equal(await page.locator('#bind-phone input[name=phone]').inputValue(), phone);
    const sms = await latestMessageTo(t.baseURL, phone);
    assert.equal(sms.channel, 'sms');
    assert.match(sms.text, /实名信息绑定校验码/);
    await page.locator('#bind-phone input[name=code]').fill(codeIn(sms.text));
    await screenshot(page, 'bind-a-phone-code-filled');
    assert.equal(await submitWith(page, button(page.locator('#bind-phone'), '确定')), 303);

    assert.equal(page.url(), `${t.baseURL}/account/binding?bound=phone`);
    assert.match(await mainText(page), /手机号绑定成功/);
    assert.equal(await textOf(page.locator('#binding-state')), '实名信息已绑定');
    assert.equal(await textOf(page.locator('#phone-bound')), `已绑定成功（${maskPhone(phone)}）`);
    assert.equal(await textOf(page.locator('#email-bound')), '已绑定成功（li***@example.com）');
    assert.equal(await page.locator('#bind-phone').count(), 0, 'no phone form once bound');
    assert.equal(await page.locator('#classmate').count(), 0, 'no classmate help once bound');
    assert.ok(!(await page.content()).includes(phone), 'the page shows the number only masked');
    await screenshot(page, 'bind-a-phone-bound');

    const row = await accountRow('email', email);
    assert.equal(row.phone, phone);
    assert.ok(row.phone_verified_at);
    assert.ok(row.email_verified_at);
    assert.ok(row.realname_bound_at);
    assert.equal(row.realname_bound_via, 'phone');
  } finally {
    await context.close();
  }

  // Another browser: the bound phone is now a username of the same account.
  const other = await openPage(browser, t.baseURL);
  try {
    await signIn(other.page, phone, PASSWORD);
    await other.page.goto('/account/binding');
    assert.equal(await textOf(other.page.locator('#binding-state')), '实名信息已绑定');
    assert.equal(await textOf(other.page.locator('#email-bound')), '已绑定成功（li***@example.com）', 'the same account');
    await screenshot(other.page, 'bind-a-signed-in-by-phone');
  } finally {
    await other.context.close();
  }
});

test('邮箱绑定: a phone-registered person is bound already and binds an email address, past a wrong code', async () => {
  const phone = freshPhone();
  const email = 'wang.wu.binds@example.com';
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    // Register on the pages, basic information included.
    await page.goto('/register/phone');
    await page.locator('input[name=phone]').fill(phone);
    assert.equal(await submitWith(page, page.locator('#send-code')), 200);
    await fillCodeAndPasswords(page, codeIn((await latestMessageTo(t.baseURL, phone)).text), PASSWORD);
    await fillRealName(page.locator('fieldset.identity'), '王五', residentId('31010419880202002'));
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);
    assert.equal(path(page), '/account');

    await page.goto('/account/binding');
    assert.equal(await textOf(page.locator('#binding-state')), '实名信息已绑定');
    assert.equal(await textOf(page.locator('#phone-bound')), `已绑定成功（${maskPhone(phone)}）`);
    assert.equal(await page.locator('#bind-phone').count(), 0);
    assert.equal(await page.locator('#classmate').count(), 0, 'a bound person needs no classmate');
    const form = page.locator('#bind-email');
    assert.equal(await form.count(), 1);
    await screenshot(page, 'bind-b-phone-account-bound');

    await form.locator('input[name=email]').fill(email);
    const send = button(form, '免费获取');
    assert.equal(await send.getAttribute('formaction'), '/account/binding/email/code');
    assert.equal(await submitWith(page, send), 200);
    assert.match(await mainText(page), /校验码已发送至 wa\*\*\*@example\.com，1 天内有效/);
    const mail = await latestMessageTo(t.baseURL, email);
    assert.equal(mail.channel, 'email');
    const code = codeIn(mail.text);

    // A wrong code first: the field says how many tries are left, the address stays.
    const codeField = page.locator('#bind-email').getByLabel('邮件校验码');
    await codeField.fill(code === '999999' ? '000000' : '999999');
    assert.notEqual(await submitWith(page, button(page.locator('#bind-email'), '确定')), 303);
    assert.equal(await textOf(page.locator('#bind-email-code-error')), '校验码错误，还可以尝试 4 次');
    assert.equal(await page.locator('#bind-email input[name=email]').inputValue(), email);
    assert.equal(await page.locator('#bind-email').getByLabel('邮件校验码').inputValue(), '', 'a wrong code is not echoed back');
    await screenshot(page, 'bind-b-email-wrong-code');

    await page.locator('#bind-email').getByLabel('邮件校验码').fill(code);
    assert.equal(await submitWith(page, button(page.locator('#bind-email'), '确定')), 303);
    assert.equal(page.url(), `${t.baseURL}/account/binding?bound=email`);
    assert.match(await mainText(page), /邮箱绑定成功/);
    assert.equal(await textOf(page.locator('#email-bound')), '已绑定成功（wa***@example.com）');
    assert.equal(await textOf(page.locator('#phone-bound')), `已绑定成功（${maskPhone(phone)}）`);
    assert.equal(await textOf(page.locator('#binding-state')), '实名信息已绑定');
    assert.equal(await page.locator('#bind-email').count(), 0);
    await screenshot(page, 'bind-b-email-bound');

    const row = await accountRow('phone', phone);
    assert.equal(row.email, email);
    assert.ok(row.email_verified_at);
    assert.equal(row.realname_bound_via, 'phone', 'binding an address does not change how the real name was bound');
  } finally {
    await context.close();
  }
});

/**
 * Two people, two browsers: A, a bound classmate signed in; B, an email account with basic
 * information saved, on 实名信息绑定, who sends A a request. Answers both pages and B's account id.
 */
async function classmatePair(
  a: Page,
  b: Page,
  who: { classmate: string; classmateId: string; requester: string; requesterId: string; email: string; ownPhone: string },
) {
  const classmate = await boundPhoneAccount(who.classmate, who.classmateId);
  await signIn(a, classmate.phone, PASSWORD);
  assert.deepEqual(await inboxIcon(a), { label: '收件箱 0 条待处理', badge: null });

  await registerByEmailAndSignIn(b, t.baseURL, who.email, PASSWORD);
  await saveBasicInfoUnbound(b, who.requester, who.requesterId);
  await b.goto('/account/binding');
  assert.equal(await textOf(b.locator('#binding-state')), '实名信息未绑定');
  const section = b.locator('#classmate');
  assert.equal(await textOf(section.locator('h2')), '请同学协助绑定');
  assert.equal(await section.locator('#classmate-state').count(), 0, 'no request yet');
  const form = b.locator('#classmate-form');
  await form.getByLabel('同学姓名').fill(who.classmate);
  await form.getByLabel('同学手机号').fill(classmate.phone);
  await form.getByLabel('自己手机号').fill(who.ownPhone);
  assert.equal(await submitWith(b, button(form, '确定')), 200);
  assert.match(await mainText(b), /协助请求已发送/);
  assert.match(await textOf(b.locator('#classmate-state')), /等待同学确认/);
  assert.equal(await textOf(b.locator('#binding-state')), '实名信息未绑定');

  const requester = await accountRow('email', who.email);
  return { classmate, requesterId: requester.id };
}

/** A's header counts the request; the icon opens the inbox, which shows it, masked. */
async function openRequestInInbox(a: Page, requesterName: string, ownPhone: string): Promise<Locator> {
  await a.reload();
  assert.deepEqual(await inboxIcon(a), { label: '收件箱 1 条待处理', badge: '1' });
  await follow(a, a.locator('#inbox-icon'));
  assert.equal(path(a), '/inbox');
  assert.equal(await textOf(a.locator('h1')), '收件箱');
  const items = a.locator('li[data-item]');
  assert.equal(await items.count(), 1);
  const item = items.first();
  assert.match(await item.innerText(), literal(`同学 ${requesterName}（手机号 ${maskPhone(ownPhone)}）请求您协助完成实名信息绑定`));
  assert.ok(!(await a.content()).includes(ownPhone), 'the requester’s own phone is shown only masked');
  assert.equal(await button(item, '确认协助').count(), 1);
  assert.equal(await button(item, '拒绝').count(), 1);
  return item;
}

test('同学协助: B asks classmate A, A confirms from the inbox, and B is bound', async () => {
  const ownPhone = '13912340000';
  const a = await openPage(browser, t.baseURL);
  const b = await openPage(browser, t.baseURL);
  try {
    const { requesterId } = await classmatePair(a.page, b.page, {
      classmate: '刘晓明',
      classmateId: residentId('44030519870303003'),
      requester: '孙小红',
      requesterId: residentId('11010819950505004'),
      email: 'sun.xiaohong@example.com',
      ownPhone,
    });
    await screenshot(b.page, 'bind-c-requester-sent');

    const item = await openRequestInInbox(a.page, '孙小红', ownPhone);
    await screenshot(a.page, 'bind-c-classmate-inbox');

    assert.equal(await submitWith(a.page, button(item, '确认协助')), 303, 'a decision answers with a redirect');
    assert.equal(a.page.url().replace(/^.*?(\/inbox)/, '$1'), '/inbox?done=accept');
    assert.match(await mainText(a.page), /已确认协助，谢谢！/);
    assert.deepEqual(await inboxIcon(a.page), { label: '收件箱 0 条待处理', badge: null });
    const answered = a.page.locator('li[data-item]');
    assert.equal(await answered.count(), 1);
    assert.match(await answered.innerText(), /已确认/);
    assert.equal(await answered.getByRole('button').count(), 0, 'answered once, no buttons left');
    await screenshot(a.page, 'bind-c-classmate-confirmed');

    await b.page.goto('/account/binding');
    assert.equal(await textOf(b.page.locator('#binding-state')), '实名信息已绑定');
    assert.equal(await b.page.locator('#classmate').count(), 0, 'no classmate help once bound');
    await screenshot(b.page, 'bind-c-requester-bound');
    await b.page.goto('/account/identity');
    assert.equal(await textOf(b.page.locator('#binding')), '实名信息已绑定');

    const row = await accountRow('email', 'sun.xiaohong@example.com');
    assert.ok(row.realname_bound_at);
    assert.equal(row.realname_bound_via, 'classmate');
    assert.equal(row.phone, null, 'the own phone given in the request is not bound to the account');
    const requests = await requestsFrom(requesterId);
    assert.deepEqual(
      requests.map((r) => r.state),
      ['accepted'],
    );
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('同学协助 declined: A declines, B sees 同学拒绝了协助请求 and stays unbound', async () => {
  const ownPhone = '13956780001';
  const a = await openPage(browser, t.baseURL);
  const b = await openPage(browser, t.baseURL);
  try {
    const { classmate, requesterId } = await classmatePair(a.page, b.page, {
      classmate: '钱文静',
      classmateId: residentId('31010419930606005'),
      requester: '周大伟',
      requesterId: residentId('44030519960707006'),
      email: 'zhou.dawei@example.com',
      ownPhone,
    });

    const item = await openRequestInInbox(a.page, '周大伟', ownPhone);
    assert.equal(await submitWith(a.page, button(item, '拒绝')), 303, 'a decision answers with a redirect');
    assert.match(await mainText(a.page), /已拒绝该请求/);
    const answered = a.page.locator('li[data-item]');
    assert.match(await answered.innerText(), /已拒绝/);
    assert.equal(await answered.getByRole('button').count(), 0);
    assert.deepEqual(await inboxIcon(a.page), { label: '收件箱 0 条待处理', badge: null });
    await screenshot(a.page, 'bind-d-classmate-declined');

    await b.page.goto('/account/binding');
    assert.match(await textOf(b.page.locator('#classmate-state')), /同学拒绝了协助请求/);
    assert.equal(await textOf(b.page.locator('#binding-state')), '实名信息未绑定');
    assert.equal(await b.page.locator('#classmate-form').count(), 1, 'another request can be sent');
    await screenshot(b.page, 'bind-d-requester-declined');

    const row = await accountRow('email', 'zhou.dawei@example.com');
    assert.equal(row.realname_bound_at, null);
    assert.equal(row.realname_bound_via, null);
    const requests = await requestsFrom(requesterId);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.state, 'declined');
    const recipient = await accountRow('phone', classmate.phone);
    assert.equal(requests[0]!.recipient_account_id, recipient.id);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
