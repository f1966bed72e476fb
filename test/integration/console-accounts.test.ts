// Support at the console: find an account by phone, email or ID number (blind index), read its
// card and timeline, and act with a stated reason — suspend and restore, end sessions, send the
// username, reveal a full value, mark a wrong ID number (case 3). And who may do what: a reviewer
// cannot do support's or an admin's work, a suspended staff member cannot act.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { createStaff, signInStaff, type TestStaff } from '../helpers/staff.ts';

let t: TestInstance;
let support: Agent;
let supportStaff: TestStaff;
const PASSWORD = 'console accounts password';
const id = (seq: number) => {
  const body = `32010219900303${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  // One phone registers twice here (case 3), within the minute between two codes.
  t = await getTestInstance({
    limits: {
      registrationsPerIp: { points: 1000, durationSeconds: 3600 },
      codesPerIp: { points: 1000, durationSeconds: 3600 },
      codeResendPerTarget: { points: 2, durationSeconds: 60 },
    },
  });
  supportStaff = await createStaff(t, 'support.zhao', ['support']);
  support = await signInStaff(t, supportStaff);
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName, phone?: string) => t.registerPhone({ phone, password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

async function act(staff: Agent, accountId: string, action: string, fields: Record<string, string>) {
  await staff.get(`/console/accounts/${accountId}`);
  return staff.submit(`/console/accounts/${accountId}/${action}`, fields);
}

test('found by phone and by ID number; the card masks, the timeline tells, every look-up is audited', async () => {
  const person = await register({ name: '赵一', idNumber: id(1) });
  const search = async (q: string) => {
    await support.get('/console/accounts');
    return support.submit('/console/accounts', { q });
  };
  const byPhone = await search(person.phone);
  assert.equal(byPhone.status, 200);
  const results = /<table [^>]*class="grid" id="lookup-results">.*<\/table>/s.exec(byPhone.body)![0];
  assert.match(results, new RegExp(`${person.phone.slice(0, 3)}\\*{4}${person.phone.slice(7)}`));
  assert.doesNotMatch(results, new RegExp(person.phone), 'the results mask the number');
  const byId = await search(id(1).toLowerCase());
  assert.match(byId.text, /赵一/);
  assert.match(byId.text, /320\*{11}\d{3}[\dX]/);
  const none = await search('13900000000');
  assert.match(none.text, /没有找到帐号/);

  const accountId = person.accountId;
  const card = await support.get(`/console/accounts/${accountId}`);
  assert.match(card.text, /正常|已激活|active/i);
  assert.match(card.text, /注册帐号/, 'the timeline shows the registration');
  assert.match(card.text, /持有人/);
  assert.doesNotMatch(card.body, new RegExp(id(1)), 'the ID number is masked');
  const ids = [...card.body.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    ids.filter((x, i) => ids.indexOf(x) !== i),
    [],
    'every label names its own input (no repeated ids)',
  );
  const lookups = await t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'staff.account_lookup').execute();
  assert.equal(lookups.length, 3);
  assert.ok(lookups.every((l) => l.actor_id === 'support.zhao'));
  assert.ok(!JSON.stringify(lookups).includes(person.phone), 'what was searched for is not logged');
});

test('suspend needs a reason; suspension signs the person out and keeps them out; restore lets them back', async () => {
  const person = await register({ name: '钱二', idNumber: id(2) });
  const accountId = person.accountId;
  assert.equal((await person.agent.get('/account')).status, 200);

  const noReason = await act(support, accountId, 'suspend', { reason: ' ' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.text, /请填写理由/);
  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirstOrThrow()).state, 'active', 'nothing changed');

  const suspended = await act(support, accountId, 'suspend', { reason: '本人来电报告帐号被盗' });
  assert.equal(suspended.status, 303);
  assert.match((await support.get(suspended.location!)).text, /帐号已停用，所有会话已结束/);
  assert.equal((await person.agent.get('/account')).status, 303, 'the person is signed out');
  const { page: login } = await t.signIn(person.phone, PASSWORD);
  assert.match(login.text, /该帐号已停用，请联系客服/);
  const audit = await t.db
    .selectFrom('audit_events')
    .select(['actor_kind', 'actor_id', 'detail'])
    .where('action', '=', 'account.suspended')
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, 'support.zhao');
  assert.equal((audit.detail as { reason: string }).reason, '本人来电报告帐号被盗');

  const card = await support.get(`/console/accounts/${accountId}`);
  assert.match(card.text, /客服停用帐号 客服 support\.zhao [\d.]+ 本人来电报告帐号被盗/, 'the timeline shows why');
  const restored = await act(support, accountId, 'restore', { reason: '本人持证件核实完毕' });
  assert.equal(restored.status, 303);
  const { page: again } = await t.signIn(person.phone, PASSWORD);
  assert.equal(again.status, 303, again.text);
  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirstOrThrow()).state, 'active');
});

test('end sessions, send the username to the account itself, reveal the full ID number with a reason', async () => {
  const person = await register({ name: '孙三', idNumber: id(3) });
  const accountId = person.accountId;
  const ended = await act(support, accountId, 'end-sessions', { reason: '用户要求下线所有设备' });
  assert.equal(ended.status, 303);
  assert.equal((await person.agent.get('/account')).status, 303);

  const reminded = await act(support, accountId, 'remind', { reason: '用户来电找回用户名' });
  assert.equal(reminded.status, 303);
  const sms = await t.latestMessageTo(person.phone);
  assert.match(sms!.text, new RegExp(`您的通行帐号用户名为 ${person.phone}`));

  const revealed = await act(support, accountId, 'reveal', { field: 'id_number', reason: '核对用户提供的证件复印件' });
  assert.equal(revealed.status, 200);
  assert.match(revealed.body, new RegExp(`id="revealed-value">${id(3)}<`));
  const decrypted = await t.db
    .selectFrom('audit_events')
    .select(['actor_id', 'ip', 'detail'])
    .where('action', '=', 'identity.decrypted')
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  assert.equal(decrypted.actor_id, 'support.zhao');
  assert.equal(decrypted.ip, '192.0.2.50', 'from where');
  assert.equal((decrypted.detail as { purpose: string }).purpose, '核对用户提供的证件复印件');
  const withoutReason = await act(support, accountId, 'reveal', { field: 'phone', reason: '' });
  assert.equal(withoutReason.status, 400);
  assert.doesNotMatch(withoutReason.body, /id="revealed-value"/);
});

test('客服协助找回密码: a reset link to an address the person gives; the phone is told; the real name is still asked', async () => {
  const person = await register({ name: '郑六', idNumber: id(6) });
  const accountId = person.accountId;
  const missing = await act(support, accountId, 'reset-password', {
    to: 'other_email',
    otherEmail: 'not-an-address',
    reason: '本人手机号已停用，核实身份证照片',
  });
  assert.equal(missing.status, 400);
  assert.match(missing.body, /<option value="other_email" selected>/, 'what was chosen stays chosen');
  assert.match(missing.body, /value="not-an-address"/);
  assert.match(missing.body, /id="f-reset-password-reason" name="reason" type="text" value="本人手机号已停用，核实身份证照片"/, 'the reason is kept');
  const sent = await act(support, accountId, 'reset-password', {
    to: 'other_email',
    otherEmail: 'zheng6@example.com',
    reason: '本人手机号已停用，核实身份证照片',
  });
  assert.equal(sent.status, 303, sent.text);
  assert.match((await t.latestMessageTo(person.phone))!.text, /客服应申请于 .*向 zh\*+@example\.com 发送了重设您通行帐号密码的链接/);
  const link = /(\/recover\/password\/reset\?token=[\w-]+)/.exec((await t.latestMessageTo('zheng6@example.com'))!.text)![1]!;
  const browser = new Agent(t.app, { ip: '198.18.42.1' });
  const form = await browser.get(link);
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;
  const wrong = await browser.submit('/recover/password/reset', {
    secret,
    password: 'a new password for zheng',
    password2: 'a new password for zheng',
    name: '郑六',
    idNumber: id(7),
  });
  assert.equal(wrong.status, 400, 'whoever holds the link still answers the real name');
  const right = await browser.submit('/recover/password/reset', {
    secret,
    password: 'a new password for zheng',
    password2: 'a new password for zheng',
    name: '郑六',
    idNumber: id(6),
  });
  assert.equal(right.status, 303, right.text);
  const audit = await t.db
    .selectFrom('audit_events')
    .select(['actor_id', 'detail'])
    .where('action', '=', 'recovery.reset_started_by_staff')
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, 'support.zhao');
  assert.equal((audit.detail as { to: string }).to, 'other_email');
});

test('case 3: a wrong ID number — the account is deregistered, its phone registers again, the other holder owns the number', async () => {
  const wrong = await register({ name: '李四', idNumber: id(4) });
  const owner = await register({ name: '李四', idNumber: id(4), reRegister: '1' });
  const wrongId = wrong.accountId;
  const ownerId = owner.accountId;
  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', ownerId).executeTakeFirstOrThrow()).state, 'needs_verification');

  const unconfirmed = await act(support, wrongId, 'wrong-id', { reason: '用户提供身份证原件照片，号码与注册不符' });
  assert.equal(unconfirmed.status, 400);
  assert.match(unconfirmed.text, /请勾选确认/);
  const marked = await act(support, wrongId, 'wrong-id', { reason: '用户提供身份证原件照片，号码与注册不符', confirm: '1' });
  assert.equal(marked.status, 303, marked.text);

  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', wrongId).executeTakeFirstOrThrow()).state, 'deregistered');
  assert.match((await support.get(`/console/accounts/${wrongId}`)).text, /证件号码归属 曾持有（已不再持有）/);
  assert.match((await t.latestMessageTo(wrong.phone))!.text, /填写的证件号码有误，该帐号已于 .*注销/);
  const heir = await t.db.selectFrom('accounts').select('state').where('id', '=', ownerId).executeTakeFirstOrThrow();
  assert.equal(heir.state, 'active', 'the remaining holder owns the number');
  assert.match((await owner.agent.get('/account/resolution')).text, /./);
  // The person starts over with the same phone and their right number.
  const again = await register({ name: '李四', idNumber: id(40) }, wrong.phone);
  assert.ok(again);
});

test('authorization: a reviewer cannot do support or admin work; a suspended staff member cannot act', async () => {
  const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.qian', ['reviewer']), '192.0.2.60');
  const person = await register({ name: '周五', idNumber: id(5) });
  const accountId = person.accountId;
  for (const url of ['/console/accounts', `/console/accounts/${accountId}`, '/console/staff', '/console/records', '/console/enterprise', '/console/audit']) {
    const page = await reviewer.get(url);
    assert.equal(page.status, 403, url);
    assert.match(page.text, /您的角色没有此项操作的权限/);
    assert.match(page.body, /<a href="\/console" id="error-home">/, 'the way back stays in the console');
  }
  const forged = await reviewer.submit(`/console/accounts/${accountId}/suspend`, { reason: '越权尝试停用帐号' });
  assert.equal(forged.status, 403);
  const refusals = await t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'staff.forbidden').execute();
  assert.equal(refusals.length, 7, 'every refused request is in the audit trail');
  assert.ok(refusals.every((r) => r.actor_id === 'reviewer.qian'));
  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirstOrThrow()).state, 'active');

  const admin = await signInStaff(t, await createStaff(t, 'admin.sun', ['admin']), '192.0.2.61');
  const gone = await createStaff(t, 'support.wu', ['support']);
  const goneAgent = await signInStaff(t, gone, '192.0.2.62');
  assert.equal((await goneAgent.get('/console/accounts')).status, 200);
  const staffRow = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'support.wu').executeTakeFirstOrThrow();
  await admin.get('/console/staff');
  const suspend = await admin.submit(`/console/staff/${staffRow.id}/suspend`, { reason: '已离职，停用工号' });
  assert.equal(suspend.status, 303, suspend.text);
  assert.equal((await goneAgent.get('/console/accounts')).status, 303, 'the suspended staff member is signed out');
  const act2 = await goneAgent.submit(`/console/accounts/${accountId}/suspend`, { reason: '停用后仍尝试操作' });
  assert.equal(act2.status, 401);
  const relogin = await new Agent(t.app, { ip: '192.0.2.63' }).submit(
    '/console/login',
    { username: 'support.wu', password: gone.password },
    { from: '/console/login' },
  );
  assert.match(relogin.text, /该工号已停用/);
  // An administrator reads what staff did.
  const audit = await admin.get('/console/audit?staff=admin.sun');
  assert.match(audit.text, /admin\.sun 停用客服帐号 [\d.]+ 已离职，停用工号 · support\.wu/);
  assert.match((await admin.get('/console/audit?staff=reviewer.qian')).text, /越权访问被拒绝/);
});
