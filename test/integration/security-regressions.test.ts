// Regression tests for the defects a security review found (F1–F7), each written as what a person
// or an attacker now sees: statuses, page text, the database, and what reaches the dev outbox.
// Each test fails if its defect comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { getTestInstance, type TestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent, codeIn, type Page } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import { hmacSha256 } from '../../src/lib/crypto.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { markRealnameBound } from '../../src/accounts/queries.ts';

const CAPTCHA = 'r4Tx';
const PASSWORD = 'old sunny password';
const NEW_PASSWORD = 'brand new evening tea';
const lots = { points: 100_000, durationSeconds: 3600 };

let t: TestInstance;
before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    // Many IPs in reality; and the 60-second resend gap per typed username runs on the wall clock,
    // so it is lifted to repeat requests without sleeping. The daily per-recipient limit stays.
    limits: { registrationsPerIp: lots, codesPerIp: lots, recoveryPerIp: lots, codeResendPerTarget: lots },
  });
});
after(() => t.close());

let idSeq = 300;
const nextId = () => {
  const body = `11010519900307${++idSeq}`;
  return `${body}${mod11_2(body)}`;
};
const withCheckDigit = (body: string) => `${body}${mod11_2(body)}`;

const phoneAccount = (realName?: RealName) => t.registerPhone({ password: PASSWORD, realName });
const emailAccount = (email: string) => t.registerEmail(email, { password: PASSWORD });
const submitWithCaptcha = (agent: Agent, from: string, action: string, fields: Record<string, string>) =>
  t.submitWithCaptcha(agent, from, action, fields, CAPTCHA);
const flowOf = (body: string) => /name="flow" value="([^"]+)"/.exec(body)![1]!;
const secretOf = (body: string) => /name="secret" value="([^"]+)"/.exec(body)![1]!;
const resetLinkIn = (text: string) => /https?:\/\/[^/]+(\/recover\/password\/reset\?token=\S+)/.exec(text)![1]!;

const api = (url: string, token: string, payload: Record<string, string>) =>
  t.app.inject({ method: 'POST', url, remoteAddress: '203.0.113.70', headers: { authorization: `Bearer ${token}` }, payload });

async function auditCount(accountId: string, action: string): Promise<number> {
  const row = await t.db
    .selectFrom('audit_events')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const tally = (pages: Page[]) => pages.reduce<Record<number, number>>((a, p) => ((a[p.status] = (a[p.status] ?? 0) + 1), a), {});

// ---------------------------------------------------------------------------------------------
// F1: binding a contact and saving real-name information need a fresh sign-in.

test('F1 绑定邮箱 with a stale session: the pages go to 确认密码, the API answers 401; once confirmed, binding tells the phone', async () => {
  const { phone, agent, accountId } = await phoneAccount({ name: '张三', idNumber: nextId() });
  t.clock.advance(11 * MINUTE);
  const evil = 'f1-attacker@evil.example';

  assert.equal((await agent.get('/account/binding')).status, 200, 'the binding page itself still opens');
  const sent = await agent.submit('/account/binding/email/code', { email: evil });
  assert.equal(sent.status, 303);
  assert.equal(sent.location, '/account/confirm-password?next=%2Faccount%2Fbinding');
  const bound = await agent.submit('/account/binding/email', { email: evil, code: '123456' });
  assert.equal(bound.status, 303);
  assert.equal(bound.location, '/account/confirm-password?next=%2Faccount%2Fbinding');
  assert.equal((await t.messagesTo(evil)).length, 0, 'no binding code went to the attacker’s address');
  const row = await t.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', accountId).executeTakeFirstOrThrow();
  assert.equal(row.email, null);
  assert.equal(row.email_verified_at, null);

  // 确认密码, then the owner binds an address of their own, and the phone hears of it.
  const ask = await agent.get(sent.location!);
  assert.match(ask.text, /为了帐号安全，请先输入密码确认是本人/);
  const confirmed = await agent.submit('/account/confirm-password', { next: '/account/binding', currentPassword: PASSWORD });
  assert.equal(confirmed.location, '/account/binding');
  const mine = 'f1-owner@example.edu.cn';
  const smsBefore = (await t.messagesTo(phone)).length;
  const codePage = await agent.submit('/account/binding/email/code', { email: mine }, { from: '/account/binding' });
  assert.equal(codePage.status, 200, codePage.text);
  t.clock.advance(1_000);
  const done = await agent.submit('/account/binding/email', { email: mine, code: codeIn((await t.latestMessageTo(mine))!.text) });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/account/binding?bound=email');
  const sms = await t.messagesTo(phone);
  assert.equal(sms.length, smsBefore + 1, 'one notice to the phone');
  assert.equal(sms[0]!.channel, 'sms');
  assert.match(sms[0]!.text, /您的通行帐号已于 .*绑定邮箱 f1\*\*\*@example\.edu\.cn。如非本人操作/);
});

test('F1 the binding API wants a fresh sign-in (401 settings.reauth_required); a fresh token binds and the phone hears', async () => {
  const { phone } = await phoneAccount({ name: '王五', idNumber: nextId() });
  const stale = await t.apiToken(phone, PASSWORD);
  t.clock.advance(11 * MINUTE);
  const evil = 'f1-api-attacker@evil.example';
  for (const url of ['/api/v1/account/binding/email/code', '/api/v1/account/binding/email']) {
    const res = await api(url, stale, { email: evil, code: '123456' });
    assert.equal(res.statusCode, 401, url);
    assert.equal(res.json().error.code, 'settings.reauth_required', url);
  }
  const phoneRes = await api('/api/v1/account/binding/phone/code', stale, { phone: t.nextPhone() });
  assert.equal(phoneRes.statusCode, 401);
  assert.equal(phoneRes.json().error.code, 'settings.reauth_required');
  assert.equal((await t.messagesTo(evil)).length, 0);

  const fresh = await t.apiToken(phone, PASSWORD);
  const mine = 'f1-api-owner@example.edu.cn';
  const sent = await api('/api/v1/account/binding/email/code', fresh, { email: mine });
  assert.equal(sent.statusCode, 200, sent.body);
  t.clock.advance(1_000);
  const bound = await api('/api/v1/account/binding/email', fresh, { email: mine, code: codeIn((await t.latestMessageTo(mine))!.text) });
  assert.equal(bound.statusCode, 204, bound.body);
  assert.match((await t.latestMessageTo(phone))!.text, /绑定邮箱 f1\*\*\*@example\.edu\.cn/);
});

test('F1 an email account binding a phone: stale → 确认密码; after it the mailbox is told the phone was bound', async () => {
  const { email, agent } = await emailAccount('f1-mail-owner@example.edu.cn');
  const saved = await t.saveRealName(agent, { name: '孙六', idNumber: nextId() });
  assert.equal(saved.status, 200, saved.text);
  t.clock.advance(11 * MINUTE);
  const newPhone = t.nextPhone();
  const stale = await agent.submit('/account/binding/phone/code', { phone: newPhone }, { from: '/account/binding' });
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Fbinding');
  assert.equal((await t.messagesTo(newPhone)).length, 0);

  await agent.get(stale.location!);
  assert.equal((await agent.submit('/account/confirm-password', { next: '/account/binding', currentPassword: PASSWORD })).location, '/account/binding');
  await agent.submit('/account/binding/phone/code', { phone: newPhone }, { from: '/account/binding' });
  t.clock.advance(1_000);
  const done = await agent.submit('/account/binding/phone', { phone: newPhone, code: codeIn((await t.latestMessageTo(newPhone))!.text) });
  assert.equal(done.location, '/account/binding?bound=phone');
  const notice = await t.latestMessageTo(email);
  assert.equal(notice!.channel, 'email');
  assert.match(notice!.text, new RegExp(`绑定手机号 ${newPhone.slice(0, 3)}\\*{4}${newPhone.slice(7)}`));
});

test('F1 基本信息 with a stale session: the form and saving go to 确认密码, the API answers 401, nothing is saved', async () => {
  const { phone, agent, accountId } = await phoneAccount();
  const token = await t.apiToken(phone, PASSWORD);
  t.clock.advance(11 * MINUTE);
  const form = await agent.get('/account/identity');
  assert.equal(form.status, 303);
  assert.equal(form.location, '/account/confirm-password?next=%2Faccount%2Fidentity');
  const attackerId = nextId();
  await agent.get('/account/binding'); // a page with a CSRF token
  const saved = await agent.submit('/account/identity', { idType: 'resident_id', name: '黑客', idNumber: attackerId });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/account/confirm-password?next=%2Faccount%2Fidentity');
  const viaApi = await api('/api/v1/account/identity', token, { idType: 'resident_id', name: '黑客', idNumber: attackerId });
  assert.equal(viaApi.statusCode, 401);
  assert.equal(viaApi.json().error.code, 'settings.reauth_required');
  assert.equal(await t.db.selectFrom('identities').select('account_id').where('account_id', '=', accountId).executeTakeFirst(), undefined, 'nothing saved');

  // After 确认密码 the owner saves their own; reading it later needs no fresh sign-in.
  await agent.get(form.location!);
  assert.equal((await agent.submit('/account/confirm-password', { next: '/account/identity', currentPassword: PASSWORD })).location, '/account/identity');
  const own = await t.saveRealName(agent, { name: '周八', idNumber: nextId() });
  assert.equal(own.status, 200, own.text);
  t.clock.advance(11 * MINUTE);
  assert.equal((await agent.get('/account/identity')).status, 200);
});

// ---------------------------------------------------------------------------------------------
// F2: a parallel burst of wrong passwords gets at most 5 checked.

test('F2 确认密码: a parallel burst checks at most 5 wrong passwords, the rest are 429, the right one in it does not pass', async () => {
  const { accountId, agent } = await phoneAccount();
  t.clock.advance(11 * MINUTE);
  await agent.get('/account/confirm-password?next=%2Faccount%2Fphone'); // CSRF token
  const guesses = Array.from({ length: 40 }, (_, i) => `wrong guess number ${i}`);
  guesses.push(PASSWORD); // the right one, last in the burst
  const pages = await Promise.all(guesses.map((g) => agent.submit('/account/confirm-password', { next: '/account/phone', currentPassword: g })));
  const checked = await auditCount(accountId, 'session.password_confirm_failed');
  const statuses = tally(pages);
  assert.ok(checked <= 5, `wrong passwords checked: ${checked} (${JSON.stringify(statuses)})`);
  assert.equal(statuses[400] ?? 0, checked, 'each checked one reads 当前密码不正确');
  assert.ok((statuses[429] ?? 0) >= 35, JSON.stringify(statuses));
  for (const p of pages.filter((p) => p.status === 429)) assert.match(p.text, /操作过于频繁/);
  const right = pages.at(-1)!;
  assert.equal(right.status, 429, 'the right password in the burst is refused once blocked');
  assert.match(right.text, /操作过于频繁/);

  const phonePage = await agent.get('/account/phone');
  assert.equal(phonePage.status, 303, 'the session is still not fresh');
  assert.match(phonePage.location!, /^\/account\/confirm-password/);
  const later = await agent.submit('/account/confirm-password', { next: '/account/phone', currentPassword: PASSWORD }, { from: '/account/confirm-password' });
  assert.equal(later.status, 429, 'blocked for a while, right password or not');
});

test('F2 修改密码: the same limit holds for a burst of wrong current passwords; the password stays', async () => {
  const { phone, accountId, agent } = await phoneAccount();
  await agent.get('/account/password');
  const guesses = Array.from({ length: 20 }, (_, i) => `not the current one ${i}`);
  guesses.push(PASSWORD);
  const pages = await Promise.all(
    guesses.map((g) => agent.submit('/account/password', { currentPassword: g, password: NEW_PASSWORD, password2: NEW_PASSWORD })),
  );
  const checked = (await auditCount(accountId, 'account.password_change_failed')) + (await auditCount(accountId, 'session.password_confirm_failed'));
  const statuses = tally(pages);
  assert.ok(checked <= 5, `wrong passwords checked: ${checked} (${JSON.stringify(statuses)})`);
  assert.ok((statuses[400] ?? 0) <= 5, JSON.stringify(statuses));
  assert.equal(await auditCount(accountId, 'account.password_change_failed'), statuses[400] ?? 0, 'each checked one is logged as a failed password change');
  assert.equal(pages.at(-1)!.status, 429, 'the right current password in the burst is refused once blocked');
  assert.equal((await t.signIn(phone, NEW_PASSWORD)).page.status, 401, 'the password did not change');
  assert.equal((await t.signIn(phone, PASSWORD)).page.location, '/account');
  // The person is told why the form came back.
  assert.match(pages.at(-1)!.text, /操作过于频繁/);
});

// ---------------------------------------------------------------------------------------------
// F3: wrong real-name answers at 找回密码 are limited per account, across requests.

test('F3 找回密码: 5 wrong name/ID answers per account across requests, then a 24-hour pause, a notice, and no new tries', async () => {
  const idNumber = nextId();
  const { phone } = await phoneAccount({ name: '李四', idNumber });
  const holder = new Agent(t.app, { ip: '203.0.113.80' });
  const wrongIds = Array.from({ length: 6 }, (_, i) => withCheckDigit(`11010519900307${900 + i}`));
  let w = 0;

  async function unlockedForm() {
    const sent = await submitWithCaptcha(holder, '/recover/password', '/recover/password', { username: phone });
    assert.equal(sent.status, 200, sent.text);
    const form = await holder.submit('/recover/password/code', {
      flow: flowOf(sent.body),
      kind: 'phone',
      code: codeIn((await t.latestMessageTo(phone))!.text),
    });
    assert.equal(form.status, 200, form.text);
    assert.match(form.text, /请输入姓名和证件号码以确认是本人/);
    return secretOf(form.body);
  }
  const answer = (secret: string, id: string) =>
    holder.submit('/recover/password/reset', { secret, name: '李四', idNumber: id, password: NEW_PASSWORD, password2: NEW_PASSWORD });

  // First request: 3 wrong answers.
  const first = await unlockedForm();
  for (const left of [4, 3, 2]) {
    const page = await answer(first, wrongIds[w++]!);
    assert.equal(page.status, 400);
    assert.match(page.text, new RegExp(`姓名或证件号码与帐号的实名信息不符，还可以尝试 ${left} 次`));
  }
  // A new request does not give 5 new tries: 1 left, then the pause.
  const second = await unlockedForm();
  const fourth = await answer(second, wrongIds[w++]!);
  assert.equal(fourth.status, 400);
  assert.match(fourth.text, /还可以尝试 1 次/);
  const smsBefore = (await t.messagesTo(phone)).length;
  const fifth = await answer(second, wrongIds[w++]!);
  assert.equal(fifth.status, 429);
  assert.match(fifth.text, /姓名或证件号码核对错误次数过多，找回密码已暂停 24 小时/);
  const sms = await t.messagesTo(phone);
  assert.equal(sms.length, smsBefore + 1, 'the phone is told');
  assert.match(sms[0]!.text, /有人在找回您的通行帐号密码时多次填错姓名或证件号码，找回密码已暂停 24 小时/);

  // A third request is paused too: the page says so as soon as the code is right, before any
  // new password is typed, and even the right name and ID number would not help.
  const sent = await submitWithCaptcha(holder, '/recover/password', '/recover/password', { username: phone });
  const paused = await holder.submit('/recover/password/code', {
    flow: flowOf(sent.body),
    kind: 'phone',
    code: codeIn((await t.latestMessageTo(phone))!.text),
  });
  assert.equal(paused.status, 429);
  assert.match(paused.text, /找回密码已暂停 24 小时/);
  assert.doesNotMatch(paused.body, /name="password"/, 'no form to type a new password into');
  const right = await answer(second, idNumber);
  assert.notEqual(right.status, 303);
  assert.equal((await t.signIn(phone, NEW_PASSWORD)).page.status, 401, 'the password did not change');
  assert.equal((await t.signIn(phone, PASSWORD)).page.location, '/account');
});

// ---------------------------------------------------------------------------------------------
// F4: a reset whose link went by email does not open with the flow + a code.

/**
 * Finds the 6-digit code whose HMAC-SHA256 under `key` of `prefix + code` is `want`, by trying all
 * 10^6. HMAC is computed by hand (RFC 2104) from copied hash states, a few times faster than a new
 * createHmac per candidate.
 */
function searchCodeOffline(key: Buffer, prefix: string, want: Buffer): string {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const inner = createHash('sha256')
    .update(block.map((b) => b ^ 0x36))
    .update(prefix);
  const outer = createHash('sha256').update(block.map((b) => b ^ 0x5c));
  for (let i = 0; i < 1_000_000; i++) {
    const c = String(i).padStart(6, '0');
    if (outer.copy().update(inner.copy().update(c).digest()).digest().equals(want)) return c;
  }
  return '';
}

test('F4 an email-delivered reset does not open with the flow and its own (unsent) code; the emailed link still does', async () => {
  const { email, agent: owner, accountId } = await emailAccount('f4-only-email@example.edu.cn');
  const idNumber = nextId();
  const saved = await t.saveRealName(owner, { name: '陈七', idNumber });
  assert.equal(saved.status, 200, saved.text);
  // Real-name binding without a phone, as classmate assistance does, so the ID number is a username.
  await markRealnameBound(t.db, accountId, 'classmate', t.clock.now());

  // The attacker knows the name and ID number but not the mailbox.
  const attacker = new Agent(t.app, { ip: '203.0.113.90' });
  const sent = await submitWithCaptcha(attacker, '/recover/password', '/recover/password', { username: idNumber });
  assert.equal(sent.status, 200);
  const flow = flowOf(sent.body);
  const reset = await t.db
    .selectFrom('password_resets')
    .select(['id', 'delivery'])
    .where('flow_hash', '=', hmacSha256(t.services.accounts.verification.codeKey, `reset\0${flow}`))
    .executeTakeFirstOrThrow();
  assert.equal(reset.delivery, 'email');
  // Stand-in for a lucky guess: the row's code, found by searching its hash offline.
  const row = await t.db
    .selectFrom('verification_codes')
    .select('code_hash')
    .where('purpose', '=', 'reset_password')
    .where('target_hash', '=', hmacSha256(t.services.accounts.verification.codeKey, `target\0reset_password\0${reset.id}`))
    .executeTakeFirstOrThrow();
  const code = searchCodeOffline(t.services.accounts.verification.codeKey, `code\0reset_password\0${reset.id}\0`, Buffer.from(row.code_hash));
  assert.ok(code, 'the code of the row was found offline');
  assert.ok(
    createHmac('sha256', t.services.accounts.verification.codeKey)
      .update(`code\0reset_password\0${reset.id}\0${code}`)
      .digest()
      .equals(Buffer.from(row.code_hash)),
  );

  const typed = await attacker.submit('/recover/password/code', { flow, kind: 'id', code });
  assert.equal(typed.status, 400, 'the right code of an emailed reset reads as a wrong one');
  assert.match(typed.text, /校验码错误，还可以尝试 4 次/);
  assert.doesNotMatch(typed.text, /设置新密码|请输入姓名和证件号码/);
  const forced = await attacker.submit('/recover/password/reset', { secret: flow, name: '陈七', idNumber, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(forced.status, 410);
  assert.match(forced.text, /找回密码的请求已失效/);
  assert.equal((await t.signIn(email, NEW_PASSWORD)).page.status, 401);
  assert.equal((await t.signIn(email, PASSWORD)).page.location, '/account');

  // The mailbox's owner still resets with the link.
  const linkPage = await new Agent(t.app, { ip: '203.0.113.93' }).get(resetLinkIn((await t.latestMessageTo(email))!.text));
  assert.equal(linkPage.status, 200);
  assert.match(linkPage.text, /请输入姓名和证件号码以确认是本人/);
});

// ---------------------------------------------------------------------------------------------
// F5: changing the password or a contact retires open password resets.

async function emailResetLink(email: string): Promise<string> {
  const sent = await submitWithCaptcha(new Agent(t.app, { ip: '203.0.113.100' }), '/recover/password', '/recover/password', { username: email });
  assert.equal(sent.status, 200);
  const link = resetLinkIn((await t.latestMessageTo(email))!.text);
  assert.equal((await new Agent(t.app, { ip: '203.0.113.100' }).get(link)).status, 200, 'the link works before the change');
  return link;
}

/** A reset unlocked by the SMS code in the requesting browser: its secret opens step 3. */
async function phoneResetSecret(phone: string): Promise<{ browser: Agent; secret: string }> {
  const browser = new Agent(t.app, { ip: '203.0.113.101' });
  const sent = await submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: phone });
  const form = await browser.submit('/recover/password/code', { flow: flowOf(sent.body), kind: 'phone', code: codeIn((await t.latestMessageTo(phone))!.text) });
  assert.equal(form.status, 200, form.text);
  return { browser, secret: secretOf(form.body) };
}

async function assertLinkRetired(link: string, username: string) {
  const thief = new Agent(t.app, { ip: '203.0.113.102' });
  const page = await thief.get(link);
  assert.equal(page.status, 410);
  assert.match(page.text, /找回密码的请求已失效/);
  const token = new URL(link, 'http://x').searchParams.get('token')!;
  await thief.get('/recover/password'); // CSRF token
  const done = await thief.submit('/recover/password/reset', { secret: token, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(done.status, 410);
  assert.match(done.text, /找回密码的请求已失效/);
  assert.equal((await t.signIn(username, NEW_PASSWORD)).page.status, 401);
}

async function assertSecretRetired(browser: Agent, secret: string, username: string, identity?: { name: string; idNumber: string }) {
  const done = await browser.submit('/recover/password/reset', { secret, ...identity, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(done.status, 410);
  assert.match(done.text, /找回密码的请求已失效/);
  assert.equal((await t.signIn(username, NEW_PASSWORD)).page.status, 401);
}

test('F5 修改密码 retires an open reset link; a reset asked for afterwards works', async () => {
  const { email, agent } = await emailAccount('f5-password@example.edu.cn');
  const link = await emailResetLink(email);
  const pw = await agent.submit(
    '/account/password',
    { currentPassword: PASSWORD, password: 'owner picked another one', password2: 'owner picked another one' },
    { from: '/account/password' },
  );
  assert.equal(pw.status, 303);
  await assertLinkRetired(link, email);
  t.clock.advance(1_000);
  await emailResetLink(email);
});

test('F5 更换邮箱 retires a link sent to the old address', async () => {
  const oldMail = 'f5-lost-mailbox@example.edu.cn';
  const { agent } = await emailAccount(oldMail);
  const link = await emailResetLink(oldMail);
  const newMail = 'f5-new-mailbox@example.edu.cn';
  t.clock.advance(1_000);
  await agent.submit('/account/email/code', { email: newMail }, { from: '/account/email' });
  const changed = await agent.submit('/account/email', { email: newMail, code: codeIn((await t.latestMessageTo(newMail))!.text) });
  assert.equal(changed.status, 303);
  assert.equal(changed.location, '/account/email?changed=1');
  await assertLinkRetired(link, newMail);
});

test('F5 更换手机号 retires a reset unlocked by the old phone', async () => {
  const { phone, agent } = await phoneAccount();
  const { browser, secret } = await phoneResetSecret(phone);
  const newPhone = t.nextPhone();
  t.clock.advance(1_000);
  await agent.submit('/account/phone/code', { phone: newPhone }, { from: '/account/phone' });
  const changed = await agent.submit('/account/phone', { phone: newPhone, code: codeIn((await t.latestMessageTo(newPhone))!.text) });
  assert.equal(changed.status, 303);
  await assertSecretRetired(browser, secret, newPhone);
});

test('F5 binding an email (实名信息绑定) or a first phone (帐号管理) retires open resets', async () => {
  const identity = { name: '吴九', idNumber: nextId() };
  const { phone, agent } = await phoneAccount(identity);
  const { browser, secret } = await phoneResetSecret(phone);
  const mail = 'f5-bound@example.edu.cn';
  t.clock.advance(1_000);
  await agent.submit('/account/binding/email/code', { email: mail }, { from: '/account/binding' });
  const bound = await agent.submit('/account/binding/email', { email: mail, code: codeIn((await t.latestMessageTo(mail))!.text) });
  assert.equal(bound.location, '/account/binding?bound=email');
  await assertSecretRetired(browser, secret, phone, identity);

  const { email, agent: mailOwner } = await emailAccount('f5-mail-then-phone@example.edu.cn');
  const link = await emailResetLink(email);
  const newPhone = t.nextPhone();
  t.clock.advance(1_000);
  await mailOwner.submit('/account/phone/code', { phone: newPhone }, { from: '/account/phone' });
  const added = await mailOwner.submit('/account/phone', { phone: newPhone, code: codeIn((await t.latestMessageTo(newPhone))!.text) });
  assert.equal(added.status, 303);
  assert.match(added.location!, /^\/account\/phone\?/);
  await assertLinkRetired(link, email);
});

// ---------------------------------------------------------------------------------------------
// F6: recovery messages count against the recipient's daily limit, whatever username was typed.

test('F6 one phone gets at most 10 messages a day however the username is typed; the pages read the same past it', async () => {
  const idNumber = nextId();
  const name = '钱三';
  const { phone } = await phoneAccount({ name, idNumber });
  const asker = new Agent(t.app, { ip: '203.0.113.130' });
  // The username reminder is limited to 3 a day per ID number on its own: use it 3 times.
  const plan = ['phone', 'id', 'name+id', 'phone', 'id', 'phone', 'id', 'name+id', 'phone', 'id', 'phone', 'id', 'phone', 'id', 'name+id', 'phone'] as const;
  const firstAnswer = new Map<string, Page>();
  const delivered: number[] = [];
  for (const [i, kind] of plan.entries()) {
    const before = (await t.messagesTo(phone)).length;
    const page =
      kind === 'name+id'
        ? await submitWithCaptcha(asker, '/recover/username', '/recover/username', { name, idType: 'resident_id', idNumber })
        : await submitWithCaptcha(asker, '/recover/password', '/recover/password', { username: kind === 'phone' ? phone : idNumber });
    assert.equal(page.status, 200, `request ${i + 1} (${kind}): ${page.text.slice(0, 200)}`);
    const first = firstAnswer.get(kind);
    if (first) assert.equal(page.text, first.text, `request ${i + 1} (${kind}) reads like the first of its kind`);
    else firstAnswer.set(kind, page);
    delivered.push((await t.messagesTo(phone)).length - before);
  }
  const total = (await t.messagesTo(phone)).length; // the registration code counts too
  assert.ok(total <= 10, `messages to the phone in a day: ${total}; per request: ${delivered.join(',')}`);
  // One reset code goes out; asking again, by phone or ID number, within its life re-sends nothing
  // yet (the same code stands, re-sent at most every 2 minutes). The three username reminders a
  // number has a day each go out.
  const resets = delivered.filter((_, i) => plan[i] !== 'name+id');
  assert.deepEqual(resets, [1, ...Array<number>(resets.length - 1).fill(0)], 'one reset code, standing');
  assert.deepEqual(
    delivered.filter((_, i) => plan[i] === 'name+id'),
    [1, 1, 1],
  );
});

// ---------------------------------------------------------------------------------------------
// F7: limits are spent before the availability check: past them, registered contacts read 429.

test('F7 no unlimited "already registered" oracle: past the per-account and per-IP limits registered contacts answer 429', async () => {
  const d = await getTestInstance(); // default limits throughout
  try {
    // Each from its own address, apart from the prober's, whose per-IP limit is under test.
    const register = async (phone: string, ip: string) => (await d.registerPhone({ phone, ip })).agent;
    const victim = '13900000001';
    await register(victim, '198.18.99.1');
    const victimMail = 'f7-victim@example.edu.cn';
    await new Agent(d.app, { ip: '198.18.99.2' }).submit(
      '/register/email',
      { email: victimMail, password: 'a long enough password' },
      { from: '/register/email' },
    );
    const attacker = await register('13900000099', '203.0.113.140');
    await attacker.get('/account/phone');

    // 更换手机号: 10 codes for this account a day, then 429 for any number, registered or not.
    for (let i = 0; i < 10; i++) {
      const page = await attacker.submit('/account/phone/code', { phone: `1390000${String(1000 + i)}` });
      assert.equal(page.status, 200, `probe ${i + 1}: ${page.text.slice(0, 200)}`);
    }
    const registered = await attacker.submit('/account/phone/code', { phone: victim });
    assert.equal(registered.status, 429, 'a registered number past the limit is not named');
    assert.match(registered.text, /操作过于频繁/);
    assert.doesNotMatch(registered.text, /已经注册|139\*{4}0001/);
    const unregistered = await attacker.submit('/account/phone/code', { phone: '13900002000' });
    assert.equal(unregistered.status, 429);
    // Per account, not per IP: the same session from another address is limited as well.
    const elsewhere = new Agent(d.app, { ip: '203.0.113.141' });
    for (const [k, v] of attacker.cookies) elsewhere.cookies.set(k, v);
    await elsewhere.get('/account/email');
    const fromElsewhere = await elsewhere.submit('/account/phone/code', { phone: '13900002001' });
    assert.equal(fromElsewhere.status, 429, 'a new number from a new IP: only the per-account limit explains it');
    const mail = await elsewhere.submit('/account/email/code', { email: victimMail });
    assert.equal(mail.status, 429, 'the email channel shares the account’s limit');
    assert.doesNotMatch(mail.text, /已经注册|等待激活/);

    // 注册: past the per-IP limit (30 codes an hour) a registered number reads 429 too, not 409.
    const prober = new Agent(d.app, { ip: '203.0.113.142' });
    await prober.get('/register/phone');
    for (let i = 0; i < 30; i++) {
      const page = await prober.submit('/register/phone/code', { phone: `1370000${String(1000 + i)}` });
      assert.equal(page.status, 200, `registration probe ${i + 1}: ${page.text.slice(0, 200)}`);
    }
    const taken = await prober.submit('/register/phone/code', { phone: victim });
    assert.equal(taken.status, 429);
    assert.match(taken.text, /操作过于频繁/);
    assert.doesNotMatch(taken.text, /已经注册/);
  } finally {
    await d.close();
  }
});
