// Classmate-assisted binding through the inbox: two people, two sessions. The request shows in
// the classmate's inbox, counted on the header until answered; confirming binds the requester's real name;
// declining and expiry leave it unbound; strangers' details get one answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { codeIn } from '../helpers/agent.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const PASSWORD = 'classmates help';
let n = 0;
const nextId = () => {
  const body = `11010820000101${String(100 + ++n).padStart(3, '0')}`;
  return body + mod11_2(body);
};

/** A classmate who gave real-name info on the registration form (so their phone binding is done). */
const boundPhoneAccount = (name: string) => t.registerPhone({ password: PASSWORD, fields: { name, idType: 'resident_id', idNumber: nextId() } });

/** Someone registered by email who saved real-name info: bound only once a phone is proved. */
async function unboundEmailAccount(email: string, name: string) {
  const { agent } = await t.registerEmail(email, { password: PASSWORD });
  await t.saveRealName(agent, { name, idNumber: nextId() });
  return { agent, email };
}

test('a classmate confirms from the inbox and the requester becomes bound', async () => {
  const classmate = await boundPhoneAccount('刘同学');
  const requester = await unboundEmailAccount('needs.help@example.com', '孙需要');
  const page = await requester.agent.get('/account/binding');
  assert.match(page.text, /请同学协助绑定/);
  const sent = await requester.agent.submit('/account/binding/classmate', {
    classmateName: '刘同学',
    classmatePhone: classmate.phone,
    ownPhone: '13912340000',
  });
  assert.equal(sent.status, 200);
  assert.match(sent.text, /协助请求已发送/);
  assert.match(sent.text, /等待同学确认/);

  const home = await classmate.agent.get('/account');
  assert.match(home.body, /aria-label="收件箱 1 条待处理"/);
  const inbox = await classmate.agent.get('/inbox');
  assert.match(inbox.text, /同学 孙需要（手机号 139\*\*\*\*0000）请求您协助完成实名信息绑定/);
  const itemId = /data-item="([^"]+)"/.exec(inbox.body)![1]!;
  assert.match((await classmate.agent.get('/account')).body, /aria-label="收件箱 1 条待处理"/, 'reading leaves the request counted until answered');

  const confirmed = await classmate.agent.submit(`/inbox/${itemId}/accept`, {});
  assert.equal(confirmed.status, 303);
  const done = await classmate.agent.get(confirmed.location!);
  assert.match(done.text, /已确认协助，谢谢/);
  assert.match(done.body, /aria-label="收件箱 0 条待处理"/, 'answered: the count drops');
  const twice = await classmate.agent.submit(`/inbox/${itemId}/accept`, {}, { from: '/inbox' });
  assert.equal(twice.status, 303);
  assert.match((await classmate.agent.get(twice.location!)).text, /该请求已经处理过了/);

  const after = await requester.agent.get('/account/binding');
  assert.match(after.text, /实名信息已绑定/);
  const row = await t.db.selectFrom('accounts').select(['realname_bound_via']).where('email', '=', 'needs.help@example.com').executeTakeFirstOrThrow();
  assert.equal(row.realname_bound_via, 'classmate');
});

test('a wrong name or an unbound classmate gets one answer; a declined request leaves it unbound', async () => {
  const classmate = await boundPhoneAccount('钱同学');
  const requester = await unboundEmailAccount('declined@example.com', '李请求');
  const wrongName = await requester.agent.submit(
    '/account/binding/classmate',
    { classmateName: '钱同學', classmatePhone: classmate.phone, ownPhone: '13912340001' },
    { from: '/account/binding' },
  );
  const noOne = await requester.agent.submit('/account/binding/classmate', { classmateName: '钱同学', classmatePhone: '13000000001', ownPhone: '13912340001' });
  assert.equal(wrongName.status, 404);
  assert.equal(noOne.status, 404);
  const message = (p: { text: string }) => /未找到符合条件的同学[^。]*/.exec(p.text)?.[0];
  assert.ok(message(wrongName));
  assert.equal(message(wrongName), message(noOne));

  await requester.agent.submit('/account/binding/classmate', { classmateName: '钱同学', classmatePhone: classmate.phone, ownPhone: '13912340001' });
  const again = await requester.agent.submit('/account/binding/classmate', {
    classmateName: '钱同学',
    classmatePhone: classmate.phone,
    ownPhone: '13912340001',
  });
  assert.match(again.text, /已有一条等待同学处理的请求/);
  const inbox = await classmate.agent.get('/inbox');
  const itemId = /data-item="([^"]+)"/.exec(inbox.body)![1]!;
  const declined = await classmate.agent.submit(`/inbox/${itemId}/decline`, {});
  assert.equal(declined.status, 303);
  assert.match((await classmate.agent.get(declined.location!)).text, /已拒绝该请求/);
  const after = await requester.agent.get('/account/binding');
  assert.match(after.text, /同学拒绝了协助请求/);
  assert.match(after.text, /实名信息未绑定/);
});

test('requests expire after 7 days and can no longer be confirmed', async () => {
  const classmate = await boundPhoneAccount('周同学');
  const requester = await unboundEmailAccount('expired@example.com', '吴过期');
  await requester.agent.submit(
    '/account/binding/classmate',
    { classmateName: '周同学', classmatePhone: classmate.phone, ownPhone: '13912340002' },
    { from: '/account/binding' },
  );
  const itemId = /data-item="([^"]+)"/.exec((await classmate.agent.get('/inbox')).body)![1]!;
  t.clock.advance(7 * DAY + 1000);
  await classmate.agent.submit('/login', { username: classmate.phone, password: PASSWORD }, { from: '/login' });
  const late = await classmate.agent.submit(`/inbox/${itemId}/accept`, {}, { from: '/inbox' });
  assert.equal(late.status, 303);
  assert.match((await classmate.agent.get(late.location!)).text, /该请求已过期/);
  await requester.agent.submit('/login', { username: 'expired@example.com', password: PASSWORD }, { from: '/login' });
  assert.match((await requester.agent.get('/account/binding')).text, /协助请求已过期，可以重新发送/);
});

test('a request confirmed after the requester bound a phone keeps the phone binding; the inbox shows itself read', async () => {
  const classmate = await boundPhoneAccount('冯同学');
  const requester = await unboundEmailAccount('bound-meanwhile@example.com', '陈先绑');
  await requester.agent.submit(
    '/account/binding/classmate',
    { classmateName: '冯同学', classmatePhone: classmate.phone, ownPhone: '13912340003' },
    { from: '/account/binding' },
  );
  await requester.agent.submit('/account/binding/phone/code', { phone: '13912340003' }, { from: '/account/binding' });
  const code = codeIn((await t.latestMessageTo('13912340003'))!.text);
  await requester.agent.submit('/account/binding/phone', { phone: '13912340003', code });
  const before = await t.db
    .selectFrom('accounts')
    .select(['realname_bound_at', 'realname_bound_via'])
    .where('email', '=', 'bound-meanwhile@example.com')
    .executeTakeFirstOrThrow();
  assert.equal(before.realname_bound_via, 'phone');

  const inbox = await classmate.agent.get('/inbox');
  assert.match(inbox.body, /aria-label="收件箱 1 条待处理"/, 'the page counts the request still waiting for an answer');
  const itemId = /data-item="([^"]+)"/.exec(inbox.body)![1]!;
  await classmate.agent.submit(`/inbox/${itemId}/accept`, {});
  const after = await t.db
    .selectFrom('accounts')
    .select(['realname_bound_at', 'realname_bound_via'])
    .where('email', '=', 'bound-meanwhile@example.com')
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, before);
});
