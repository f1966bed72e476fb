// 实名信息绑定: a phone-registered person sees 手机号绑定 已绑定成功 and binds an email with a code;
// an email-registered person binds a phone; contacts of others are refused; a claimant waits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { codeIn } from '../helpers/agent.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const PASSWORD = 'binding is next';
/** Real-name information given on the registration form itself, so the phone binding is done. */
const phoneAccount = (idNumber: string, extra: Record<string, string> = {}) =>
  t.registerPhone({ password: PASSWORD, fields: { name: '陈七', idType: 'resident_id', idNumber, ...extra } });

test('phone binding shows 已绑定成功; an email is bound with a code sent to it', async () => {
  const { agent, phone } = await phoneAccount('310104198511032013');
  const page = await agent.get('/account/binding');
  assert.match(page.text, new RegExp(`已绑定成功（${phone.slice(0, 3)}\\*{4}${phone.slice(7)}）`));
  assert.match(page.text, /实名信息已绑定/);

  const sent = await agent.submit('/account/binding/email/code', { email: 'chen.qi@example.com' });
  assert.match(sent.text, /校验码已发送至 ch\*\*\*@example\.com，1 天内有效/);
  const code = codeIn((await t.latestMessageTo('chen.qi@example.com'))!.text);
  const wrong = await agent.submit('/account/binding/email', { email: 'chen.qi@example.com', code: code === '999999' ? '000000' : '999999' });
  assert.match(wrong.text, /校验码错误，还可以尝试 4 次/);
  const bound = await agent.submit('/account/binding/email', { email: 'chen.qi@example.com', code });
  assert.equal(bound.location, '/account/binding?bound=email');
  const after = await agent.get(bound.location!);
  assert.match(after.text, /邮箱绑定成功/);
  assert.match(after.text, /已绑定成功（ch\*\*\*@example\.com）/);
  const row = await t.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('phone', '=', phone).executeTakeFirstOrThrow();
  assert.equal(row.email, 'chen.qi@example.com');
  assert.ok(row.email_verified_at);
});

test('an email account binds a phone; a phone of another account is refused, masked', async () => {
  const holder = await phoneAccount('110101199003070011');
  const { agent } = await t.registerEmail('bind-phone@example.com', { password: PASSWORD });
  const early = await agent.submit('/account/binding/phone/code', { phone: '13344445555' }, { from: '/account/binding' });
  assert.match(early.text, /请先填写基本信息/);
  await t.saveRealName(agent, { name: '周八', idNumber: '440305200001010013' });

  const taken = await agent.submit('/account/binding/phone/code', { phone: holder.phone }, { from: '/account/binding' });
  assert.equal(taken.status, 409);
  assert.match(taken.text, /该手机号已经注册，可直接登录/);

  const sent = await agent.submit('/account/binding/phone/code', { phone: '13344445555' });
  assert.match(sent.text, /校验码已发送至 133\*\*\*\*5555/);
  const code = codeIn((await t.latestMessageTo('13344445555'))!.text);
  t.clock.advance(DAY - 60_000); // the code is still valid within one day (the session is not)
  await agent.submit('/login', { username: 'bind-phone@example.com', password: PASSWORD }, { from: '/login' });
  const bound = await agent.submit('/account/binding/phone', { phone: '13344445555', code }, { from: '/account/binding' });
  assert.equal(bound.location, '/account/binding?bound=phone');
  assert.match((await agent.get('/account/binding?bound=phone')).text, /实名信息已绑定/);
  // The bound phone now signs in too.
  assert.equal((await t.signIn('13344445555', PASSWORD)).page.status, 303);
});

test('a claimant cannot bind before the duplicate is resolved', async () => {
  await phoneAccount('440305199501010014');
  const claimant = await phoneAccount('440305199501010014', { reRegister: '1' });
  const page = await claimant.agent.submit('/account/binding/email/code', { email: 'claimant@example.com' }, { from: '/account/binding' });
  assert.equal(page.status, 409);
  assert.match(page.text, /证件号码重复问题解决后才能绑定实名信息/);
  assert.match(page.text, /实名信息未绑定/);
});

test('a proved phone or address cannot be replaced through binding (only filled when empty)', async () => {
  const { agent, phone } = await phoneAccount('310104198511032021');
  const page = await agent.submit('/account/binding/phone/code', { phone: '13377778888' }, { from: '/account/binding' });
  assert.equal(page.status, 409);
  assert.match(page.text, /已绑定成功，无需重复绑定/);
  assert.equal(await t.latestMessageTo('13377778888'), undefined, 'no code was sent');
  const row = await t.db.selectFrom('accounts').select('phone').where('phone', '=', phone).executeTakeFirst();
  assert.ok(row, 'the username is untouched');
});
