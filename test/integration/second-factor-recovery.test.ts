// 找回密码 on an account with a second factor: a reset never signs in, so the sign-in after it
// still asks for the code; someone who lost the authenticator and the recovery codes may ask for
// its removal there, which waits 7 days (SECOND_FACTOR_REMOVAL_WAIT_DAYS) with a notice at once and
// another when it happens, and which a sign-in with the second factor cancels. The waiting period
// runs on the service's manual clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import { Authenticator, shownKey } from '../helpers/authenticator.ts';
import { finishDueRemovals } from '../../src/mfa/removal.ts';
import { DAY, HOUR } from '../../src/lib/clock.ts';

const CAPTCHA = 'm7Qe';
const NEW_PASSWORD = 'a fresh spring garden';
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

async function personWithSecondFactor() {
  const person = await t.registerPhone();
  const app = new Authenticator(shownKey((await person.agent.get('/account/two-factor/setup')).body));
  const done = await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) });
  assert.equal(done.status, 200, done.text);
  return { ...person, app };
}

/** 找回密码 by phone to the end, optionally asking for the second factor's removal. */
async function resetByPhone(phone: string, removeSecondFactor: boolean) {
  const browser = new Agent(t.app, { ip: t.nextIp() });
  const sent = await t.submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: phone }, CAPTCHA);
  assert.equal(sent.status, 200, sent.text);
  const flow = /name="flow" value="([^"]+)"/.exec(sent.body)![1]!;
  const form = await browser.submit('/recover/password/code', { flow, kind: 'phone', code: codeIn((await t.latestMessageTo(phone))!.text) });
  assert.equal(form.status, 200, form.text);
  assert.match(form.text, /身份验证器和恢复码都丢失了：同时申请关闭两步验证（7 天后生效/);
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;
  t.clock.advance(1_000);
  const done = await browser.submit('/recover/password/reset', {
    secret,
    password: NEW_PASSWORD,
    password2: NEW_PASSWORD,
    ...(removeSecondFactor ? { removeSecondFactor: '1' } : {}),
  });
  assert.equal(done.status, 303, done.text);
  assert.equal(done.location, '/login?reset=1', 'a reset ends on the sign-in page, never in a session');
  assert.equal((await browser.get('/account')).status, 303);
}

/** Signs in with the new password; answers where the browser was sent. */
async function signInAfterReset(phone: string) {
  t.clock.advance(1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const page = await agent.submit('/login', { username: phone, password: NEW_PASSWORD }, { from: '/login' });
  assert.equal(page.status, 303, page.text);
  return { agent, location: page.location };
}

const removalOf = (accountId: string) => t.db.selectFrom('second_factor_removals').selectAll().where('account_id', '=', accountId).executeTakeFirst();

test('a reset by SMS does not sign in past the second factor: the sign-in after it asks for the code', async () => {
  const person = await personWithSecondFactor();
  await resetByPhone(person.phone, false);
  const after = await signInAfterReset(person.phone);
  assert.equal(after.location, '/login/second-factor');
  assert.equal((await after.agent.get('/account')).status, 303);
  assert.equal(await removalOf(person.accountId), undefined, 'nothing asked, nothing waiting');
  t.clock.advance(30_000);
  assert.equal(
    (await after.agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()) }, { from: '/login/second-factor' })).location,
    '/account',
  );
});

test('a removal asked through 找回密码 waits 7 days with a notice at once; signing in with the second factor cancels it', async () => {
  const person = await personWithSecondFactor();
  const askedAt = t.clock.now().getTime();
  await resetByPhone(person.phone, true);

  const removal = (await removalOf(person.accountId))!;
  assert.equal(removal.requested_via, 'sms');
  assert.equal(removal.effective_at.getTime() - removal.requested_at.getTime(), 7 * DAY);
  assert.ok(removal.requested_at.getTime() >= askedAt);
  const notices = await t.messagesTo(person.phone);
  assert.ok(
    notices.some((m) => /通过找回密码申请关闭您通行帐号的两步验证，将于 .*生效。如非本人操作，请在此之前用动态口令或恢复码登录一次，申请即被取消/.test(m.text)),
    'the phone hears at once, with how to stop it',
  );

  // Six days on it still asks, and the step says what is waiting.
  t.clock.advance(6 * DAY);
  const during = await signInAfterReset(person.phone);
  assert.equal(during.location, '/login/second-factor');
  const step = await during.agent.get('/login/second-factor');
  assert.match(step.text, /已通过找回密码申请关闭两步验证，将于 .*生效。现在用动态口令或恢复码登录，该申请即被取消/);
  const inside = await during.agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()) });
  assert.equal(inside.location, '/account');

  const cancelled = (await removalOf(person.accountId))!;
  assert.ok(cancelled.cancelled_at);
  assert.equal(cancelled.completed_at, null);
  assert.match((await t.latestMessageTo(person.phone))!.text, /关闭两步验证的申请已于 .*取消/);
  assert.match((await during.agent.get('/account/security')).text, /关闭两步验证的申请已取消/);

  // Past the original date nothing happens: the second factor stays.
  t.clock.advance(2 * DAY);
  assert.equal(await finishDueRemovals(t.services.accounts), 0);
  assert.equal((await signInAfterReset(person.phone)).location, '/login/second-factor');
});

test('when the waiting period is over the second factor goes, with another notice; then the password alone signs in', async () => {
  const person = await personWithSecondFactor();
  await resetByPhone(person.phone, true);
  // Asked again meanwhile: the first date holds.
  t.clock.advance(HOUR);
  await resetByPhone(person.phone, true);
  const first = (await removalOf(person.accountId))!;
  assert.equal((await t.db.selectFrom('second_factor_removals').select('id').where('account_id', '=', person.accountId).execute()).length, 1);

  // (Other tests' removals share this instance: what is asserted is this account's.)
  t.clock.advance(first.effective_at.getTime() - 60_000 - t.clock.now().getTime());
  await finishDueRemovals(t.services.accounts);
  assert.equal((await removalOf(person.accountId))!.completed_at, null, 'not a minute early');
  assert.ok(await t.db.selectFrom('person_totps').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst());
  t.clock.advance(2 * 60_000);
  assert.ok((await finishDueRemovals(t.services.accounts)) >= 1);
  assert.equal(await finishDueRemovals(t.services.accounts), 0, 'once');

  assert.ok((await removalOf(person.accountId))!.completed_at);
  assert.equal(await t.db.selectFrom('person_totps').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined);
  assert.match((await t.latestMessageTo(person.phone))!.text, /按照通过找回密码提出的申请，您通行帐号的两步验证已于 .*关闭/);
  const plain = await signInAfterReset(person.phone);
  assert.equal(plain.location, '/account');
  assert.match((await plain.agent.get('/account/security')).text, /等待期满，两步验证已按申请关闭/);
});

test('a removal whose date passed between sweeps takes effect at the next sign-in', async () => {
  const person = await personWithSecondFactor();
  await resetByPhone(person.phone, true);
  t.clock.advance(7 * DAY + 1_000);
  const plain = await signInAfterReset(person.phone);
  assert.equal(plain.location, '/account');
  assert.match((await t.latestMessageTo(person.phone))!.text, /两步验证已于 .*关闭/);
});

test('by email the same: the reset link signs no one in, and the removal it asks waits with a notice to the mailbox', async () => {
  const email = 'two-step-reset@example.edu.cn';
  const person = await t.registerEmail(email);
  const app = new Authenticator(shownKey((await person.agent.get('/account/two-factor/setup')).body));
  assert.equal((await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) })).status, 200);

  const browser = new Agent(t.app, { ip: t.nextIp() });
  const sent = await t.submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: email }, CAPTCHA);
  assert.equal(sent.status, 200, sent.text);
  const link = /https?:\/\/[^/]+(\/recover\/password\/reset\?token=\S+)/.exec((await t.latestMessageTo(email))!.text)![1]!;
  const form = await browser.get(link);
  assert.match(form.text, /同时申请关闭两步验证/);
  t.clock.advance(1_000);
  const done = await browser.submit('/recover/password/reset', {
    secret: /name="secret" value="([^"]+)"/.exec(form.body)![1]!,
    password: NEW_PASSWORD,
    password2: NEW_PASSWORD,
    removeSecondFactor: '1',
  });
  assert.equal(done.location, '/login?reset=1');
  assert.equal((await browser.get('/account')).status, 303);
  assert.equal((await removalOf(person.accountId))!.requested_via, 'email');
  assert.ok((await t.messagesTo(email)).some((m) => /申请关闭您通行帐号的两步验证/.test(m.text)));
  const after = await signInAfterReset(email);
  assert.equal(after.location, '/login/second-factor');
});
