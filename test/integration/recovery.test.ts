// 找回用户名 and 找回密码 as people use them: what arrives where, what the pages say, what changes
// in the database, and that nothing on those pages tells a stranger who is registered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const CAPTCHA = 'r4Tx';
let t: TestInstance;
before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    limits: {
      registrationsPerIp: { points: 1000, durationSeconds: 3600 },
      codesPerIp: { points: 1000, durationSeconds: 3600 },
      recoveryPerIp: { points: 1000, durationSeconds: 3600 },
    },
  });
});
after(() => t.close());

const PASSWORD = 'old sunny password';
const NEW_PASSWORD = 'brand new evening tea';
let n = 0;
let idSeq = 100;
const nextId = () => {
  const body = `11010519900307${++idSeq}`;
  return `${body}${mod11_2(body)}`;
};

const phoneAccount = (realName?: RealName) => t.registerPhone({ password: PASSWORD, realName });
const emailAccount = (email: string) => t.registerEmail(email, { password: PASSWORD });
const submitWithCaptcha = (agent: Agent, from: string, action: string, fields: Record<string, string>) =>
  t.submitWithCaptcha(agent, from, action, fields, CAPTCHA);
/** Every message in the dev outbox, to anyone: "nothing was sent" means to no one. */
const outboxCount = async () => ((await t.app.inject({ method: 'GET', url: '/dev/outbox.json' })).json() as unknown[]).length;

test('找回用户名 sends the username to the bound phone and says the same for a stranger', async () => {
  const id = nextId();
  const { phone } = await phoneAccount({ name: '王小明', idNumber: id });
  const asker = new Agent(t.app, { ip: '198.19.9.1' });

  const found = await submitWithCaptcha(asker, '/recover/username', '/recover/username', { name: '王小明', idType: 'resident_id', idNumber: id.toLowerCase() });
  assert.equal(found.status, 200);
  assert.match(found.text, /用户名已发送至该帐号绑定的手机（短信）或邮箱/);
  const sms = await t.latestMessageTo(phone);
  assert.match(sms!.text, new RegExp(`用户名为 ${phone}，也可使用证件号码登录`));

  const before = await outboxCount();
  const wrongName = await submitWithCaptcha(asker, '/recover/username', '/recover/username', { name: '王小红', idType: 'resident_id', idNumber: id });
  assert.equal(wrongName.status, 200);
  assert.equal(wrongName.text, found.text, 'the same words whether or not anything matched');
  assert.equal(await outboxCount(), before, 'nothing sent for a name that does not match');
});

test('after 找回用户名, binding WeChat or Alipay waits 2 hours (seed 003 item 7), and the security log says until when', async () => {
  const id = nextId();
  const { phone, agent } = await phoneAccount({ name: '李小华', idNumber: id });
  const bindingPage = async () => (await agent.get('/account/social')).text;
  assert.doesNotMatch(await bindingPage(), /后才能绑定/, 'open before any recovery');
  await submitWithCaptcha(new Agent(t.app, { ip: '198.19.9.2' }), '/recover/username', '/recover/username', {
    name: '李小华',
    idType: 'resident_id',
    idNumber: id,
  });
  assert.match((await t.latestMessageTo(phone))!.text, /用户名为/);
  assert.match(await bindingPage(), /后才能绑定/);
  assert.match((await agent.get('/account/security')).text, /找回用户名或密码后 2 小时内不能绑定微信或支付宝登录，.+ 后可以绑定。/);
  t.clock.advance(2 * 60 * 60_000 + 1_000);
  assert.doesNotMatch(await bindingPage(), /后才能绑定/, 'open again after 2 hours');
});

test('找回用户名 refuses a wrong captcha and a malformed number, and sends nothing', async () => {
  const asker = new Agent(t.app, { ip: '198.19.9.2' });
  const before = await outboxCount();
  await asker.get('/recover/username');
  const captchaId = /name="captchaId" value="([^"]+)"/.exec((await asker.get('/recover/username')).body)![1]!;
  const wrong = await asker.submit('/recover/username', { name: '王小明', idType: 'resident_id', idNumber: '11010519491231002X', captchaId, captcha: 'nope' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /安全验证未通过/);
  const malformed = await submitWithCaptcha(asker, '/recover/username', '/recover/username', {
    name: '王小明',
    idType: 'resident_id',
    idNumber: '110105194912310021',
  });
  assert.equal(malformed.status, 400);
  assert.match(malformed.text, /校验码|证件号码/);
  assert.equal(await outboxCount(), before);
});

test('找回密码 by phone: code, real-name check, new password; every session ends and the other channel hears', async () => {
  const id = nextId();
  const { phone, agent: oldSession } = await phoneAccount({ name: '李四', idNumber: id });
  const browser = new Agent(t.app, { ip: '198.19.9.3' });

  const sent = await submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: phone });
  assert.equal(sent.status, 200);
  assert.match(sent.text, /如果该手机号已注册，找回密码校验码已发送至该手机/);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  assert.match((await t.latestMessageTo(phone))!.text, /找回密码校验码/);

  const wrong = await browser.submit('/recover/password/code', {
    flow: /name="flow" value="([^"]+)"/.exec(sent.body)![1]!,
    kind: 'phone',
    code: code === '000000' ? '111111' : '000000',
  });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /校验码错误，还可以尝试 4 次/);

  const flow = /name="flow" value="([^"]+)"/.exec(sent.body)![1]!;
  const form = await browser.submit('/recover/password/code', { flow, kind: 'phone', code });
  assert.equal(form.status, 200);
  assert.match(form.text, /请输入姓名和证件号码以确认是本人/);
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;

  const mismatch = await browser.submit('/recover/password/reset', {
    secret,
    name: '李四',
    idNumber: '110105194912310037',
    password: NEW_PASSWORD,
    password2: NEW_PASSWORD,
  });
  assert.equal(mismatch.status, 400);
  assert.match(mismatch.text, /姓名或证件号码与帐号的实名信息不符，还可以尝试 4 次/);

  t.clock.advance(1_000);
  const done = await browser.submit('/recover/password/reset', { secret, name: '李四', idNumber: id, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/login?reset=1');
  assert.match((await browser.get('/login?reset=1')).text, /密码已重设，所有设备均已退出登录/);

  assert.equal((await oldSession.get('/account')).status, 303, 'the session signed in before the reset has ended');
  const signIn = (await t.signIn(phone, NEW_PASSWORD)).page;
  assert.equal(signIn.location, '/account');
  const old = (await t.signIn(phone, PASSWORD)).page;
  assert.equal(old.status, 401);

  const notice = await t.latestMessageTo(phone);
  assert.match(notice!.text, /密码已于 .*（北京时间）通过找回密码重设/, 'with no email bound, the phone hears');
  const row = await t.db.selectFrom('accounts').select(['password_recovered_at']).where('phone', '=', phone).executeTakeFirstOrThrow();
  assert.ok(row.password_recovered_at, 'the recovery time is kept for the 2-hour social-binding rule');

  const reused = await browser.submit('/recover/password/reset', {
    secret,
    name: '李四',
    idNumber: id,
    password: 'another fine password',
    password2: 'another fine password',
  });
  assert.equal(reused.status, 410, 'a reset works once');
});

test('找回密码 by email: the link opens a form, changes nothing until the new password is set', async () => {
  const email = `reset${++n}@example.edu.cn`;
  const { agent: oldSession } = await emailAccount(email);
  const browser = new Agent(t.app, { ip: '198.19.9.6' });
  const sent = await submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: email.toUpperCase() });
  assert.match(sent.text, /重设密码的链接已发送至该邮箱，30 分钟内有效/);
  assert.doesNotMatch(sent.body, /name="code"/, 'no code field for an email username');
  const mail = await t.latestMessageTo(email);
  const link = /https?:\/\/[^/]+(\/recover\/password\/reset\?token=\S+)/.exec(mail!.text)![1]!;

  const other = new Agent(t.app, { ip: '198.19.9.7' });
  const opened = await other.get(link);
  assert.equal(opened.status, 200);
  assert.match(opened.text, /设置新密码/);
  assert.doesNotMatch(opened.text, /证件号码/, 'no real-name check for an account without real-name information');
  assert.equal((await oldSession.get('/account')).status, 200, 'opening the link changes nothing');

  const short = await other.submit('/recover/password/reset', {
    secret: /name="secret" value="([^"]+)"/.exec(opened.body)![1]!,
    password: 'short',
    password2: 'short',
  });
  assert.equal(short.status, 400);
  assert.match(short.text, /密码至少 8 个字符/);
  const done = await other.submit('/recover/password/reset', {
    secret: /name="secret" value="([^"]+)"/.exec(opened.body)![1]!,
    password: NEW_PASSWORD,
    password2: NEW_PASSWORD,
  });
  assert.equal(done.location, '/login?reset=1');
  assert.equal((await oldSession.get('/account')).status, 303);
  const signIn = (await t.signIn(email, NEW_PASSWORD)).page;
  assert.equal(signIn.location, '/account');
  assert.equal((await other.get(link)).status, 410, 'the link is spent');
});

test('找回密码 by ID number sends the code to the phone bound to the account', async () => {
  const id = nextId();
  const { phone } = await phoneAccount({ name: '赵六', idNumber: id });
  const browser = new Agent(t.app, { ip: '198.19.9.9' });
  const sent = await submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: id });
  assert.match(sent.text, /如果该证件号码已绑定帐号，校验码已发送至帐号绑定的手机/);
  const sms = await t.latestMessageTo(phone);
  assert.match(sms!.text, /找回密码校验码/);
});

test('five wrong real-name answers close the request', async () => {
  const id = nextId();
  const { phone } = await phoneAccount({ name: '孙七', idNumber: id });
  const browser = new Agent(t.app, { ip: '198.19.9.10' });
  const sent = await submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: phone });
  const flow = /name="flow" value="([^"]+)"/.exec(sent.body)![1]!;
  const form = await browser.submit('/recover/password/code', { flow, kind: 'phone', code: codeIn((await t.latestMessageTo(phone))!.text) });
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;
  let last;
  for (let i = 0; i < 5; i++) {
    last = await browser.submit('/recover/password/reset', { secret, name: '孙八', idNumber: id, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  }
  assert.equal(last!.status, 429);
  assert.match(last!.text, /姓名或证件号码核对错误次数过多，找回密码已暂停 24 小时/);
  assert.match((await t.latestMessageTo(phone))!.text, /多次填错姓名或证件号码，找回密码已暂停 24 小时/, 'the owner is told');
  const right = await browser.submit('/recover/password/reset', { secret, name: '孙七', idNumber: id, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(right.status, 410, 'this request is closed; even the right answer is refused');
  const signIn = (await t.signIn(phone, PASSWORD)).page;
  assert.equal(signIn.location, '/account', 'the password did not change');
});

test('找回密码 for an address still waiting for activation sends the activation email again', async () => {
  const email = `pending${++n}@example.edu.cn`;
  await new Agent(t.app, { ip: '198.19.2.1' }).submit('/register/email', { email, password: PASSWORD }, { from: '/register/email' });
  const first = await t.latestMessageTo(email);
  t.clock.advance(61_000);
  const sent = await submitWithCaptcha(new Agent(t.app, { ip: '198.19.2.2' }), '/recover/password', '/recover/password', { username: email });
  assert.match(sent.text, /尚未激活的帐号会重新收到激活邮件/);
  const again = await t.latestMessageTo(email);
  assert.notEqual(again!.id, first!.id);
  assert.match(again!.text, /\/activate\?token=/);
});

test('找回密码 by SMS: a stranger asking again gets the same code re-sent, and cannot refuse the owner', async () => {
  const own = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    limits: {
      recoveryPerIp: { points: 1000, durationSeconds: 3600 },
      // Short enough to wait out in a test, and a phone allowance strangers can use up.
      resetSmsResendInterval: { points: 1, durationSeconds: 1 },
      codesPerTargetDaily: { points: 3, durationSeconds: 86_400 },
    },
  });
  try {
    const { phone, agent: owner } = await own.registerPhone({ password: PASSWORD });
    const smsTo = async () =>
      ((await own.app.inject({ method: 'GET', url: '/dev/outbox.json' })).json() as Array<{ to: string; text: string }>)
        .filter((m) => m.to === phone && /找回密码/.test(m.text))
        .reverse(); // the dev outbox lists the newest first
    const ask = (agent: Agent) => own.submitWithCaptcha(agent, '/recover/password', '/recover/password', { username: phone }, CAPTCHA);
    const flowOf = (page: { body: string }) => /name="flow" value="([^"]+)"/.exec(page.body)![1]!;

    // A stranger asks five times at once: one code goes out.
    const stranger = new Agent(own.app, { ip: '198.19.10.1' });
    for (let i = 0; i < 5; i++) assert.match((await ask(stranger)).text, /找回密码校验码已发送至该手机/);
    assert.equal((await smsTo()).length, 1);
    const first = codeIn((await smsTo())[0]!.text);

    // Asked again after the re-send interval: the same code is sent again, not a new one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ask(stranger);
    const sent = await smsTo();
    assert.equal(sent.length, 2);
    assert.equal(codeIn(sent[1]!.text), first, 'the same code, re-sent');

    // The owner asks too (nothing new need arrive): the code on the phone opens their request.
    const mine = await ask(owner);
    const opened = await owner.submit('/recover/password/code', { flow: flowOf(mine), kind: 'phone', code: first });
    assert.equal(opened.status, 200);
    assert.match(opened.text, /设置新密码|新密码/);
    // Used once: the next request gets a new code.
    own.clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ask(new Agent(own.app, { ip: '198.19.10.2' }));
    const after = await smsTo();
    assert.equal(after.length, 3);
    assert.notEqual(codeIn(after[2]!.text), first);

    // Strangers on other networks use up the phone's allowance as codes expire (3 a day here)…
    own.clock.advance(11 * 60_000);
    await ask(new Agent(own.app, { ip: '198.19.10.3' }));
    own.clock.advance(11 * 60_000);
    await ask(new Agent(own.app, { ip: '198.19.10.4' }));
    const spent = (await smsTo()).length;
    own.clock.advance(11 * 60_000);
    await ask(new Agent(own.app, { ip: '198.19.10.5' }));
    assert.equal((await smsTo()).length, spent, 'past the allowance a stranger sends nothing');
    // …but the owner, from the network they sign in from, still gets a code that works.
    own.clock.advance(11 * 60_000);
    const again = await ask(owner);
    const last = await smsTo();
    assert.equal(last.length, spent + 1, 'the owner is not refused for what strangers spent');
    const reopened = await owner.submit('/recover/password/code', { flow: flowOf(again), kind: 'phone', code: codeIn(last.at(-1)!.text) });
    assert.equal(reopened.status, 200);
  } finally {
    await own.close();
  }
});
