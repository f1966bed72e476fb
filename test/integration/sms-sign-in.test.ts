// 手机校验码登录: a registered phone gets a 10-minute code and signs in with it once; a wrong code
// counts down five tries; an unregistered number reads exactly like a registered one at both steps
// (and no SMS goes to it, no account is made); a suspended account gets nothing; `next` leads on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent, codeIn, type Page } from '../helpers/agent.ts';
import { suspendAccount } from '../../src/admin/account-service.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ services: { drawCaptcha: knownCaptcha('q4Rt') } });
});
after(() => t.close());

const formError = (page: Page) => /<p class="error-summary-form"[^>]*>([^<]*)</.exec(page.body)?.[1];
const fieldError = (page: Page, field: string) => new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(page.body)?.[1];
/** The page without what differs per request or per number (CSRF token, captcha, the typed and masked number). */
const comparable = (page: Page, phone: string) =>
  page.body
    .replace(/name="(_csrf|captchaId)" value="[^"]*"/g, 'name="$1" value=""')
    .replaceAll(phone, 'PHONE')
    .replaceAll(`${phone.slice(0, 3)}****${phone.slice(7)}`, 'MASKED');

async function askCode(agent: Agent, phone: string, next?: string): Promise<Page> {
  return agent.submit('/login/sms/code', { phone, ...(next ? { next } : {}) }, { from: '/login/sms' });
}

async function sessionMethods(accountId: string) {
  const rows = await t.db.selectFrom('sessions').select(['auth_methods']).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
  return rows.map((r) => r.auth_methods);
}

test('a registered phone signs in with the code it was sent, once', async () => {
  const { phone } = await t.registerPhone();
  const accountId = await t.accountIdOf({ phone });
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const sent = await askCode(agent, phone);
  assert.equal(sent.status, 200);
  assert.match(sent.text, new RegExp(`校验码已发送至 ${phone.slice(0, 3)}\\*{4}${phone.slice(7)}，10 分钟内有效`));
  const sms = await t.latestMessageTo(phone);
  assert.match(sms!.text, /【通行】您的登录校验码为 \d{6}，10 分钟内有效/);
  const code = codeIn(sms!.text);
  const before = await sessionMethods(accountId);

  const signedIn = await agent.submit('/login/sms', { phone, code });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.location, '/account');
  assert.equal((await agent.get('/account')).status, 200);
  const after = await sessionMethods(accountId);
  assert.equal(after.length, before.length + 1);
  assert.ok(
    after.some((methods) => methods.length === 1 && methods[0] === 'sms_code'),
    'the new session remembers the SMS code',
  );

  // The security log says how.
  const log = await agent.get('/account/security');
  assert.match(log.text, /登录（手机校验码）/);

  const again = await new Agent(t.app, { ip: t.nextIp() }).submit('/login/sms', { phone, code }, { from: '/login/sms' });
  assert.equal(again.status, 400);
  assert.equal(fieldError(again, 'code'), '校验码不正确或已失效，请重新获取');
});

test('a wrong code counts down its five tries, then the code is dead', async () => {
  const { phone } = await t.registerPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await askCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const wrong = code === '000000' ? '111111' : '000000';
  const first = await agent.submit('/login/sms', { phone, code: wrong });
  assert.equal(first.status, 400);
  assert.equal(fieldError(first, 'code'), '校验码错误，还可以尝试 4 次');
  assert.equal(await t.latestMessageTo(phone).then((m) => codeIn(m!.text)), code, 'nothing new was sent');
  for (let i = 0; i < 3; i++) await agent.submit('/login/sms', { phone, code: wrong });
  const last = await agent.submit('/login/sms', { phone, code: wrong });
  assert.equal(fieldError(last, 'code'), '校验码错误次数过多，请重新获取校验码');
  const right = await agent.submit('/login/sms', { phone, code });
  assert.equal(right.status, 400, 'even the right code no longer works');
  assert.equal(fieldError(right, 'code'), '校验码错误次数过多，请重新获取校验码');
  // The owner sees the failures in the security log.
  const { agent: owner } = await t.signIn(phone);
  assert.match((await owner.get('/account/security')).text, /登录失败（手机校验码错误）/);
});

test('a code lasts ten minutes', async () => {
  const { phone } = await t.registerPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await askCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  t.clock.advance(10 * 60_000 + 1_000);
  const late = await agent.submit('/login/sms', { phone, code });
  assert.equal(late.status, 400);
  assert.equal(fieldError(late, 'code'), '校验码已过期，请重新获取校验码');
});

test('an unregistered number reads exactly like a registered one, gets no SMS and makes no account', async () => {
  const { phone: registered } = await t.registerPhone();
  const unregistered = t.nextPhone();
  const accounts = async () =>
    Number(
      (
        await t.db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const count = await accounts();
  const a = new Agent(t.app, { ip: t.nextIp() });
  const b = new Agent(t.app, { ip: t.nextIp() });
  const sentA = await askCode(a, registered);
  const sentB = await askCode(b, unregistered);
  assert.equal(sentA.status, sentB.status);
  assert.equal(comparable(sentA, registered), comparable(sentB, unregistered));
  assert.equal(await t.latestMessageTo(unregistered), undefined, 'no SMS to a number without an account');

  // A wrong code for either, and then the same again: the same answers, the same tries left.
  for (let i = 0; i < 2; i++) {
    const wrongA = await a.submit('/login/sms', { phone: registered, code: '999999' });
    const wrongB = await b.submit('/login/sms', { phone: unregistered, code: '999999' });
    assert.equal(wrongA.status, wrongB.status);
    assert.equal(fieldError(wrongA, 'code'), fieldError(wrongB, 'code'));
    assert.equal(comparable(wrongA, registered), comparable(wrongB, unregistered));
  }
  // Asking again at once is refused alike (60 s between two codes to one number).
  const soonA = await askCode(a, registered);
  const soonB = await askCode(b, unregistered);
  assert.equal(soonA.status, 429);
  // The wait counts down in real time, so the two may be a second apart when the machine is slow.
  const seconds = (text: string) => text.replace(/\d+ 秒/g, 'N 秒');
  assert.match(formError(soonA)!, /请 \d+ 秒后再试/);
  assert.equal(seconds(formError(soonA)!), seconds(formError(soonB)!));
  assert.equal(seconds(comparable(soonA, registered)), seconds(comparable(soonB, unregistered)));
  assert.equal(await accounts(), count, 'no account was made');
});

test('a suspended account gets no code; the page reads as for any number', async () => {
  const { phone } = await t.registerPhone();
  const accountId = await t.accountIdOf({ phone });
  await suspendAccount(t.services.accounts, accountId, { username: 'support.sms', ip: null }, '本人来电报告帐号被盗');
  const before = await t.messagesTo(phone);
  const page = await askCode(new Agent(t.app, { ip: t.nextIp() }), phone);
  assert.equal(page.status, 200);
  assert.match(page.text, /校验码已发送至/);
  assert.equal((await t.messagesTo(phone)).length, before.length, 'nothing sent to a suspended account');
});

test('bad input gets a clear message and changes nothing', async () => {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const empty = await askCode(agent, '');
  assert.equal(empty.status, 400);
  assert.equal(fieldError(empty, 'phone'), '请输入手机号码');
  const invalid = await askCode(agent, '1234');
  assert.equal(invalid.status, 400);
  assert.match(fieldError(invalid, 'phone') ?? '', /手机号/);
  const noCode = await agent.submit('/login/sms', { phone: '13800138000', code: '' });
  assert.equal(noCode.status, 400);
  assert.equal(fieldError(noCode, 'code'), '请输入校验码');
  const shortCode = await agent.submit('/login/sms', { phone: '13800138000', code: '12' });
  assert.equal(fieldError(shortCode, 'code'), '校验码为 6 位数字');
  const junk = await agent.submit('/login/sms', { phone: '\u0000'.repeat(3), code: 'x'.repeat(5000) });
  assert.ok(junk.status < 500, `answered ${junk.status}`);
  const noCsrf = await new Agent(t.app).submit('/login/sms/code', { phone: '13800138000' }, { csrf: null });
  assert.equal(noCsrf.status, 403);
});

test('the sign-in leads on to where the person was going, and the tabs keep it', async () => {
  const { phone } = await t.registerPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const form = await agent.get('/login?next=%2Faccount%2Fsecurity');
  assert.match(form.body, /href="\/login\/sms\?next=%2Faccount%2Fsecurity"/);
  // The scan sign-ins are offered on the SMS tab too, keeping the way on.
  const smsTab = await agent.get('/login/sms?next=%2Faccount%2Fsecurity');
  assert.match(smsTab.body, /href="\/login\/wechat\?next=%2Faccount%2Fsecurity"/);
  await askCode(agent, phone, '/account/security');
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const done = await agent.submit('/login/sms', { phone, code, next: '/account/security' });
  assert.equal(done.location, '/account/security');
  // Somewhere else is never a way on.
  const { phone: other } = await t.registerPhone();
  const elsewhere = new Agent(t.app, { ip: t.nextIp() });
  await askCode(elsewhere, other);
  const otherCode = codeIn((await t.latestMessageTo(other))!.text);
  const away = await elsewhere.submit('/login/sms', { phone: other, code: otherCode, next: 'https://evil.example/' });
  assert.equal(away.location, '/account');
});
