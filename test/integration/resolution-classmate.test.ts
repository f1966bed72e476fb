// 途径3 over HTTP. The claimed identity and the classmate both need records at the named school,
// on one level with overlapping years, or one answer refuses; a confirmation (是我的同学) starts a
// notice period: the current holders hear of it at once and the case passes when the period ends,
// unless a holder objects, which sends it to staff (the console's objection queue) to uphold or turn
// down. Requests expire after 7 days; one person vouches only so many times a year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.ts';
import { passDueCases } from '../../src/resolution/notice-period.ts';
import { completeDueDeregistrations } from '../../src/leaving/completion.ts';

let t: TestInstance;
const PASSWORD = 'classmate path password';
const id = (seq: number) => {
  const body = `32010619960707${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    env: { CLASSMATE_VOUCHES_PER_YEAR: '2' },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(() => t.close());

/** Rows of the records file: kind (学籍 gives the enrolment year, 学历 the graduation year), school, year, level, name, ID. */
async function records(...rows: Array<[string, string, number, string, string, string]>) {
  const file = rows
    .map(([kind, school, year, level, name, idNumber], i) => `${kind},${school},${Date.now()}${i},${year},${level},${name},,${idNumber}`)
    .join('\n');
  const report = await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
  assert.equal(report.rejected, 0, JSON.stringify(report.rejectedSample));
}

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

/** Someone signs in again (days pass in these tests; sessions do not last that long). */
async function signsIn(phone: string): Promise<Agent> {
  const { agent, page } = await t.signIn(phone, PASSWORD);
  assert.equal(page.status, 303);
  return agent;
}

const ask = (agent: Agent, fields: Record<string, string>) =>
  agent.submit('/account/resolution/classmate', { acknowledge: '1', ...fields }, { from: '/account/resolution/classmate' });
const itemIdFor = (body: string) => /data-item="([^"]+)" data-state="pending"/.exec(body)?.[1];
const stateOf = async (phone: string) => (await t.db.selectFrom('accounts').select('state').where('phone', '=', phone).executeTakeFirstOrThrow()).state;
const holdOf = (claimantId: string) => t.db.selectFrom('resolution_holds').selectAll().where('claimant_account_id', '=', claimantId).executeTakeFirstOrThrow();

/** A verified classmate who studied 本科 at 南京大学 from 2014. */
async function classmateNamed(name: string, seq: number) {
  await records(['学籍', '南京大学', 2014, '本科', name, id(seq)]);
  return register({ name, idNumber: id(seq) });
}

/** An owner and a second registration claiming the same number, whose identity studied at 南京大学 from 2015. */
async function claimCase(name: string, seq: number) {
  await records(['学籍', '南京大学', 2015, '本科', name, id(seq)]);
  const owner = await register({ name, idNumber: id(seq) });
  const claimant = await register({ name, idNumber: id(seq), reRegister: '1' });
  return { owner, claimant };
}

/** The student number of the record imported for the claimed identity (claimCase). */
async function numberOf(accountId: string): Promise<string> {
  const row = await t.db
    .selectFrom('student_records')
    .innerJoin('identities', 'identities.id_index', 'student_records.id_index')
    .select('student_records.number')
    .where('identities.account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.number;
}

/** The claimant asks, the classmate confirms from the inbox. */
async function vouched(claimant: Agent, classmate: { phone: string; agent: Agent }, classmateName: string) {
  const sent = await ask(claimant, { classmateName, classmateUsername: classmate.phone, school: '南京大学' });
  assert.equal(sent.status, 200, sent.text);
  const inbox = await classmate.agent.get('/inbox');
  const accepted = await classmate.agent.submit(`/inbox/${itemIdFor(inbox.body)}/accept`, {});
  assert.equal(accepted.status, 303, accepted.text);
  assert.equal(accepted.location, '/inbox?done=accept');
}

test('a stranger who knows a name and ID number cannot pass with an accomplice: the claimed identity needs its own record', async () => {
  const accomplice = await classmateNamed('钱同学', 1);
  // The victim never studied at 南京大学; the attacker re-registers with the victim's details.
  const victim = await register({ name: '赵同学', idNumber: id(10) });
  const attacker = await register({ name: '赵同学', idNumber: id(10), reRegister: '1' });
  const refused = await ask(attacker.agent, { classmateName: '钱同学', classmateUsername: accomplice.phone, school: '南京大学' });
  assert.equal(refused.status, 404);
  assert.match(refused.text, /未找到符合条件的同学/);
  assert.equal(itemIdFor((await accomplice.agent.get('/inbox')).body), undefined, 'nothing reaches the accomplice');
  assert.equal(await stateOf(victim.phone), 'active');
});

test('the classmate must have studied there on the same level in overlapping years', async () => {
  const classmate = await classmateNamed('郑同学', 20);
  const cases: Array<[number, [string, number, string], number]> = [
    [21, ['学籍', 2015, '硕士'], 404], // another level
    [22, ['学籍', 2019, '本科'], 404], // began after the classmate left (2014–2018)
    [23, ['学历', 2013, '本科'], 404], // graduated before the classmate began
    [24, ['学历', 2019, '本科'], 200], // 2015–2019 overlaps 2014–2018
  ];
  for (const [seq, [kind, year, level], status] of cases) {
    await records([kind, '南京大学', year, level, '冯同学', id(seq)]);
    await register({ name: '冯同学', idNumber: id(seq) });
    const claimant = await register({ name: '冯同学', idNumber: id(seq), reRegister: '1' });
    const answer = await ask(claimant.agent, { classmateName: '郑同学', classmateUsername: classmate.phone, school: '南京大学' });
    assert.equal(answer.status, status, `${kind} ${year} ${level}`);
  }
});

test('a confirmed vouch waits out the notice period: the holder is told at once, and the case passes when it ends', async () => {
  const classmate = await classmateNamed('陈同学', 30);
  const { owner, claimant } = await claimCase('孙同学', 2);

  for (const wrong of [
    { classmateName: '陈同学', classmateUsername: classmate.phone, school: '东南大学' },
    { classmateName: '陈同学', classmateUsername: '13000000000', school: '南京大学' },
    { classmateName: '陈同', classmateUsername: classmate.phone, school: '南京大学' },
  ]) {
    const refused = await ask(claimant.agent, wrong);
    assert.equal(refused.status, 404);
    assert.match(refused.text, /未找到符合条件的同学/, 'one answer whatever was wrong');
  }
  const page = await claimant.agent.get('/account/resolution/classmate');
  assert.match(page.text, /72 小时/, 'the page states the notice period');
  const sent = await ask(claimant.agent, { classmateName: '陈同学', classmateUsername: classmate.phone, school: ' 南京大学 ' });
  assert.match(sent.text, /已有 0 位同学确认，需要 1 位。 最近一次请求：等待同学确认。/);
  const inbox = await classmate.agent.get('/inbox');
  assert.match(
    inbox.text,
    /孙同学（帐号 1\d{2}\*{4}\d{4}）请求您协助解决证件号码重复问题，并称与您是 南京大学 的同班同学（在校 \d{4}–\d{4} 年）。确认“是我的同学”后，如公示期内无人提出有效异议，使用该证件号码的其他帐号将被注销/,
    'who asks (name, masked account, school, years) and what confirming does',
  );
  await classmate.agent.submit(`/inbox/${itemIdFor(inbox.body)}/accept`, {});

  // Nothing is deregistered yet; the holder hears of it with the way to object.
  assert.equal(await stateOf(owner.phone), 'active');
  const told = await t.latestMessageTo(owner.phone);
  assert.match(told!.text, /大学同班同学协助/);
  assert.match(told!.text, /\/account\/objection/);
  const waiting = await claimant.agent.get('/account/resolution/classmate');
  assert.match(waiting.text, /公示期/);
  assert.equal((await holdOf(claimant.accountId)).state, 'waiting');

  t.clock.advance(72 * HOUR - MINUTE);
  assert.equal(await passDueCases(t.services.accounts), 0, 'not before the period ends');
  assert.equal(await stateOf(owner.phone), 'active');
  t.clock.advance(2 * MINUTE);
  assert.equal(await passDueCases(t.services.accounts), 1);
  assert.equal(await passDueCases(t.services.accounts), 0, 'a case passes once');

  const centre = await (await signsIn(claimant.phone)).get('/account/resolution');
  assert.match(centre.text, /身份核验已于 .* 通过（大学同班同学协助）/);
  const ownerRow = await t.db
    .selectFrom('accounts')
    .select(['state'])
    .where('id', '=', (await t.db.selectFrom('released_contacts').select('account_id').where('value', '=', owner.phone).executeTakeFirstOrThrow()).account_id)
    .executeTakeFirstOrThrow();
  assert.equal(ownerRow.state, 'deregistered');
  assert.equal((await holdOf(claimant.accountId)).state, 'passed');
});

test('a holder objects: the case goes to staff, who turn the vouches down or let them stand', async () => {
  const rejected = await claimCase('吴同学', 6);
  const upheld = await claimCase('王同学', 7);
  await vouched(rejected.claimant.agent, await classmateNamed('褚同学', 31), '褚同学');
  await vouched(upheld.claimant.agent, await classmateNamed('卫同学', 32), '卫同学');

  for (const { owner, claimant } of [rejected, upheld]) {
    const holder = await signsIn(owner.phone);
    const page = await holder.get('/account/objection');
    const caseId = /data-case="([0-9a-f-]{36})"/.exec(page.body)?.[1];
    assert.ok(caseId, 'the holder sees the case');
    const short = await holder.submit(`/account/objection/${caseId}`, { objection: '不' });
    assert.equal(short.status, 400);
    assert.match(short.text, /请说明情况（至少 4 个字）/);
    const objected = await holder.submit(`/account/objection/${caseId}`, { objection: '这是我本人的帐号，我没有重新注册' });
    assert.equal(objected.status, 303);
    assert.match((await holder.get(objected.location!)).text, /异议已提交/);
    assert.equal((await holdOf(claimant.accountId)).state, 'objected');
    assert.match((await t.latestMessageTo(claimant.phone))!.text, /提出了异议，已转由客服审核/);
  }
  // An objected case does not pass by time.
  t.clock.advance(73 * HOUR);
  assert.equal(await passDueCases(t.services.accounts), 0);
  assert.equal(await stateOf(rejected.owner.phone), 'active');

  const wang = await signInStaff(t, await createStaff(t, 'reviewer.wang', ['reviewer']));
  const li = await signInStaff(t, await createStaff(t, 'reviewer.li', ['reviewer']), '192.0.2.51');
  const queue = await wang.get('/console/objections');
  assert.equal(queue.status, 200);
  const rowOf = (body: string, name: string) => [...body.matchAll(/<tr data-objection="([0-9a-f-]{36})">(.*?)<\/tr>/gs)].find((m) => m[2]!.includes(name))?.[1];
  const first = rowOf(queue.body, '吴同学')!;
  const second = rowOf(queue.body, '王同学')!;
  assert.ok(first && second, 'both cases wait in the queue');
  assert.equal((await wang.get(`/console/objections/${first}`)).status, 403, 'claim first');
  await wang.submit(`/console/objections/${first}/claim`, {});
  assert.equal((await li.submit(`/console/objections/${first}/claim`, {}, { from: '/console/objections' })).status, 409, 'held by another');
  const casePage = await wang.get(`/console/objections/${first}`);
  assert.match(casePage.text, /这是我本人的帐号，我没有重新注册/);
  assert.match(casePage.text, /褚同学/);
  assert.match(casePage.text, /南京大学/);

  const noReason = await wang.submit(`/console/objections/${first}/decision`, { decision: 'reject', note: '' });
  assert.equal(noReason.status, 400);
  assert.equal((await holdOf(rejected.claimant.accountId)).state, 'objected', 'a refused form changes nothing');
  const turnedDown = await wang.submit(`/console/objections/${first}/decision`, { decision: 'reject', note: '持有人提供了在校证明' });
  assert.equal(turnedDown.status, 303);
  assert.equal(await stateOf(rejected.owner.phone), 'active');
  assert.equal(await stateOf(rejected.claimant.phone), 'needs_verification');
  assert.equal((await holdOf(rejected.claimant.accountId)).state, 'rejected');
  assert.match((await t.latestMessageTo(rejected.claimant.phone))!.text, /未通过：持有人提供了在校证明/);
  assert.match((await t.latestMessageTo(rejected.owner.phone))!.text, /您的通行帐号保持正常/);
  const turnedDownClaimant = await signsIn(rejected.claimant.phone);
  const progress = await turnedDownClaimant.get('/account/resolution/classmate');
  assert.match(progress.text, /已有 0 位同学确认/, 'the turned-down vouches no longer count');
  // Nor can the claim be tried again with classmates (the holder would have to object every time).
  const again = await ask(turnedDownClaimant, { classmateName: '褚同学', classmateUsername: '13900009999', school: '南京大学' });
  assert.equal(again.status, 409);
  assert.match(again.text, /客服已驳回过该证件号码的同学协助验证/);
  assert.doesNotMatch((await turnedDownClaimant.get('/account/resolution')).body, /id="path-classmate"/);

  await li.get('/console/objections');
  await li.submit(`/console/objections/${second}/claim`, {});
  await li.get(`/console/objections/${second}`);
  const stands = await li.submit(`/console/objections/${second}/decision`, { decision: 'uphold' });
  assert.equal(stands.status, 303);
  assert.equal(await stateOf(upheld.claimant.phone), 'active');
  assert.equal((await holdOf(upheld.claimant.accountId)).state, 'upheld');
  const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('action', 'like', 'review.objection_%').orderBy('seq').execute();
  assert.deepEqual(
    audit.map((a) => `${a.action}:${a.actor_id}`),
    [
      'review.objection_claimed:reviewer.wang',
      'review.objection_viewed:reviewer.wang',
      'review.objection_viewed:reviewer.wang',
      'review.objection_sustained:reviewer.wang',
      'review.objection_claimed:reviewer.li',
      'review.objection_viewed:reviewer.li',
      'review.objection_overruled:reviewer.li',
    ],
    'each claim, look and decision is audited',
  );
});

test('a case whose claimant passes another way meanwhile is closed, and the period ending does nothing', async () => {
  const { owner, claimant } = await claimCase('韩同学', 9);
  await vouched(claimant.agent, await classmateNamed('杨同学', 35), '杨同学');
  assert.equal((await holdOf(claimant.accountId)).state, 'waiting');
  const passed = await claimant.agent.submit(
    '/account/resolution/records',
    { acknowledge: '1', kind: 'enrolment', school: '南京大学', number: await numberOf(claimant.accountId), year: '2015', level: 'bachelor' },
    { from: '/account/resolution/records' },
  );
  assert.equal(passed.status, 303, passed.text);
  assert.equal((await holdOf(claimant.accountId)).state, 'cancelled');
  t.clock.advance(73 * HOUR);
  assert.equal(await passDueCases(t.services.accounts), 0);
  const audit = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('account_id', '=', claimant.accountId)
    .where('action', '=', 'resolution.notice_cancelled')
    .execute();
  assert.equal(audit.length, 1, 'the closing is audited');
  assert.equal(
    await t.db
      .selectFrom('accounts')
      .select('state')
      .where('id', '=', owner.accountId)
      .executeTakeFirstOrThrow()
      .then((r) => r.state),
    'deregistered',
  );
});

test('a holder who is suspended cannot object, so the case goes to staff instead of passing', async () => {
  const { suspendAccount } = await import('../../src/admin/account-service.ts');
  const { owner, claimant } = await claimCase('秦同学', 15);
  await vouched(claimant.agent, await classmateNamed('尤同学', 36), '尤同学');
  await suspendAccount(t.services.accounts, owner.accountId, { username: 'support.qin', ip: null }, '核实身份');
  t.clock.advance(72 * HOUR + MINUTE);
  assert.equal(await passDueCases(t.services.accounts), 0);
  assert.equal(await stateOf(owner.phone), 'suspended', 'not deregistered');
  const hold = await holdOf(claimant.accountId);
  assert.equal(hold.state, 'objected');
  assert.match(hold.objection!, /帐号已停用/);
});

test('a request not answered within 7 days expires and can no longer be confirmed', async () => {
  const classmate = await classmateNamed('蒋同学', 33);
  const { claimant } = await claimCase('李同学', 3);
  await ask(claimant.agent, { classmateName: '蒋同学', classmateUsername: classmate.phone, school: '南京大学' });
  const inbox = await classmate.agent.get('/inbox');
  const itemId = itemIdFor(inbox.body)!;
  t.clock.advance(7 * DAY + 1_000);
  const lateAgent = await signsIn(classmate.phone);
  const late = await lateAgent.submit(`/inbox/${itemId}/accept`, {}, { from: '/inbox' });
  assert.equal(late.status, 303);
  assert.match((await lateAgent.get(late.location!)).text, /该请求已过期/);
  const page = await (await signsIn(claimant.phone)).get('/account/resolution/classmate');
  assert.match(page.text, /最近一次请求：已过期（7 天内未处理），可以重新发送。/);
  assert.equal(
    await t.db.selectFrom('resolution_holds').select('id').where('claimant_account_id', '=', claimant.accountId).executeTakeFirst(),
    undefined,
    'no case opened',
  );
});

test('one person vouches at most the configured number of times a year', async () => {
  const classmate = await classmateNamed('沈同学', 34);
  const claimants = [];
  for (const seq of [4, 5, 8]) claimants.push((await claimCase('周同学', seq)).claimant);
  for (const c of claimants) await ask(c.agent, { classmateName: '沈同学', classmateUsername: classmate.phone, school: '南京大学' });
  const voucher = await signsIn(classmate.phone);
  const inbox = await voucher.get('/inbox');
  const pending = [...inbox.body.matchAll(/data-item="([^"]+)" data-state="pending"/g)].map((m) => m[1]!);
  assert.equal(pending.length, 3);
  for (const item of pending.slice(0, 2)) assert.equal((await voucher.submit(`/inbox/${item}/accept`, {}, { from: '/inbox' })).status, 303);
  const third = await voucher.submit(`/inbox/${pending[2]}/accept`, {}, { from: '/inbox' });
  assert.equal(third.status, 409);
  assert.match(third.text, /您一年内最多可以为 2 位同学提供协助，已达到上限/);
});

test('requests of a claimant who left lapse, and a confirmation for one who no longer needs it spends nothing', async () => {
  const classmate = await classmateNamed('冯同学', 60);
  // A claimant asks, then leaves (注销帐号): its unanswered request lapses with it.
  const leaving = await claimCase('褚同学', 61);
  const sent = await ask(leaving.claimant.agent, { classmateName: '冯同学', classmateUsername: classmate.phone, school: '南京大学' });
  assert.equal(sent.status, 200, sent.text);
  const lapsedItem = itemIdFor((await classmate.agent.get('/inbox')).body)!;
  assert.ok(lapsedItem);
  const asked = await leaving.claimant.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
  assert.equal(asked.status, 200, asked.text);
  t.clock.advance(16 * DAY);
  assert.ok((await completeDueDeregistrations(t.services.leaving)) >= 1);
  const left = await t.db.selectFrom('accounts').select('state').where('id', '=', leaving.claimant.accountId).executeTakeFirstOrThrow();
  assert.equal(left.state, 'deregistered');
  const again = await signsIn(classmate.phone);
  const lapsed = await again.submit(`/inbox/${lapsedItem}/accept`, {}, { from: '/inbox' });
  assert.equal(lapsed.status, 303);
  assert.match((await again.get(lapsed.location!)).text, /该请求已过期/);

  // Another owner's 注销帐号 comes due just after its claimant asked a classmate: the claimant owns
  // the number now, and its unanswered request lapses with the case.
  const settled = await claimCase('卫同学', 62);
  const ownerIn = await signsIn(settled.owner.phone);
  assert.equal((await ownerIn.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' })).status, 200);
  t.clock.advance(16 * DAY);
  const second = await ask(await signsIn(settled.claimant.phone), { classmateName: '冯同学', classmateUsername: classmate.phone, school: '南京大学' });
  assert.equal(second.status, 200, second.text);
  const moot = itemIdFor((await (await signsIn(classmate.phone)).get('/inbox')).body)!;
  assert.ok((await completeDueDeregistrations(t.services.leaving)) >= 1);
  assert.equal(await stateOf(settled.claimant.phone), 'active');
  const late = await signsIn(classmate.phone);
  const lapsedToo = await late.submit(`/inbox/${moot}/accept`, {}, { from: '/inbox' });
  assert.equal(lapsedToo.location, '/inbox?error=expired');

  // A claimant that passes another way (途径4) while its request waits: confirming it is refused
  // with why, and spends nothing.
  const passing = await claimCase('蒋同学', 63);
  const third = await ask(passing.claimant.agent, { classmateName: '冯同学', classmateUsername: classmate.phone, school: '南京大学' });
  assert.equal(third.status, 200, third.text);
  const pending = itemIdFor((await late.get('/inbox')).body)!;
  const passed = await passing.claimant.agent.submit(
    '/account/resolution/records',
    { acknowledge: '1', kind: 'enrolment', school: '南京大学', number: await numberOf(passing.claimant.accountId), year: '2015', level: 'bachelor' },
    { from: '/account/resolution/records' },
  );
  assert.equal(passed.status, 303, passed.text);
  const refused = await late.submit(`/inbox/${pending}/accept`, {}, { from: '/inbox' });
  assert.equal(refused.status, 409, refused.location);
  assert.match(refused.text, /这位同学已不需要协助验证/);
  const vouches = await t.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'resolution.vouched')
    .where('account_id', '=', passing.claimant.accountId)
    .execute();
  assert.equal(vouches.length, 0, 'nothing recorded, nothing spent');
});
