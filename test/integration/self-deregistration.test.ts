// 注销帐号 by the person: 帐号管理 → 注销帐号 lists what it affects (the platforms the person used)
// behind a fresh sign-in; asking starts a cooling-off period (notices, every session ended);
// signing in during it offers 撤销注销, which gives the account back as it was; when the period
// ends the timer deregisters the account as a resolution does (sessions, platforms, contacts), and
// its ID number may register a new account; after the retention period its personal information
// is erased while the audit trail's facts stay. A suspended account, or one whose number is under
// appeal, is told why it must wait and nothing changes; another holder of the number (我要重新注册)
// and the steps it takes hold up neither the owner nor the claimant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { Authenticator, shownKey } from '../helpers/authenticator.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { sweepEndedCasSessions } from '../../src/cas/service.ts';
import { completeDueDeregistrations } from '../../src/leaving/completion.ts';
import { eraseDueAccounts } from '../../src/leaving/erasure.ts';
import { startDeregistration } from '../../src/leaving/requests.ts';
import { AppError } from '../../src/lib/errors.ts';
import { translator } from '../../src/i18n/index.ts';
import { DAY, MINUTE } from '../../src/lib/clock.ts';
import { insertExport } from '../../src/privacy-export/queries.ts';
import { SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';
import { markIdNumberWrong } from '../../src/resolution/wrong-number.ts';
import { decideDispute, insertDispute } from '../../src/resolution/dispute-queries.ts';
import { insertResolution, markResolutionReversed } from '../../src/resolution/queries.ts';
import { claimOfAccount } from '../helpers/claims.ts';

let t: TestInstance;
const PASSWORD = 'leaving test password';
const SERVICE = 'https://xueji.example.edu.cn/app/';
const id = (seq: number) => {
  const body = `44030619920202${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
  await addCasPlatform(
    { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
    {
      name: '学籍档案',
      services: ['^https://xueji\\.example\\.edu\\.cn/.*$'],
      proxy: false,
      requiresRealname: false,
      scopes: ['profile'],
      idNumberAccess: 'none',
    },
    false,
  );
});
after(() => t.close());

const register = (name: string, idNumber: string, extra: Record<string, string> = {}) =>
  t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', name, idNumber, ...extra } });
const signIn = (phone: string) => t.signIn(phone, PASSWORD);

/**
 * Signs in to the CAS platform (through its consent page the first time), as a person does: the
 * platform is then one they used. Answers the service ticket.
 */
async function useCasPlatform(agent: Agent): Promise<string> {
  const login = `/cas/login?service=${encodeURIComponent(SERVICE)}`;
  let done = await agent.get(login);
  if (done.status === 200) {
    const hidden = Object.fromEntries(
      [...done.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
    );
    const agreed = await agent.submit('/cas/consent', hidden);
    assert.equal(agreed.status, 303, agreed.text);
    done = await agent.get(agreed.location!);
  }
  assert.equal(done.status, 303, done.text);
  const ticket = /^https:\/\/xueji\.example\.edu\.cn\/app\/\?ticket=(ST-[^&]+)$/.exec(done.location ?? '')?.[1];
  assert.ok(ticket, done.location);
  return ticket;
}

/** The platform validates its ticket, as a CAS client does (a validated ticket is what single logout names). */
async function validateTicket(ticket: string) {
  const res = await t.app.inject({ method: 'GET', url: `/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(SERVICE)}` });
  assert.match(res.body, /<cas:authenticationSuccess>/);
}

const casLogouts = async () => (await t.messagesTo(SERVICE)).filter((m) => m.channel === 'cas_logout').length;

const requestRow = (accountId: string) =>
  t.db.selectFrom('self_deregistrations').selectAll().where('account_id', '=', accountId).orderBy('requested_at', 'desc').executeTakeFirst();
const accountRow = (accountId: string) => t.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
const auditActions = async (accountId: string) =>
  (await t.db.selectFrom('audit_events').select('action').where('account_id', '=', accountId).execute()).map((r) => r.action);

/** Asks to deregister on the page (the tick, CSRF from the page): answers the page shown. */
async function askToLeave(agent: Agent) {
  return agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
}

test('the page lists what deregistering affects and the platforms used, behind a fresh sign-in', async () => {
  const person = await register('林一', id(1));
  const before = await person.agent.get('/account/deregister');
  assert.equal(before.status, 200, before.text);
  assert.match(before.text, /您尚未通过该帐号登录任何平台/);
  assert.match(
    before.body,
    /href="\/account\/deregister"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/account\/deregister"/,
    'the menu has the entry',
  );

  await useCasPlatform(person.agent);
  const page = await person.agent.get('/account/deregister');
  assert.match(page.text, /以下平台将收到帐号注销的通知：学籍档案/);
  assert.match(page.text, /证件号码不再被占用/);
  assert.match(page.text, /注销 180 天后，帐号的个人信息/);
  assert.match(page.text, /15 天的冷静期/);

  // Ten minutes after the password was typed, the page and the form send to 确认密码 first.
  t.clock.advance(11 * MINUTE);
  const stale = await person.agent.get('/account/deregister');
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Fderegister');
  const staleSubmit = await person.agent.submit('/account/deregister', { acknowledge: '1' });
  assert.equal(staleSubmit.status, 303);
  assert.match(staleSubmit.location ?? '', /^\/account\/confirm-password/);
  assert.equal(await requestRow(person.accountId), undefined, 'nothing was started');

  const confirmed = await person.agent.submit(
    '/account/confirm-password',
    { currentPassword: PASSWORD, next: '/account/deregister' },
    { from: stale.location! },
  );
  assert.equal(confirmed.location, '/account/deregister');
  // Without the tick: the message beside it, nothing started.
  const unticked = await person.agent.submit('/account/deregister', {}, { from: '/account/deregister' });
  assert.equal(unticked.status, 400);
  assert.match(unticked.text, /请先勾选确认已了解注销的影响/);
  // Without the page's CSRF token: refused.
  const forged = await person.agent.submit('/account/deregister', { acknowledge: '1' }, { csrf: null });
  assert.equal(forged.status, 403);
  assert.equal(await requestRow(person.accountId), undefined);

  const en = await person.agent.get('/account/deregister?lang=en');
  assert.match(en.text, /These platforms will be told that the account was deregistered: 学籍档案/);
});

test('asking starts the cooling-off: notices, signed out everywhere; signing in offers 撤销注销, which restores it', async () => {
  const person = await register('林二', id(2));
  const other = await signIn(person.phone);
  await useCasPlatform(person.agent);

  const started = await askToLeave(person.agent);
  assert.equal(started.status, 200, started.text);
  assert.match(started.text, /注销申请已提交/);
  assert.match(started.text, /冷静期至 .* 结束，届时帐号将被注销/);
  const row = await requestRow(person.accountId);
  assert.equal(row?.state, 'cooling_off');
  assert.equal(row!.due_at.getTime() - row!.requested_at.getTime(), 15 * DAY);
  const notice = await t.latestMessageTo(person.phone);
  assert.match(notice!.text, /申请注销通行帐号，冷静期至 .*结束.*冷静期内登录即可撤销注销/);
  // Every session ended, this browser's and the other's.
  assert.equal((await person.agent.get('/account')).status, 303);
  assert.equal((await other.agent.get('/account')).status, 303);
  // Nothing else changed yet: the account, its phone and its platform.
  const account = await accountRow(person.accountId);
  assert.equal(account.state, 'active');
  assert.equal(account.phone, person.phone);
  assert.ok(await t.db.selectFrom('sso_consents').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), 'the consent stays');

  // Signing in (going somewhere) lands on the offer first, keeping where it was going.
  const back = await t.signIn(person.phone, PASSWORD);
  const signedIn = await back.agent.submit('/login', { username: person.phone, password: PASSWORD, next: '/account/sessions' }, { from: '/login' });
  assert.equal(signedIn.location, '/account/deregister?next=%2Faccount%2Fsessions');
  const offer = await back.agent.get(signedIn.location!);
  assert.match(offer.text, /帐号正在注销冷静期/);
  assert.match(offer.text, /撤销注销/);
  assert.match(offer.text, /不撤销，退出登录/);
  // The plain sign-in (to 帐号管理) lands there too.
  assert.equal(back.page.location, '/account/deregister');

  const cancelled = await back.agent.submit('/account/deregister/cancel', { next: '/account/sessions' }, { from: signedIn.location! });
  assert.equal(cancelled.status, 303);
  assert.equal(cancelled.location, '/account/sessions');
  assert.equal((await requestRow(person.accountId))?.state, 'cancelled');
  assert.match((await t.latestMessageTo(person.phone))!.text, /您已于 .*撤销注销，通行帐号恢复正常使用/);
  // Normal again: a sign-in goes where it goes, the page offers to start over.
  const again = await signIn(person.phone);
  assert.equal(again.page.location, '/account');
  assert.match((await again.agent.get('/account/deregister')).text, /申请注销/);
  const actions = await auditActions(person.accountId);
  assert.ok(actions.includes('leaving.requested') && actions.includes('leaving.cancelled'));
  // The security log shows both.
  const log = await again.agent.get('/account/security');
  assert.match(log.text, /申请注销帐号/);
  assert.match(log.text, /撤销注销/);
});

test('a sign-in with a second factor during cooling-off lands on the offer after the second step', async () => {
  const person = await register('林六', id(6));
  const setup = await person.agent.get('/account/two-factor/setup');
  const authenticator = new Authenticator(shownKey(setup.body));
  assert.equal((await person.agent.submit('/account/two-factor/setup', { code: authenticator.codeAt(t.clock.now()) })).status, 200);
  assert.equal((await askToLeave(person.agent)).status, 200);

  t.clock.advance(30_000);
  const first = await t.signIn(person.phone, PASSWORD);
  assert.equal(first.page.location, '/login/second-factor');
  await first.agent.get('/login/second-factor');
  const second = await first.agent.submit('/login/second-factor', { code: authenticator.codeAt(t.clock.now()) });
  assert.equal(second.status, 303, second.text);
  assert.equal(second.location, '/account/deregister');
  assert.match((await first.agent.get('/account/deregister')).text, /撤销注销/);
  const cancelled = await first.agent.submit('/account/deregister/cancel', {});
  assert.equal(cancelled.location, '/account/deregister?cancelled=1');
  assert.match((await first.agent.get(cancelled.location!)).text, /已撤销注销，帐号恢复正常使用/);
});

test('when the period ends the timer deregisters it as a resolution does, and the ID number registers anew; erased after retention', async () => {
  const person = await register('林三', id(3));
  await useCasPlatform(person.agent);
  assert.equal((await askToLeave(person.agent)).status, 200);
  const signedInMeanwhile = await signIn(person.phone);
  // Signed in again during the period (without cancelling), the person uses the platform again.
  await validateTicket(await useCasPlatform(signedInMeanwhile.agent));
  await sweepEndedCasSessions(t.services.cas);
  const logoutsBefore = await casLogouts();

  t.clock.advance(15 * DAY - MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0, 'not before the period ends');
  t.clock.advance(2 * MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0, 'once');

  const account = await accountRow(person.accountId);
  assert.equal(account.state, 'deregistered');
  assert.equal(account.phone, null);
  assert.equal((await requestRow(person.accountId))?.state, 'completed');
  const told = await t.latestMessageTo(person.phone);
  assert.match(told!.text, /按照您的申请，通行帐号 .* 已于 .*冷静期结束后注销/);
  // The session signed in meanwhile ended; the account signs in nowhere.
  assert.equal((await signedInMeanwhile.agent.get('/account')).status, 303);
  const live = await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).where('revoked_at', 'is', null).execute();
  assert.equal(live.length, 0);
  // CAS single logout reaches the platform for the session that ended.
  await sweepEndedCasSessions(t.services.cas);
  assert.equal(await casLogouts(), logoutsBefore + 1);
  // Platforms hear it as they hear a resolution's: the event, the consents gone.
  const event = await t.db
    .selectFrom('account_events')
    .select('payload')
    .where('account_id', '=', person.accountId)
    .where('type', '=', 'account.deregistered')
    .executeTakeFirstOrThrow();
  assert.equal((event.payload as { reason: string }).reason, 'self_requested');
  assert.equal(await t.db.selectFrom('sso_consents').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined);
  const released = await t.db.selectFrom('released_contacts').select(['channel', 'value']).where('account_id', '=', person.accountId).execute();
  assert.deepEqual(released, [{ channel: 'phone', value: person.phone }]);
  // The old password shows the deregistered page with the reason.
  const tried = await t.signIn(person.phone, PASSWORD);
  assert.match(tried.page.text, /您本人申请注销该帐号/);

  // The same ID number registers a new account, which owns it (no duplicate-ID case).
  const newcomer = await register('林三', id(3));
  const claim = await t.db
    .selectFrom('id_claims')
    .innerJoin('identities', 'identities.id_index', 'id_claims.id_index')
    .select(['id_claims.state', 'id_claims.owner_account_id'])
    .where('identities.account_id', '=', newcomer.accountId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(claim, { state: 'registered', owner_account_id: newcomer.accountId });
  assert.equal((await accountRow(newcomer.accountId)).state, 'active');

  // After the retention period the personal information goes; the audit trail stays.
  const auditBefore = await auditActions(person.accountId);
  // A copy of the person's data asked for before leaving (下载个人信息) goes with the rest.
  await insertExport(t.db, { accountId: person.accountId, withFullId: true, lang: 'zh-CN', at: t.clock.now() });
  t.clock.advance(180 * DAY - DAY);
  assert.equal(await eraseDueAccounts(t.services.leaving), 0, 'not before the retention ends');
  t.clock.advance(2 * DAY);
  assert.ok((await eraseDueAccounts(t.services.leaving)) >= 1);
  const identity = await t.db.selectFrom('identities').selectAll().where('account_id', '=', person.accountId).executeTakeFirstOrThrow();
  assert.equal(identity.name, '');
  assert.equal(identity.id_masked, '');
  const erased = await accountRow(person.accountId);
  assert.equal(erased.password_hash, '');
  assert.equal(await t.db.selectFrom('data_exports').select('id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined);
  assert.ok(erased.personal_data_erased_at);
  assert.equal((await t.db.selectFrom('released_contacts').select('value').where('account_id', '=', person.accountId).execute()).length, 0);
  const sessions = await t.db.selectFrom('sessions').select(['ip', 'user_agent']).where('account_id', '=', person.accountId).execute();
  assert.ok(sessions.every((s) => s.ip === null && s.user_agent === null));
  const audit = await t.db.selectFrom('audit_events').select(['action', 'ip']).where('account_id', '=', person.accountId).execute();
  assert.deepEqual(
    audit
      .map((a) => a.action)
      .filter((a) => a !== 'leaving.erased')
      .sort(),
    [...auditBefore].sort(),
    'every audit row stays',
  );
  assert.ok(audit.some((a) => a.action === 'leaving.completed') && audit.some((a) => a.action === 'leaving.erased'));
  assert.ok(
    audit.every((a) => a.ip === null),
    'without the addresses',
  );
  // The newcomer keeps its own, and erasure runs once.
  assert.equal((await t.db.selectFrom('identities').select('name').where('account_id', '=', newcomer.accountId).executeTakeFirstOrThrow()).name, '林三');
  assert.equal(await eraseDueAccounts(t.services.leaving), 0);
});

const claimOf = (accountId: string) => claimOfAccount(t.db, accountId);

const photos = () => ({
  handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(4, 4) },
  front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg(true) },
  back: { filename: 'back.gif', contentType: 'image/gif', data: SMALLEST_GIF },
});

/** 途径2: the claimant sends its ID photos; staff have them waiting. Answers the review's id. */
async function sendPhotos(agent: Agent, accountId: string): Promise<string> {
  await agent.get('/account/resolution/photo');
  const sent = await agent.submitMultipart('/account/resolution/photo', { acknowledge: '1' }, photos());
  assert.equal(sent.status, 200, sent.text);
  return (await t.db.selectFrom('photo_reviews').select('id').where('account_id', '=', accountId).where('state', '=', 'pending').executeTakeFirstOrThrow()).id;
}

const COOLING_OFF = 15 * DAY;

test('a number merely registered again by someone else holds nobody up: the owner leaves, the one claimant left owns it', async () => {
  const owner = await register('林四', id(4));
  const claimant = await register('林四', id(4), { reRegister: '1' });
  assert.equal((await accountRow(claimant.accountId)).state, 'needs_verification');
  const ownerIn = await signIn(owner.phone);
  const page = await ownerIn.agent.get('/account/deregister');
  assert.doesNotMatch(page.text, /需等处理完成后才能申请注销/);
  assert.match(page.body, /id="deregister-submit"/);
  assert.match(page.text, /该证件号码还登记在其他帐号上/, 'the number is not freed: it stays with the claimant');
  assert.equal((await askToLeave(ownerIn.agent)).status, 200);

  t.clock.advance(COOLING_OFF + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  assert.equal((await accountRow(owner.accountId)).state, 'deregistered');
  assert.equal((await accountRow(claimant.accountId)).state, 'active', 'nobody disputes the number any more');
  assert.deepEqual(await claimOf(claimant.accountId), { state: 'registered', owner_account_id: claimant.accountId });
  assert.match((await t.latestMessageTo(claimant.phone))!.text, /与您的通行帐号证件号码重复的帐号已于 .*注销，证件号码重复问题已解决，帐号可以正常使用/);
  const events = await t.db.selectFrom('account_events').select(['type', 'payload']).where('account_id', '=', claimant.accountId).execute();
  assert.deepEqual(
    events.map((e) => [e.type, e.payload]),
    [['identity.verified', { path: 'handed_on' }]],
    'recorded as a passed path records it',
  );
  assert.ok((await auditActions(claimant.accountId)).includes('identity.number_handed_on'));
  assert.equal((await (await signIn(claimant.phone)).agent.get('/account')).status, 200);
});

test('a claimant may leave: the page says its case ends with it, its photos waiting for staff are withdrawn, the owner keeps the number; the owner is not held up', async () => {
  const owner = await register('林九', id(10));
  const claimant = await register('林九', id(10), { reRegister: '1' });
  const reviewId = await sendPhotos(claimant.agent, claimant.accountId);
  const page = await claimant.agent.get('/account/deregister');
  assert.match(page.text, /您对该证件号码的重复处理随之结束：尚未完成的核验申请将关闭/);
  assert.doesNotMatch(page.text, /该帐号登记的证件号码不再被占用/);
  assert.equal((await askToLeave(claimant.agent)).status, 200);

  // The claimant's photos waiting for staff hold nobody up: the owner may leave too, told that
  // the number stays with the other account rather than being freed.
  const ownerPage = await (await signIn(owner.phone)).agent.get('/account/deregister');
  assert.match(ownerPage.body, /id="deregister-submit"/);
  assert.match(ownerPage.text, /该证件号码还登记在其他帐号上：注销后号码由这些帐号继续持有/);

  t.clock.advance(COOLING_OFF + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  assert.equal((await accountRow(claimant.accountId)).state, 'deregistered');
  const review = await t.db.selectFrom('photo_reviews').select('state').where('id', '=', reviewId).executeTakeFirstOrThrow();
  assert.equal(review.state, 'closed', 'staff no longer see it waiting');
  assert.deepEqual(await claimOf(owner.accountId), { state: 'registered', owner_account_id: owner.accountId });
  assert.equal((await accountRow(owner.accountId)).state, 'active');
  assert.match((await (await signIn(owner.phone)).agent.get('/account/deregister')).text, /该帐号登记的证件号码不再被占用/, 'the owner holds it alone now');
});

test('an appeal over the number holds the one holding it now: told once, then three days once the appeal is decided', async () => {
  const first = await register('林八', id(8));
  const second = await register('林八', id(8), { reRegister: '1' });
  assert.equal((await askToLeave(second.agent)).status, 200, 'a claimant may ask');
  // Support finds the number is not the first account's: it goes, and the second owns the number;
  // the first appeals.
  await t.db
    .transaction()
    .execute((tx) => markIdNumberWrong(tx, t.services.accounts, first.accountId, { kind: 'staff', id: 'support.lin' }, '证件号码填写错误'));
  assert.equal((await accountRow(second.accountId)).state, 'active');
  const appeal = await insertDispute(t.db, {
    accountId: first.accountId,
    resolutionId: null,
    whatHappened: '证件号码是我的',
    channel: 'phone',
    contact: first.phone,
    ip: null,
    at: t.clock.now(),
  });

  t.clock.advance(COOLING_OFF + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0);
  t.clock.advance(MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0);
  assert.equal((await requestRow(second.accountId))?.state, 'cooling_off');
  const told = (await t.messagesTo(second.phone)).filter((m) => /冷静期已于 .*结束，但帐号的证件号码正在进行证件重复处理，需等处理完成后才能注销/.test(m.text));
  assert.equal(told.length, 1, 'told once, not on every run');
  assert.ok((await auditActions(second.accountId)).includes('leaving.waiting'));
  const page = await (await signIn(second.phone)).agent.get('/account/deregister');
  assert.match(page.text, /冷静期已于 .*结束。/);
  assert.match(page.text, /帐号暂不注销：帐号的证件号码正在进行证件重复处理.*之后会通知您，3 天后注销，在此之前仍可撤销/);

  await decideDispute(t.db, appeal, 'dismissed', 'support.lin', '核实为填写错误', t.clock.now());
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0, 'not at once: three more days first');
  assert.match((await t.latestMessageTo(second.phone))!.text, /可以继续注销了/);
  t.clock.advance(3 * DAY + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  assert.equal((await accountRow(second.accountId)).state, 'deregistered');
});

test('a claimant whose earlier win support reversed does not inherit the number when the owner leaves', async () => {
  const owner = await register('林十', id(11));
  const claimant = await register('林十', id(11), { reRegister: '1' });
  const index = Buffer.from(
    (await t.db.selectFrom('identities').select('id_index').where('account_id', '=', claimant.accountId).executeTakeFirstOrThrow()).id_index,
  );
  // What support's reversal leaves behind (resolution/reversal.ts): the claimant's pass, reversed.
  await insertResolution(t.db, { index, claimantId: claimant.accountId, path: 'records', deregistered: [owner.accountId], at: t.clock.now() });
  const passed = await t.db.selectFrom('resolutions').select('id').where('claimant_account_id', '=', claimant.accountId).executeTakeFirstOrThrow();
  await markResolutionReversed(t.db, passed.id, 'support.lin', t.clock.now());

  const ownerIn = await signIn(owner.phone);
  assert.equal((await askToLeave(ownerIn.agent)).status, 200);
  t.clock.advance(COOLING_OFF + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  assert.equal((await accountRow(owner.accountId)).state, 'deregistered');
  assert.equal((await accountRow(claimant.accountId)).state, 'needs_verification', 'only staff can give it the number now');
  assert.deepEqual(await claimOf(claimant.accountId), { state: 'disputed', owner_account_id: claimant.accountId });
  assert.doesNotMatch((await t.latestMessageTo(claimant.phone))?.text ?? '', /证件号码重复问题已解决/);
});

test('a claimant suspended when the owner leaves owns the number, stays suspended, and is told so', async () => {
  const owner = await register('林十二', id(12));
  const claimant = await register('林十二', id(12), { reRegister: '1' });
  assert.equal((await askToLeave((await signIn(owner.phone)).agent)).status, 200);
  const staff = await signInStaff(t, await createStaff(t, 'support.gao', ['support']));
  await staff.get(`/console/accounts/${claimant.accountId}`);
  assert.equal((await staff.submit(`/console/accounts/${claimant.accountId}/suspend`, { reason: '本人来电要求' })).status, 303);
  t.clock.advance(COOLING_OFF + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
  const settled = await accountRow(claimant.accountId);
  assert.equal(settled.state, 'suspended');
  assert.equal(settled.state_before_suspension, 'active', 'active once restored');
  assert.deepEqual(await claimOf(claimant.accountId), { state: 'registered', owner_account_id: claimant.accountId });
  assert.match((await t.latestMessageTo(claimant.phone))!.text, /证件号码重复问题已于 .*解决；帐号目前处于停用状态，客服恢复后即可正常使用/);
});

test('starting is limited to 3 a day per account (each start and cancel sends notices); cancelling never is', async () => {
  const person = await register('林七', id(7));
  let agent = person.agent;
  for (let round = 1; round <= 3; round++) {
    assert.equal((await askToLeave(agent)).status, 200, `start ${round}`);
    agent = (await signIn(person.phone)).agent;
    await agent.get('/account/deregister');
    assert.equal((await agent.submit('/account/deregister/cancel', {})).status, 303, `cancel ${round}`);
  }
  const fourth = await askToLeave(agent);
  assert.equal(fourth.status, 429);
  assert.match(fourth.text, /操作过于频繁，操作被禁止，请 \d+ 秒后再试/);
  assert.equal((await requestRow(person.accountId))?.state, 'cancelled', 'nothing started');
  assert.equal((await t.messagesTo(person.phone)).filter((m) => /申请注销通行帐号/.test(m.text)).length, 3);
});

test('a suspended account must wait: refused with why, and a cooling-off request waits out the suspension', async () => {
  const person = await register('林五', id(5));
  const member = await createStaff(t, 'support.lin', ['support']);
  const act = async (action: 'suspend' | 'restore') => {
    // Signed in each time: the test clock runs past a staff session's life.
    const staff = await signInStaff(t, member);
    await staff.get(`/console/accounts/${person.accountId}`);
    const done = await staff.submit(`/console/accounts/${person.accountId}/${action}`, { reason: '本人来电要求' });
    assert.equal(done.status, 303, done.text);
  };

  await act('suspend');
  await assert.rejects(
    startDeregistration(t.services.leaving, { accountId: person.accountId, kind: 'person' }, { ip: '198.51.100.7', userAgent: null }),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(translator('zh-CN')(error.code), '帐号已被停用，暂时不能申请注销。请先联系客服处理停用，恢复后再申请。');
      return true;
    },
  );
  assert.equal(await requestRow(person.accountId), undefined);
  await act('restore');

  const back = await signIn(person.phone);
  assert.equal((await askToLeave(back.agent)).status, 200);
  await act('suspend');
  t.clock.advance(16 * DAY);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0, 'a suspended account waits');
  assert.equal((await accountRow(person.accountId)).state, 'suspended');
  assert.equal((await requestRow(person.accountId))?.state, 'cooling_off');
  const told = (await t.messagesTo(person.phone)).filter((m) =>
    /冷静期已于 .*结束，但帐号已被停用，需等停用解除后才能注销。届时会再通知您，3 天后注销/.test(m.text),
  );
  assert.equal(told.length, 1, 'told once why it waits, and that there will be time to cancel');
  await act('restore');
  // Restored: not at once — the person could not sign in to cancel while suspended.
  assert.equal(await completeDueDeregistrations(t.services.leaving), 0);
  assert.equal((await accountRow(person.accountId)).state, 'active');
  assert.match((await t.latestMessageTo(person.phone))!.text, /可以继续注销了.*帐号将于 .*注销。如需继续使用，在此之前登录即可撤销注销/);
  const waiting = await signIn(person.phone);
  assert.equal(waiting.page.location, '/account/deregister');
  t.clock.advance(3 * DAY + MINUTE);
  assert.equal(await completeDueDeregistrations(t.services.leaving), 1, 'three days after the restore it is done');
  assert.equal((await accountRow(person.accountId)).state, 'deregistered');
});
