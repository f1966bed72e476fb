// 途径3 over HTTP: a verified classmate with a record at the named school confirms from the inbox
// (是我的同学) and the claimant passes; anything else gets one answer; requests expire after 7
// days; one person vouches only so many times a year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
let classmate: { phone: string; agent: Agent };
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
  const file = [`学籍,南京大学,141220001,2014,本科,钱同学,,${id(1)}`].join('\n');
  await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
  classmate = await register({ name: '钱同学', idNumber: id(1) });
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

/** The classmate signs in again (days pass in these tests; sessions do not last that long). */
async function signsIn(phone: string): Promise<Agent> {
  const { agent, page } = await t.signIn(phone, PASSWORD);
  assert.equal(page.status, 303);
  return agent;
}
const classmateSignsIn = () => signsIn(classmate.phone);

const ask = (agent: Agent, fields: Record<string, string>) =>
  agent.submit('/account/resolution/classmate', { acknowledge: '1', ...fields }, { from: '/account/resolution/classmate' });
const itemIdFor = (body: string) => /data-item="([^"]+)" data-state="pending"/.exec(body)?.[1];

test('a verified classmate from the named school confirms, and the claimant passes', async () => {
  const owner = await register({ name: '孙同学', idNumber: id(2) });
  const claimant = await register({ name: '孙同学', idNumber: id(2), reRegister: '1' });

  for (const wrong of [
    { classmateName: '钱同学', classmateUsername: classmate.phone, school: '东南大学' },
    { classmateName: '钱同学', classmateUsername: '13000000000', school: '南京大学' },
    { classmateName: '钱同', classmateUsername: classmate.phone, school: '南京大学' },
  ]) {
    const refused = await ask(claimant.agent, wrong);
    assert.equal(refused.status, 404);
    assert.match(refused.text, /未找到符合条件的同学/, 'one answer whatever was wrong');
  }
  const sent = await ask(claimant.agent, { classmateName: '钱同学', classmateUsername: classmate.phone, school: ' 南京大学 ' });
  assert.equal(sent.status, 200);
  assert.match(sent.text, /协助请求已发送/);
  assert.match(sent.text, /已有 0 位同学确认，需要 1 位。 最近一次请求：等待同学确认。/);

  const inbox = await classmate.agent.get('/inbox');
  assert.match(inbox.text, /孙同学 请求您协助解决证件号码重复问题，并称与您是 南京大学 的同班同学/);
  assert.match(inbox.text, /是我的同学/);
  assert.match(inbox.text, /不是我的同学/);
  const accepted = await classmate.agent.submit(`/inbox/${itemIdFor(inbox.body)}/accept`, {});
  assert.equal(accepted.status, 200);

  const centre = await claimant.agent.get('/account/resolution');
  assert.match(centre.text, /身份核验已于 .* 通过（大学同班同学协助）/);
  const ownerRow = await t.db
    .selectFrom('accounts')
    .select(['state'])
    .where('id', '=', (await t.db.selectFrom('released_contacts').select('account_id').where('value', '=', owner.phone).executeTakeFirstOrThrow()).account_id)
    .executeTakeFirstOrThrow();
  assert.equal(ownerRow.state, 'deregistered');
});

test('a request not answered within 7 days expires and can no longer be confirmed', async () => {
  await register({ name: '李同学', idNumber: id(3) });
  const claimant = await register({ name: '李同学', idNumber: id(3), reRegister: '1' });
  await ask(claimant.agent, { classmateName: '钱同学', classmateUsername: classmate.phone, school: '南京大学' });
  const inbox = await classmate.agent.get('/inbox');
  const itemId = itemIdFor(inbox.body)!;
  t.clock.advance(7 * DAY + 1_000);
  const late = await (await classmateSignsIn()).submit(`/inbox/${itemId}/accept`, {}, { from: '/inbox' });
  assert.equal(late.status, 409);
  assert.match(late.text, /该请求已过期/);
  const page = await (await signsIn(claimant.phone)).get('/account/resolution/classmate');
  assert.match(page.text, /最近一次请求：已过期（7 天内未处理），可以重新发送。/);
  assert.equal((await t.db.selectFrom('accounts').select('state').where('phone', '=', claimant.phone).executeTakeFirstOrThrow()).state, 'needs_verification');
});

test('one person vouches at most the configured number of times a year', async () => {
  // The first test used one of this classmate's two vouches this year.
  const claimants = [];
  for (const seq of [4, 5]) {
    await register({ name: '周同学', idNumber: id(seq) });
    claimants.push(await register({ name: '周同学', idNumber: id(seq), reRegister: '1' }));
  }
  for (const c of claimants) await ask(c.agent, { classmateName: '钱同学', classmateUsername: classmate.phone, school: '南京大学' });
  const voucher = await classmateSignsIn();
  const inbox = await voucher.get('/inbox');
  const pending = [...inbox.body.matchAll(/data-item="([^"]+)" data-state="pending"/g)].map((m) => m[1]!);
  assert.equal(pending.length, 2);
  const first = await voucher.submit(`/inbox/${pending[0]}/accept`, {}, { from: '/inbox' });
  assert.equal(first.status, 200);
  const second = await voucher.submit(`/inbox/${pending[1]}/accept`, {}, { from: '/inbox' });
  assert.equal(second.status, 409);
  assert.match(second.text, /您一年内最多可以为 2 位同学提供协助，已达到上限/);
});
