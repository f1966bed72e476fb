// Registration by email: the activation mail arrives at a real SMTP server, the test follows its
// link, and every prompt of seed 004 四 and 一 (4, 5) appears where it should.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, activateByLink } from '../helpers/agent.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
let smtp: TestSmtp;
before(async () => {
  smtp = await startTestSmtp();
  t = await getTestInstance({ env: { SMTP_URL: smtp.url } });
  t.worker.start();
});
after(async () => {
  await t.close();
  await smtp.close();
});

const linkIn = (text: string) => /http:\/\/127\.0\.0\.1:8080(\/activate\?token=[\w-]+)/.exec(text)?.[1];

test('the activation mail arrives over SMTP; its link activates; the address then signs in', async () => {
  const agent = new Agent(t.app, { ip: '198.51.100.1' });
  const page = await agent.submit(
    '/register/email',
    { email: 'wang.fang@example.edu.cn', password: 'plum blossom river', password2: 'plum blossom river' },
    { from: '/register/email' },
  );
  assert.equal(page.status, 200);
  assert.match(page.text, /激活邮件已发送/);
  assert.match(page.text, /wa\*\*\*@example\.edu\.cn/);

  const mail = await smtp.waitFor('wang.fang@example.edu.cn');
  assert.match(mail.subject, /通行帐号激活邮件/);
  const link = linkIn(mail.text);
  assert.ok(link, 'the mail holds an activation link');

  // Before activation, the right password hears that the account waits for activation.
  const early = await agent.submit('/login', { username: 'wang.fang@example.edu.cn', password: 'plum blossom river' }, { from: '/login' });
  assert.match(early.text, /正在等待激活/);

  // Opening the link changes nothing yet (a mail scanner may open it); the page asks for the password.
  const opened = await agent.get(link);
  assert.equal(opened.status, 200);
  assert.match(opened.text, /请输入登录密码完成激活/);
  const stillPending = await t.db.selectFrom('accounts').select('state').where('email', '=', 'wang.fang@example.edu.cn').executeTakeFirstOrThrow();
  assert.equal(stillPending.state, 'pending_activation');
  const token = /name="token" value="([^"]+)"/.exec(opened.body)![1]!;
  const tooShort = await agent.submit('/activate', { token, password: 'short' });
  assert.match(tooShort.text, /密码至少 8 个字符/);
  const activated = await agent.submit('/activate', { token, password: 'plum blossom river' });
  assert.equal(activated.location, '/account?activated=1');
  assert.match((await agent.get(activated.location!)).text, /已激活，帐号可以正常使用了/);
  const again = await agent.get(link);
  assert.match(again.text, /该邮箱已激活，请不要重复操作/);

  const signIn = await agent.submit('/login', { username: 'WANG.FANG@example.edu.cn', password: 'plum blossom river' }, { from: '/login' });
  assert.equal(signIn.status, 303);
  const home = await agent.get('/account');
  assert.match(home.text, /wa\*\*\*@example\.edu\.cn/);
  const row = await t.db
    .selectFrom('accounts')
    .select(['state', 'email_verified_at'])
    .where('email', '=', 'wang.fang@example.edu.cn')
    .executeTakeFirstOrThrow();
  assert.equal(row.state, 'active');
  assert.ok(row.email_verified_at);

  // The worker marked the message sent.
  const sent = await t.db.selectFrom('outbox').select('state').where('recipient', '=', 'wang.fang@example.edu.cn').execute();
  assert.ok(sent.every((m) => m.state === 'sent'));
});

test('a link older than one day has expired; resending gives a working one', async () => {
  const agent = new Agent(t.app, { ip: '198.51.100.2' });
  await agent.submit('/register/email', { email: 'late@example.com', password: 'plum blossom river' }, { from: '/register/email' });
  const first = linkIn((await smtp.waitFor('late@example.com')).text)!;
  t.clock.advance(DAY + 1000);
  const expired = await agent.get(first);
  assert.equal(expired.status, 410);
  assert.match(expired.text, /校验码已过期，请重新注册或重新获取校验码/);

  const mailsBefore = smtp.mails.filter((m) => m.to.includes('late@example.com')).length;
  const resent = await agent.submit('/register/email/resend', { email: 'late@example.com' });
  assert.match(resent.text, /激活邮件已重新发送/);
  for (let i = 0; i < 50 && smtp.mails.filter((m) => m.to.includes('late@example.com')).length === mailsBefore; i++)
    await new Promise((r) => setTimeout(r, 50));
  const second = linkIn(smtp.mails.filter((m) => m.to.includes('late@example.com')).at(-1)!.text)!;
  assert.notEqual(second, first);
  assert.equal((await activateByLink(agent, second, 'plum blossom river')).location, '/account?activated=1');
});

test('registering a waiting address again offers 重新发送激活邮件; an active one offers sign-in', async () => {
  const agent = new Agent(t.app, { ip: '198.51.100.3' });
  await agent.submit('/register/email', { email: 'twice@example.com', password: 'plum blossom river' }, { from: '/register/email' });
  const pending = await agent.submit('/register/email', { email: 'twice@example.com', password: 'plum blossom river' }, { from: '/register/email' });
  assert.equal(pending.status, 409);
  assert.match(pending.text, /该邮箱已经注册，正在等待激活/);
  assert.match(pending.text, /重新发送激活邮件/);

  const link = linkIn((await smtp.waitFor('twice@example.com')).text)!;
  await activateByLink(agent, link, 'plum blossom river');
  const active = await agent.submit('/register/email', { email: 'twice@example.com', password: 'plum blossom river' }, { from: '/register/email' });
  assert.match(active.text, /该邮箱已经注册，可直接登录/);
  assert.match(active.body, /href="\/login"/);
});

test('a tampered or truncated link is invalid and changes nothing', async () => {
  const agent = new Agent(t.app);
  for (const token of ['', 'abc', 'x'.repeat(43), '../../etc/passwd']) {
    const page = await agent.get(`/activate?token=${encodeURIComponent(token)}`);
    assert.equal(page.status, 400);
    assert.match(page.text, /激活链接无效/);
  }
});

test('邮箱 IP 受限: one network may register only a few email accounts a day', async () => {
  const agent = new Agent(t.app, { ip: '198.51.100.77' });
  for (let i = 0; i < 5; i++) {
    const ok = await agent.submit('/register/email', { email: `ip${i}@example.com`, password: 'plum blossom river' }, { from: '/register/email' });
    assert.equal(ok.status, 200, `registration ${i}`);
  }
  const limited = await agent.submit('/register/email', { email: 'ip5@example.com', password: 'plum blossom river' }, { from: '/register/email' });
  assert.equal(limited.status, 429);
  assert.match(limited.text, /邮箱 IP 受限/);
  assert.equal(await t.db.selectFrom('accounts').select('id').where('email', '=', 'ip5@example.com').executeTakeFirst(), undefined);
});

test("someone who registered another person's address first gains nothing: activation sets the owner's password", async () => {
  const attacker = new Agent(t.app, { ip: '198.51.100.90' });
  await attacker.submit('/register/email', { email: 'victim@example.com', password: 'the attacker knows this' }, { from: '/register/email' });
  const owner = new Agent(t.app, { ip: '198.51.100.91' });
  const link = linkIn((await smtp.waitFor('victim@example.com')).text)!;
  const done = await activateByLink(owner, link, 'only the owner knows this');
  assert.equal(done.location, '/account?activated=1');
  const byAttacker = await attacker.submit('/login', { username: 'victim@example.com', password: 'the attacker knows this' }, { from: '/login' });
  assert.equal(byAttacker.status, 401);
  const { page: byOwner } = await t.signIn('victim@example.com', 'only the owner knows this');
  assert.equal(byOwner.status, 303);
});
