// 这不是我本人操作: a deregistration notice carries a single-use link, valid 30 days, to a form
// (what happened, a contact, a captcha) that opens a case in the console. Support reverses the
// deregistration — the old account comes back with its state and the contacts nobody took since,
// the claimant is 待身份核验 again, the number is the old owner's (disputed), both are told — or
// dismisses it with a note sent to the contact given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { DAY } from '../../src/lib/clock.ts';
import { claimOfAccount } from '../helpers/claims.ts';

const CAPTCHA = 'K7P2';
const PASSWORD = 'dispute test password';
let t: TestInstance;
const id = (seq: number) => {
  const body = `51010719900101${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    limits: {
      registrationsPerIp: { points: 1000, durationSeconds: 3600 },
      codesPerIp: { points: 1000, durationSeconds: 3600 },
      // A released phone registers again at once in one test (the countdown runs on real time).
      codeResendPerTarget: { points: 10, durationSeconds: 60 },
    },
  });
});
after(() => t.close());

/**
 * An owner of `name`'s number and a claimant who re-registers with it and passes 途径4 (the
 * record is in the claimant's hands): the owner is deregistered and sent the dispute link.
 */
async function wronglyDeregistered(name: string, seq: number) {
  await importRecords(Readable.from([`学籍,四川大学,20100${seq},2010,本科,${name},,${id(seq)}`]), {
    keys: t.services.identity.keys,
    sink: batchSink(t.db),
    now: t.clock.now(),
  });
  const owner = await t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', name, idNumber: id(seq) } });
  const claimant = await t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', name, idNumber: id(seq), reRegister: '1' } });
  const passed = await claimant.agent.submit(
    '/account/resolution/records',
    { acknowledge: '1', kind: 'enrolment', school: '四川大学', number: `20100${seq}`, year: '2010', level: 'bachelor' },
    { from: '/account/resolution/records' },
  );
  assert.equal(passed.status, 303, passed.text);
  const notice = (await t.messagesTo(owner.phone)).find((m) => /该帐号已注销/.test(m.text));
  assert.ok(notice, 'the owner is told');
  const link = /http:\/\/127\.0\.0\.1:8080(\/dispute\/[A-Za-z0-9_-]+)/.exec(notice.text)?.[1];
  assert.ok(link, `the notice carries the link: ${notice.text}`);
  return { owner, claimant, link };
}

const accountRow = (accountId: string) => t.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
const disputesOf = (accountId: string) => t.db.selectFrom('deregistration_disputes').selectAll().where('account_id', '=', accountId).execute();

/** Someone opens the link in a new browser and sends the form. */
async function dispute(link: string, fields: Record<string, string>, answer = CAPTCHA) {
  const browser = new Agent(t.app, { ip: t.nextIp() });
  return { browser, page: await t.submitWithCaptcha(browser, link, link, fields, answer) };
}

async function support(): Promise<Agent> {
  return signInStaff(t, await createStaff(t, `support.${Math.random().toString(36).slice(2, 8)}`, ['support']), t.nextIp());
}

async function claimCase(staff: Agent, name: string): Promise<string> {
  const queue = await staff.get('/console/disputes');
  assert.equal(queue.status, 200, queue.text);
  const row = [...queue.body.matchAll(/<tr data-dispute="([0-9a-f-]{36})">(.*?)<\/tr>/gs)].find((m) => m[2]!.includes(name));
  assert.ok(row, `${name}'s dispute waits in the queue`);
  assert.equal((await staff.submit(`/console/disputes/${row[1]}/claim`, {})).status, 303);
  return row[1]!;
}

test('the link opens 这不是我本人操作; a bad form changes nothing; a sent one is a case and the link is spent', async () => {
  const { owner, link } = await wronglyDeregistered('杜子美', 1);
  const page = await new Agent(t.app).get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /这不是我本人操作/);
  assert.match(page.text, /该帐号于 .* 被注销/);
  assert.equal(page.headers['referrer-policy'], 'no-referrer', 'the token never leaves in a Referer');

  const bad = await dispute(link, { whatHappened: '不是我', contact: '12345' });
  assert.equal(bad.page.status, 400);
  assert.match(bad.page.text, /请说明情况（10–1000 个字）/);
  assert.match(bad.page.text, /请填写正确的手机号或邮箱/);
  assert.match(bad.page.text, /不是我/, 'what was typed stays');
  const wrongCaptcha = await dispute(link, { whatHappened: '这是我用了多年的帐号，我没有重新注册', contact: 'du@example.cn' }, 'XXXX');
  assert.equal(wrongCaptcha.page.status, 400);
  assert.deepEqual(await disputesOf(owner.accountId), [], 'nothing opened');

  const sent = await dispute(link, { whatHappened: '这是我用了多年的帐号，我没有重新注册', contact: ' DU@Example.cn ' });
  assert.equal(sent.page.status, 200, sent.page.text);
  assert.match(sent.page.text, /申诉已提交/);
  const [opened] = await disputesOf(owner.accountId);
  assert.equal(opened!.state, 'pending');
  assert.equal(opened!.contact, 'du@example.cn');
  assert.equal(opened!.what_happened, '这是我用了多年的帐号，我没有重新注册');
  const again = await new Agent(t.app).get(link);
  assert.equal(again.status, 410);
  assert.match(again.text, /该链接已使用过/);
  // A second form, opened before the link was spent and sent after, with a right captcha.
  const { createCaptcha } = await import('../../src/captcha/service.ts');
  const captcha = await createCaptcha(t.services.captcha, 'dispute');
  const resent = await bad.browser.submit(link, {
    whatHappened: '再交一次，看看会不会有第二个',
    contact: 'du@example.cn',
    captchaId: captcha.image.id,
    captcha: CAPTCHA,
  });
  assert.equal(resent.status, 410, 'a spent link answers as spent');
  assert.equal((await disputesOf(owner.accountId)).length, 1, 'single use');

  const unknown = await new Agent(t.app).get('/dispute/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /链接无效/);
  const audit = await t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_kind'])
    .where('account_id', '=', owner.accountId)
    .where('action', '=', 'dispute.opened')
    .execute();
  assert.deepEqual(audit, [{ action: 'dispute.opened', actor_kind: 'anonymous' }]);
});

test('the link lasts 30 days', async () => {
  const { link } = await wronglyDeregistered('李太白', 2);
  t.clock.advance(30 * DAY + 1_000);
  const late = await new Agent(t.app).get(link);
  assert.equal(late.status, 410);
  assert.match(late.text, /该链接已过期/);
});

test('support reverses it: the owner is back with their phone, the claimant is 待身份核验 again, both are told', async () => {
  const { owner, claimant, link } = await wronglyDeregistered('王摩诘', 3);
  const boundBefore = await accountRow(claimant.accountId);
  assert.ok(boundBefore.realname_bound_at, 'the resolution bound the claimant');
  await dispute(link, { whatHappened: '有人冒用我的身份证号重新注册，我本人从未申请', contact: '13900001111' });

  const staff = await support();
  const caseId = await claimCase(staff, '王摩诘');
  const casePage = await staff.get(`/console/disputes/${caseId}`);
  assert.match(casePage.text, /有人冒用我的身份证号重新注册/);
  assert.match(casePage.text, /13900001111/);
  assert.match(casePage.text, /途径4/);
  const noReason = await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'reverse', reason: '' });
  assert.equal(noReason.status, 400);
  assert.equal((await accountRow(owner.accountId)).state, 'deregistered', 'a refused form changes nothing');

  const reversed = await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'reverse', reason: '本人持身份证原件到场核实' });
  assert.equal(reversed.status, 303, reversed.text);

  const back = await accountRow(owner.accountId);
  assert.equal(back.state, 'active');
  assert.equal(back.phone, owner.phone);
  assert.ok(back.phone_verified_at, 'the phone comes back proved');
  const signedIn = await t.signIn(owner.phone, PASSWORD);
  assert.equal(signedIn.page.location, '/account', 'the owner signs in with the old password');
  assert.match((await t.latestMessageTo(owner.phone))!.text, /注销已撤销，帐号已恢复/);
  assert.match((await t.latestMessageTo('13900001111'))!.text, /注销已撤销/, 'the contact given hears too');

  const reopened = await accountRow(claimant.accountId);
  assert.equal(reopened.state, 'needs_verification');
  assert.equal(reopened.realname_bound_at, null, 'the binding the resolution gave is undone');
  assert.match((await t.latestMessageTo(claimant.phone))!.text, /身份核验已撤销，帐号恢复为待身份核验/);
  assert.equal((await claimant.agent.get('/account')).status, 303, "the claimant's sessions ended");
  const centre = await (await t.signIn(claimant.phone, PASSWORD)).agent.get('/account/resolution');
  assert.match(centre.text, /需要验证身份信息/, 'the claimant must verify again');

  const claim = await t.db
    .selectFrom('id_claims')
    .innerJoin('identities', 'identities.id_index', 'id_claims.id_index')
    .select(['id_claims.state', 'id_claims.owner_account_id'])
    .where('identities.account_id', '=', owner.accountId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(claim, { state: 'disputed', owner_account_id: owner.accountId });
  const resolution = await t.db
    .selectFrom('resolutions')
    .select(['reversed_at', 'reversed_by'])
    .where('claimant_account_id', '=', claimant.accountId)
    .executeTakeFirstOrThrow();
  assert.ok(resolution.reversed_at);
  const [closed] = await disputesOf(owner.accountId);
  assert.equal(closed!.state, 'reversed');
  const actions = (
    await t.db.selectFrom('audit_events').select('action').where('account_id', 'in', [owner.accountId, claimant.accountId]).orderBy('seq').execute()
  ).map((a) => a.action);
  for (const action of ['account.deregistered', 'dispute.opened', 'account.reinstated', 'identity.resolution_reversed', 'dispute.reversed'])
    assert.ok(actions.includes(action as never), action);
  assert.ok(actions.indexOf('account.deregistered') < actions.indexOf('account.reinstated'), 'the history stays');
});

test('a phone someone took since stays theirs; the restored account is told at the contact given', async () => {
  const { owner, link } = await wronglyDeregistered('孟浩然', 4);
  const newcomer = await t.registerPhone({ phone: owner.phone, password: PASSWORD });
  await dispute(link, { whatHappened: '这是我本人的帐号，证件号码被他人冒用', contact: 'meng@example.cn' });
  const staff = await support();
  const caseId = await claimCase(staff, '孟浩然');
  await staff.get(`/console/disputes/${caseId}`);
  assert.equal((await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'reverse', reason: '核实为本人' })).status, 303);
  const back = await accountRow(owner.accountId);
  assert.equal(back.state, 'active');
  assert.equal(back.phone, null, 'the phone is the newcomer’s now');
  assert.equal((await accountRow(newcomer.accountId)).phone, owner.phone);
  assert.match((await t.latestMessageTo('meng@example.cn'))!.text, /注销已撤销/);
});

test('support dismisses it: the account stays deregistered and the contact given hears why', async () => {
  const { owner, link } = await wronglyDeregistered('白乐天', 5);
  await dispute(link, { whatHappened: '我不记得有没有重新注册过，请帮我看看', contact: 'bai@example.cn' });
  const staff = await support();
  const caseId = await claimCase(staff, '白乐天');
  const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.dispute', ['reviewer']), t.nextIp());
  assert.equal((await reviewer.get('/console/disputes')).status, 403, 'a reviewer does not work disputes');
  await staff.get(`/console/disputes/${caseId}`);
  const dismissed = await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'dismiss', reason: '新帐号已由本人持证到场验证' });
  assert.equal(dismissed.status, 303);
  assert.equal((await accountRow(owner.accountId)).state, 'deregistered');
  assert.match((await t.latestMessageTo('bai@example.cn'))!.text, /不予支持：新帐号已由本人持证到场验证/);
  assert.equal((await disputesOf(owner.accountId))[0]!.state, 'dismissed');
});

/** Support reverses a dispute sent through `link`. */
async function reverse(link: string, name: string) {
  await dispute(link, { whatHappened: '这是我本人的帐号，我没有重新注册', contact: `${name.charCodeAt(0)}@example.cn` });
  const staff = await support();
  const caseId = await claimCase(staff, name);
  await staff.get(`/console/disputes/${caseId}`);
  const done = await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'reverse', reason: '本人到场核实' });
  assert.equal(done.status, 303, done.text);
  return { staff, caseId };
}

const claimOf = (accountId: string) => claimOfAccount(t.db, accountId);

test('after a reversal the claimant cannot pass again by itself: only 途径2 (staff) is left', async () => {
  const { owner, claimant, link } = await wronglyDeregistered('柳子厚', 6);
  const { staff, caseId } = await reverse(link, '柳子厚');
  const again = await staff.submit(`/console/disputes/${caseId}/decision`, { decision: 'reverse', reason: '再撤销一次' });
  assert.ok(again.status >= 400 && again.status < 500, `a decided dispute cannot be decided twice (${again.status})`);

  const agent = (await t.signIn(claimant.phone, PASSWORD)).agent;
  const centre = await agent.get('/account/resolution');
  assert.match(centre.text, /只能通过“途径2 客服协助验证”重新验证/);
  assert.doesNotMatch(centre.text, /path-records/);
  const retried = await agent.submit(
    '/account/resolution/records',
    { acknowledge: '1', kind: 'enrolment', school: '四川大学', number: '201006', year: '2010', level: 'bachelor' },
    { from: '/account/resolution/records' },
  );
  assert.equal(retried.status, 409);
  assert.match(retried.text, /只能通过“途径2 客服协助验证”/);
  assert.equal((await accountRow(owner.accountId)).state, 'active', 'the owner keeps the account');
});

test('when someone else has proved the number since, the reversed account comes back as a claimant, not an owner', async () => {
  const { owner, claimant, link } = await wronglyDeregistered('岑嘉州', 8);
  // A third person re-registers and passes too, deregistering the first claimant.
  const third = await t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', name: '岑嘉州', idNumber: id(8), reRegister: '1' } });
  const passed = await third.agent.submit(
    '/account/resolution/records',
    { acknowledge: '1', kind: 'enrolment', school: '四川大学', number: '201008', year: '2010', level: 'bachelor' },
    { from: '/account/resolution/records' },
  );
  assert.equal(passed.status, 303, passed.text);
  assert.equal((await accountRow(claimant.accountId)).state, 'deregistered');
  await reverse(link, '岑嘉州');
  assert.equal((await accountRow(owner.accountId)).state, 'needs_verification');
  assert.equal((await accountRow(third.accountId)).state, 'active', 'the owner now keeps it');
  assert.deepEqual(await claimOf(third.accountId), { state: 'disputed', owner_account_id: third.accountId });
});

test('the deregistered owner signing in is told when and why, and can dispute from there; a wrong password reads as ever', async () => {
  const { owner } = await wronglyDeregistered('卫十三', 31);
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const wrong = await browser.submit('/login', { username: owner.phone, password: 'not the password' }, { from: '/login' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /用户名或密码错误/);
  // The failure is the deregistered account's: in its audit trail, and counted against it.
  const failed = await t.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'session.sign_in_failed')
    .where('account_id', '=', owner.accountId)
    .execute();
  assert.equal(failed.length, 1);

  const told = await browser.submit('/login', { username: owner.phone, password: PASSWORD }, { from: '/login' });
  assert.equal(told.status, 403);
  assert.match(told.text, /您的帐号已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 注销，不能再登录/);
  assert.match(told.text, /另一位用户通过身份核验证明了该帐号登记的证件号码属于本人/);
  assert.doesNotMatch(told.text, /用户名或密码错误/);
  assert.match(told.body, /href="\/recover\/username"/);
  const start = /id="dispute-link" href="([^"]+)"/.exec(told.body)![1]!.replace(/&amp;/g, '&');

  // The link from the sign-in page opens the dispute form (and retires the notice's link).
  const opened = await browser.get(start);
  assert.equal(opened.status, 303);
  const form = await browser.get(opened.location!);
  assert.equal(form.status, 200);
  assert.match(form.text, /这不是我本人操作/);
  // A forged or stale ticket opens nothing.
  const forged = await new Agent(t.app, { ip: t.nextIp() }).get(start.replace(/.{4}$/, 'AAAA'));
  assert.equal(forged.status, 410);
  assert.match(forged.text, /无法再提交申诉/);
});
