// 帐号管理 settings as a person meets them: change the password (other devices end), change the
// phone and the email (fresh sign-in first, code to the new one, notice to the old one, the seed's
// refusals), the security log, and the 2-hour pause on social binding after a recovery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import { MINUTE, HOUR } from '../../src/lib/clock.ts';
import { assertSocialBindingAllowed } from '../../src/accounts/social-binding-policy.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const PASSWORD = 'settings first password';
const NEW_PASSWORD = 'settings second password';
let n = 0;
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

/** Registered in a desktop browser, so that 安全记录 names the device. */
const phoneAccount = () => t.registerPhone({ password: PASSWORD, userAgent: CHROME_ON_LINUX });

test('修改密码: a wrong current password changes nothing; the right one ends other devices and tells the phone', async () => {
  const { phone, agent } = await phoneAccount();
  const other = (await t.signIn(phone, PASSWORD)).agent;

  const wrong = await agent.submit(
    '/account/password',
    { currentPassword: 'not it at all', password: NEW_PASSWORD, password2: NEW_PASSWORD, endOthers: '1' },
    { from: '/account/password' },
  );
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /当前密码不正确/);
  assert.equal((await other.get('/account')).status, 200);

  t.clock.advance(1_000);
  const done = await agent.submit(
    '/account/password',
    { currentPassword: PASSWORD, password: NEW_PASSWORD, password2: NEW_PASSWORD, endOthers: '1' },
    { from: '/account/password' },
  );
  assert.equal(done.status, 303);
  assert.match((await agent.get(done.location!)).text, /密码已修改，其他 1 台设备已退出登录/);
  assert.equal((await other.get('/account')).status, 303, 'the other device is signed out');
  assert.equal((await agent.get('/account')).status, 200, 'this one stays');
  assert.match((await t.latestMessageTo(phone))!.text, /密码已于 .*修改/);
  assert.equal((await t.signIn(phone, PASSWORD)).page.status, 401);
  assert.equal((await t.signIn(phone, NEW_PASSWORD)).page.location, '/account');
});

test('修改密码 without ending other devices keeps them signed in', async () => {
  const { phone, agent } = await phoneAccount();
  const other = (await t.signIn(phone, PASSWORD)).agent;
  const done = await agent.submit(
    '/account/password',
    { currentPassword: PASSWORD, password: NEW_PASSWORD, password2: NEW_PASSWORD },
    { from: '/account/password' },
  );
  assert.equal(done.status, 303);
  assert.match((await agent.get(done.location!)).text, /密码已修改。/);
  assert.equal((await other.get('/account')).status, 200);
});

test('更换手机号: a stale sign-in confirms the password first; a number of another account is refused masked; the old phone hears', async () => {
  const { phone, agent } = await phoneAccount();
  const { phone: taken } = await phoneAccount();
  t.clock.advance(11 * MINUTE);
  const stale = await agent.get('/account/phone');
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Fphone');
  const ask = await agent.get(stale.location!);
  assert.match(ask.text, /为了帐号安全，请先输入密码确认是本人/);
  const wrong = await agent.submit('/account/confirm-password', { next: '/account/phone', currentPassword: 'wrong password here' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /当前密码不正确/);
  const confirmed = await agent.submit('/account/confirm-password', { next: '/account/phone', currentPassword: PASSWORD });
  assert.equal(confirmed.location, '/account/phone');

  const form = await agent.get('/account/phone');
  assert.match(form.text, /更换手机号/);
  assert.match(form.text, /手机号是您的用户名/);
  const refused = await agent.submit('/account/phone/code', { phone: taken });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /该手机号已经注册，可直接登录/);

  const newPhone = t.nextPhone();
  const sent = await agent.submit('/account/phone/code', { phone: newPhone }, { from: '/account/phone' });
  assert.match(sent.text, new RegExp(`校验码已发送至 ${newPhone.slice(0, 3)}\\*{4}${newPhone.slice(7)}`));
  const sms = await t.latestMessageTo(newPhone);
  assert.match(sms!.text, /更换手机号校验码/);
  const bad = await agent.submit('/account/phone', { phone: newPhone, code: codeIn(sms!.text) === '123456' ? '654321' : '123456' });
  assert.match(bad.text, /校验码错误，还可以尝试 4 次/);
  t.clock.advance(1_000);
  const changed = await agent.submit('/account/phone', { phone: newPhone, code: codeIn(sms!.text) });
  assert.equal(changed.status, 303);
  assert.match((await agent.get(changed.location!)).text, /手机号已更换为 \d{3}\*{4}\d{4}/);
  assert.match((await t.latestMessageTo(phone))!.text, /手机号已于 .*由 \d{3}\*{4}\d{4} 更换为 \d{3}\*{4}\d{4}/);
  assert.equal((await t.signIn(newPhone, PASSWORD)).page.location, '/account', 'the new number is the username');
  assert.equal((await t.signIn(phone, PASSWORD)).page.status, 401, 'the old one no longer is');
});

test('绑定/更换邮箱: an address with a record of use is refused; a new one is bound by code, then changed with a notice to the old', async () => {
  const { agent } = await phoneAccount();
  const usedEmail = `used${++n}@example.edu.cn`;
  const registrant = new Agent(t.app, { ip: '198.18.7.1' });
  await registrant.submit('/register/email', { email: usedEmail, password: PASSWORD }, { from: '/register/email' });

  const form = await agent.get('/account/email');
  assert.match(form.text, /绑定邮箱/);
  assert.match(form.text, /只能绑定在本站没有使用记录的邮箱/);
  const refused = await agent.submit('/account/email/code', { email: usedEmail });
  assert.equal(refused.status, 409);

  const first = `first${++n}@example.edu.cn`;
  await agent.submit('/account/email/code', { email: first }, { from: '/account/email' });
  const code1 = codeIn((await t.latestMessageTo(first))!.text);
  const bound = await agent.submit('/account/email', { email: first, code: code1 });
  assert.equal(bound.status, 303);
  assert.match((await agent.get(bound.location!)).text, /邮箱 fi\*\*\*@example\.edu\.cn 绑定成功/, 'a first address is bound, not "changed"');
  const usage = await t.db.selectFrom('email_usages').select('email').where('email', '=', first).executeTakeFirst();
  assert.ok(usage, 'the bound address now has a record of use');

  const second = `second${++n}@example.edu.cn`;
  t.clock.advance(1_000);
  await agent.submit('/account/email/code', { email: second }, { from: '/account/email' });
  const code2 = codeIn((await t.latestMessageTo(second))!.text);
  t.clock.advance(1_000);
  const changed = await agent.submit('/account/email', { email: second, code: code2 });
  assert.equal(changed.status, 303);
  const notice = await t.latestMessageTo(first);
  assert.match(notice!.subject ?? '', /安全提醒/);
  assert.match(notice!.text, /邮箱已于 .*由 fi\*\*\*@example\.edu\.cn 更换为 se\*\*\*@example\.edu\.cn/);
  const again = await agent.submit('/account/email/code', { email: first }, { from: '/account/email' });
  assert.equal(again.status, 409, 'the old address keeps its record of use');
});

test('安全记录 lists sign-ins with IP and device, failures marked, and changes', async () => {
  const { phone, agent } = await phoneAccount();
  await t.signIn(phone, 'not the password', { ip: '198.18.8.8' }); // the address 安全记录 shows
  await agent.submit(
    '/account/password',
    { currentPassword: 'not my password', password: NEW_PASSWORD, password2: NEW_PASSWORD },
    { from: '/account/password' },
  );
  t.clock.advance(1_000);
  await agent.submit('/account/password', { currentPassword: PASSWORD, password: NEW_PASSWORD, password2: NEW_PASSWORD }, { from: '/account/password' });
  const log = await agent.get('/account/security');
  assert.match(log.text, /修改密码失败（当前密码错误）/, 'a wrong password on 修改密码 is named as such, not as 确认密码');
  assert.match(log.text, /^.*修改密码 .*修改密码失败/, 'newest first, even within one second');
  assert.equal(log.status, 200);
  assert.match(log.text, /登录（注册后）/);
  assert.match(log.text, /Chrome · Linux/);
  assert.match(log.text, /登录失败（密码错误） 198\.18\.8\.8/);
  assert.match(log.text, /修改密码/);
  assert.match(log.body, /<tr class="warning">/);
});

test('the 2-hour rule: after a recovery, social binding is refused for 2 hours and the security log says until when', async () => {
  const { phone, agent } = await phoneAccount();
  const now = t.clock.now();
  await t.db.updateTable('accounts').set({ password_recovered_at: now }).where('phone', '=', phone).execute();
  const account = await t.db
    .selectFrom('accounts')
    .select(['password_recovered_at', 'username_recovered_at'])
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
  assert.throws(() => assertSocialBindingAllowed(account, new Date(now.getTime() + HOUR)), /social.recently_recovered/);
  assert.doesNotThrow(() => assertSocialBindingAllowed(account, new Date(now.getTime() + 2 * HOUR + 1)));
  const log = await agent.get('/account/security');
  assert.match(log.text, /找回用户名或密码后 2 小时内不能绑定微信或支付宝登录/);
});

test('confirming the password is limited: a stolen session cannot guess it', async () => {
  const { agent } = await phoneAccount();
  t.clock.advance(11 * MINUTE);
  let last;
  for (let i = 0; i < 6; i++)
    last = await agent.submit(
      '/account/confirm-password',
      { next: '/account/phone', currentPassword: `guess number ${i}` },
      { from: '/account/confirm-password' },
    );
  assert.equal(last!.status, 429);
  assert.match(last!.text, /操作过于频繁/);
  const right = await agent.submit('/account/confirm-password', { next: '/account/phone', currentPassword: PASSWORD });
  assert.equal(right.status, 429, 'even the right password waits out the block');
});
