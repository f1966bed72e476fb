// Registration by phone, as a person walks it: 免费获取, the SMS code from the outbox, password,
// optional email. Asserts what the page says and what the database holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

let n = 0;
const freshPhone = () => `139${String(10_000_000 + ++n * 7919).slice(-8)}`;

async function sendCode(agent: Agent, phone: string) {
  return agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
}

test('a code is sent, then the account is created, signed in and shown masked', async () => {
  const agent = new Agent(t.app);
  const phone = freshPhone();
  const sent = await sendCode(agent, phone);
  assert.equal(sent.status, 200);
  assert.match(sent.text, new RegExp(`校验码已发送至 ${phone.slice(0, 3)}\\*\\*\\*\\*${phone.slice(7)}`));
  const sms = await t.latestMessageTo(phone);
  assert.equal(sms?.channel, 'sms');
  const code = codeIn(sms!.text);

  const done = await agent.submit('/register/phone', { phone, code, password: 'correct horse battery', password2: 'correct horse battery' });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/account');
  const home = await agent.get('/account');
  assert.equal(home.status, 200);
  assert.match(home.text, new RegExp(`${phone.slice(0, 3)}\\*\\*\\*\\*${phone.slice(7)}`));
  assert.match(home.text, /正常/);
  assert.match(home.text, /填写实名信息/);

  const row = await t.db.selectFrom('accounts').selectAll().where('phone', '=', phone).executeTakeFirstOrThrow();
  assert.equal(row.state, 'active');
  assert.ok(row.phone_verified_at);
  assert.match(row.password_hash, /^\$argon2id\$/);
  const audit = await t.db.selectFrom('audit_events').select('action').where('account_id', '=', row.id).execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), ['account.registered', 'session.started']);
  // The code is stored only as a keyed hash.
  const codes = await t.db.selectFrom('verification_codes').selectAll().execute();
  assert.ok(codes.every((c) => !Buffer.from(c.code_hash).toString('latin1').includes(code)));
});

test('a code works once', async () => {
  const agent = new Agent(t.app);
  const phone = freshPhone();
  await sendCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  await agent.submit('/register/phone', { phone, code, password: 'a long enough secret' });
  const again = new Agent(t.app, { ip: '203.0.113.99' });
  const second = await again.submit('/register/phone', { phone, code, password: 'a long enough secret' }, { from: '/register/phone' });
  assert.equal(second.status, 409);
  assert.match(second.text, /该手机号已经注册，可直接登录/);
});

test('a wrong code says how many tries are left, and the fifth wrong one voids the code', async () => {
  const agent = new Agent(t.app, { ip: '203.0.113.20' });
  const phone = freshPhone();
  await sendCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const wrong = code === '000000' ? '111111' : '000000';
  for (let left = 4; left >= 1; left--) {
    const page = await agent.submit('/register/phone', { phone, code: wrong, password: 'a long enough secret' });
    assert.equal(page.status, 400);
    assert.match(page.text, new RegExp(`校验码错误，还可以尝试 ${left} 次`));
  }
  const fifth = await agent.submit('/register/phone', { phone, code: wrong, password: 'a long enough secret' });
  assert.match(fifth.text, /校验码错误次数过多，请重新获取校验码/);
  const right = await agent.submit('/register/phone', { phone, code, password: 'a long enough secret' });
  assert.match(right.text, /校验码错误次数过多/);
  assert.equal(await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirst(), undefined);
});

test('a code older than one day has expired', async () => {
  const agent = new Agent(t.app, { ip: '203.0.113.21' });
  const phone = freshPhone();
  await sendCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  t.clock.advance(DAY + 1000);
  const page = await agent.submit('/register/phone', { phone, code, password: 'a long enough secret' });
  assert.match(page.text, /校验码已过期，请重新获取校验码/);
});

test('免费获取 twice within 60 s is refused with the wait', async () => {
  const agent = new Agent(t.app, { ip: '203.0.113.22' });
  const phone = freshPhone();
  await sendCode(agent, phone);
  const again = await agent.submit('/register/phone/code', { phone });
  assert.equal(again.status, 429);
  assert.match(again.text, /操作过于频繁，操作被禁止，请 \d+ 秒后再试/);
});

test('password rules: too short, too common, equal to the username, and a mismatch', async () => {
  const agent = new Agent(t.app, { ip: '203.0.113.23' });
  const phone = freshPhone();
  await sendCode(agent, phone);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ password: 'short' }, /密码至少 8 个字符/],
    [{ password: 'password1' }, /该密码过于常见/],
    [{ password: phone }, /密码不能与用户名相同/],
    [{ password: 'a long enough secret', password2: 'another one entirely' }, /两次输入的密码不一致/],
  ];
  for (const [fields, message] of cases) {
    const page = await agent.submit('/register/phone', { phone, code, ...fields });
    assert.equal(page.status, 400);
    assert.match(page.text, message);
  }
  // 64 characters of anything, spaces and Chinese included, are accepted.
  const long = '我的密码 '.repeat(13).slice(0, 64);
  const ok = await agent.submit('/register/phone', { phone, code, password: long });
  assert.equal(ok.status, 303);
});

test('invalid phone numbers are refused with a clear message and nothing is sent', async () => {
  const agent = new Agent(t.app, { ip: '203.0.113.24' });
  for (const phone of ['12345', '12812345678', 'abcdefghijk', '']) {
    const page = await sendCode(agent, phone);
    assert.equal(page.status, 400);
    assert.match(page.text, phone ? /请输入正确的 11 位手机号码/ : /请输入手机号码/);
  }
  // Full-width digits and a +86 prefix are the same number.
  const page = await sendCode(agent, '+86 １３９００００１１１１');
  assert.equal(page.status, 200);
  assert.ok(await t.latestMessageTo('13900001111'));
});

test("the optional email gets a confirmation link; only once confirmed is it the account's and counts as used", async () => {
  const { phone, agent, page } = await t.registerPhone({ fields: { email: 'Li.Lei@Example.com' } });
  assert.equal(page.status, 303);
  const mail = await t.latestMessageTo('li.lei@example.com');
  assert.match(mail!.text, /\/confirm-email\?token=/);
  const home = await agent.get('/account');
  assert.doesNotMatch(home.text, /li\*\*\*@example\.com/, "not the account's address before it is confirmed");
  // Unconfirmed, the address blocks no one: its real owner could still register with it.
  assert.equal(await t.db.selectFrom('email_usages').select('email').where('email', '=', 'li.lei@example.com').executeTakeFirst(), undefined);

  const link = /http:\/\/127\.0\.0\.1:8080(\/confirm-email\?token=[\w-]+)/.exec(mail!.text)![1]!;
  const confirmed = await agent.get(link);
  assert.match(confirmed.text, /邮箱 li\.lei@example\.com 已确认/);
  assert.match((await agent.get('/account')).text, /li\*\*\*@example\.com/);

  // Registering with that address now names its owner, masked.
  const other = new Agent(t.app, { ip: '203.0.113.26' });
  const taken = await other.submit('/register/email', { email: 'li.lei@example.com', password: 'a long enough secret' }, { from: '/register/email' });
  assert.equal(taken.status, 409);
  assert.match(taken.text, new RegExp(`电子邮件已被用户 ${phone.slice(0, 3)}\\*\\*\\*\\*${phone.slice(7)} 绑定邮箱时使用`));
});

test('an address typed by someone else at phone registration does not lock its owner out', async () => {
  const { agent: squatter } = await t.registerPhone({ fields: { email: 'owner.of.mail@example.com' } });
  const squatterLink = /(\/confirm-email\?token=[\w-]+)/.exec((await t.latestMessageTo('owner.of.mail@example.com'))!.text)![1]!;

  const owner = new Agent(t.app, { ip: '203.0.113.28' });
  const registered = await owner.submit(
    '/register/email',
    { email: 'owner.of.mail@example.com', password: 'a long enough secret' },
    { from: '/register/email' },
  );
  assert.equal(registered.status, 200, 'the owner registers with their address');
  // The squatter's old link (which went to the owner's mailbox anyway) no longer takes it.
  const late = await squatter.get(squatterLink);
  assert.match(late.text, /该邮箱已被其他帐号使用/);
});
