// A person's second factor, on the pages a person uses: turning the authenticator on (fresh
// sign-in, key, first code, recovery codes shown once), the sign-in step it adds (a code never
// accepted twice, a recovery code once, wrong codes limited), turning it off, and what the phone
// hears at each change. The code each time is computed from the key the page showed, as an
// authenticator app computes it, at the service's (manual) clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { Authenticator, shownKey, shownRecoveryCodes } from '../helpers/authenticator.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

/** The next 30-second step: a new code in the app (the last one was spent). */
const nextStep = () => t.clock.advance(30_000);

/** Registers by phone and turns the second factor on in that (fresh) session. */
async function personWithSecondFactor() {
  const person = await t.registerPhone();
  const setup = await person.agent.get('/account/two-factor/setup');
  assert.equal(setup.status, 200, setup.text);
  const app = new Authenticator(shownKey(setup.body));
  const enabledAt = t.clock.now();
  const done = await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(enabledAt) });
  assert.equal(done.status, 200, done.text);
  return { ...person, app, enabledAt, codes: shownRecoveryCodes(done.body) };
}

/** Password sign-in in a new browser: it should stop at the second step. */
async function firstStep(phone: string, next?: string) {
  // A second later than the last sign-in, so "the newest session" is this one.
  t.clock.advance(1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const page = await agent.submit('/login', { username: phone, password: TEST_PASSWORD, ...(next ? { next } : {}) }, { from: '/login' });
  assert.equal(page.status, 303, page.text);
  assert.equal(page.location, next ? `/login/second-factor?next=${encodeURIComponent(next)}` : '/login/second-factor');
  const step = await agent.get(page.location!);
  assert.equal(step.status, 200, step.text);
  return { agent, step };
}

const sessionMethods = async (accountId: string) =>
  (await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).orderBy('created_at', 'desc').executeTakeFirstOrThrow())
    .auth_methods;

test('turning it on takes a fresh sign-in, the key and a first code; recovery codes are shown once and kept hashed', async () => {
  const person = await t.registerPhone();
  const off = await person.agent.get('/account/two-factor');
  assert.match(off.text, /未开启/);

  // A session whose password is not recent is sent to 确认密码 first.
  t.clock.advance(11 * 60_000);
  const stale = await person.agent.get('/account/two-factor/setup');
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Ftwo-factor%2Fsetup');
  const confirmed = await person.agent.submit('/account/confirm-password', { next: '/account/two-factor/setup', currentPassword: TEST_PASSWORD });
  assert.equal(confirmed.location, '/account/two-factor/setup');

  const setup = await person.agent.get('/account/two-factor/setup');
  assert.equal(setup.status, 200);
  assert.match(setup.body, /id="totp-qr"[^>]*><svg/, 'a QR code for the app');
  const app = new Authenticator(shownKey(setup.body));
  assert.equal(app.secret.length, 20, '160-bit key');
  assert.equal(shownKey((await person.agent.get('/account/two-factor/setup')).body), shownKey(setup.body), 'reloading shows the same key');

  const wrong = await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(new Date(t.clock.now().getTime() + 10 * 60_000)) });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /动态口令或恢复码不正确/);
  const empty = await person.agent.submit('/account/two-factor/setup', { code: '' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /请输入动态口令或恢复码/);
  assert.equal(
    (await t.db.selectFrom('person_totps').select('enabled_at').where('account_id', '=', person.accountId).executeTakeFirstOrThrow()).enabled_at,
    null,
  );

  const done = await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) });
  assert.equal(done.status, 200);
  assert.match(done.text, /两步验证已开启/);
  const codes = shownRecoveryCodes(done.body);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-z2-7]{5}-[a-z2-7]{5}$/);

  // At rest: the key sealed (not its bytes), the codes as keyed hashes.
  const row = await t.db.selectFrom('person_totps').selectAll().where('account_id', '=', person.accountId).executeTakeFirstOrThrow();
  assert.ok(row.enabled_at);
  assert.equal(Buffer.from(row.cipher).indexOf(app.secret), -1);
  const hashes = await t.db.selectFrom('person_recovery_codes').select('code_hash').where('account_id', '=', person.accountId).execute();
  assert.equal(hashes.length, 10);
  for (const h of hashes) assert.ok(!codes.some((c) => Buffer.from(h.code_hash).toString('utf8').includes(c)));

  // Shown once: the page says how many are left, never which.
  const home = await person.agent.get('/account/two-factor');
  assert.match(home.text, /已开启/);
  assert.match(home.text, /未使用的恢复码：10 个/);
  assert.ok(!codes.some((c) => home.body.includes(c)));
  // A second set-up is refused while it is on.
  const again = await person.agent.get('/account/two-factor/setup');
  assert.match(again.text, /两步验证已经开启/);

  assert.match((await t.latestMessageTo(person.phone))!.text, /开启两步验证/);
  assert.match((await person.agent.get('/account/security')).text, /开启两步验证（身份验证器）/);
});

test('a password sign-in then asks for the code; a code is never accepted twice; the session holds both methods', async () => {
  const person = await personWithSecondFactor();
  const { agent, step } = await firstStep(person.phone);
  assert.match(step.text, /动态口令或恢复码/);
  assert.equal((await agent.get('/account')).status, 303, 'no session before the second step');

  // The code that turned it on belongs to a step already used.
  const replay = await agent.submit('/login/second-factor', { code: person.app.codeAt(person.enabledAt) });
  assert.equal(replay.status, 400);
  assert.match(replay.text, /动态口令或恢复码不正确/);

  nextStep();
  const code = person.app.codeAt(t.clock.now());
  const inside = await agent.submit('/login/second-factor', { code });
  assert.equal(inside.status, 303);
  assert.equal(inside.location, '/account');
  assert.equal((await agent.get('/account')).status, 200);
  assert.deepEqual(await sessionMethods(person.accountId), ['password', 'totp']);
  assert.match((await agent.get('/account/security')).text, /密码 \+ 动态口令/);

  // The same code in another browser a moment later: refused.
  const other = await firstStep(person.phone);
  const twice = await other.agent.submit('/login/second-factor', { code });
  assert.equal(twice.status, 400);
  assert.equal((await other.agent.get('/account')).status, 303);

  // Where the sign-in was going is kept through the step.
  nextStep();
  const withNext = await firstStep(person.phone, '/account/sessions');
  const back = await withNext.agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()), next: '/account/sessions' });
  assert.equal(back.location, '/account/sessions');

  // A pending sign-in belongs to the browser that passed the password: another browser has none.
  const stranger = new Agent(t.app, { ip: t.nextIp() });
  const none = await stranger.get('/login/second-factor');
  assert.equal(none.status, 410);
  assert.match(none.text, /本次登录已超时或已完成，请重新登录/);
  // And it lives ten minutes.
  const slow = await firstStep(person.phone);
  t.clock.advance(11 * 60_000);
  const late = await slow.agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()) });
  assert.equal(late.status, 410);
  assert.equal((await slow.agent.get('/account')).status, 303);
});

test('a recovery code works once, in any case and spacing', async () => {
  const person = await personWithSecondFactor();
  const [first, second] = person.codes as [string, string];
  const a = await firstStep(person.phone);
  const inside = await a.agent.submit('/login/second-factor', { code: ` ${first.toUpperCase().replace('-', ' ')} ` });
  assert.equal(inside.location, '/account');
  assert.deepEqual(await sessionMethods(person.accountId), ['password', 'recovery_code']);

  const b = await firstStep(person.phone);
  const again = await b.agent.submit('/login/second-factor', { code: first });
  assert.equal(again.status, 400);
  assert.match(again.text, /动态口令或恢复码不正确/);
  assert.equal((await b.agent.submit('/login/second-factor', { code: second })).location, '/account');
  assert.match((await b.agent.get('/account/two-factor')).text, /未使用的恢复码：8 个/);
});

test('wrong codes: five per pending sign-in, then it is over; ten per account, then a pause', async () => {
  const person = await personWithSecondFactor();
  nextStep();
  const right = () => person.app.codeAt(t.clock.now());
  const wrongCode = () => (right() === '000000' ? '111111' : '000000');

  const a = await firstStep(person.phone);
  for (let i = 0; i < 5; i++) {
    const page = await a.agent.submit('/login/second-factor', { code: wrongCode() });
    assert.equal(page.status, 400, `try ${i + 1}`);
  }
  const sixth = await a.agent.submit('/login/second-factor', { code: right() });
  assert.equal(sixth.status, 429);
  assert.match(sixth.text, /错误次数过多，本次登录已失效，请重新登录/);
  assert.equal((await a.agent.submit('/login/second-factor', { code: right() })).status, 410, 'even the right code: start again');
  assert.equal((await a.agent.get('/account')).status, 303);
  const failures = await t.db
    .selectFrom('audit_events')
    .select('id')
    .where('account_id', '=', person.accountId)
    .where('action', '=', 'mfa.code_failed')
    .execute();
  assert.equal(failures.length, 5);
  assert.match((await t.signIn(person.phone)).page.location!, /^\/login\/second-factor/);

  // Each new sign-in brings five more, but the account has ten in all, then a pause.
  const b = await firstStep(person.phone);
  for (let i = 0; i < 5; i++) assert.equal((await b.agent.submit('/login/second-factor', { code: wrongCode() })).status, 400);
  const c = await firstStep(person.phone);
  const paused = await c.agent.submit('/login/second-factor', { code: right() });
  assert.equal(paused.status, 429);
  assert.match(paused.text, /操作过于频繁/);
  assert.equal((await c.agent.get('/account')).status, 303);
  await t.services.limits.reset('secondFactorGuessesPerAccount', person.accountId);
  assert.equal((await c.agent.submit('/login/second-factor', { code: right() })).location, '/account', 'after the pause the right code works');
});

test('renewing the recovery codes voids the old ones; turning it off takes a fresh sign-in and a current code', async () => {
  const person = await personWithSecondFactor();
  const renewed = await person.agent.submit('/account/two-factor/recovery-codes', {}, { from: '/account/two-factor' });
  assert.equal(renewed.status, 200);
  assert.match(renewed.text, /已生成新的恢复码，原来的恢复码已失效/);
  const fresh = shownRecoveryCodes(renewed.body);
  assert.equal(fresh.length, 10);
  assert.match((await t.latestMessageTo(person.phone))!.text, /重新生成两步验证恢复码/);
  const old = await firstStep(person.phone);
  assert.equal((await old.agent.submit('/login/second-factor', { code: person.codes[0]! })).status, 400);
  assert.equal((await old.agent.submit('/login/second-factor', { code: fresh[0]! })).location, '/account');

  // Off: a stale session confirms the password first.
  t.clock.advance(11 * 60_000);
  const stale = await person.agent.submit('/account/two-factor/disable', { code: person.app.codeAt(t.clock.now()) }, { from: '/account/two-factor' });
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Ftwo-factor');
  await person.agent.submit('/account/confirm-password', {
    next: '/account/two-factor',
    currentPassword: TEST_PASSWORD,
    code: person.app.codeAt(t.clock.now()),
  });
  nextStep();
  const wrong = await person.agent.submit('/account/two-factor/disable', { code: '12345' }, { from: '/account/two-factor' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /动态口令或恢复码不正确/);
  assert.ok(await t.db.selectFrom('person_totps').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), 'still on');

  const off = await person.agent.submit('/account/two-factor/disable', { code: person.app.codeAt(t.clock.now()) });
  assert.equal(off.status, 200);
  assert.match(off.text, /两步验证已关闭/);
  assert.match(off.text, /未开启/);
  assert.equal(await t.db.selectFrom('person_totps').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined);
  assert.deepEqual(await t.db.selectFrom('person_recovery_codes').select('code_hash').where('account_id', '=', person.accountId).execute(), []);
  assert.match((await t.latestMessageTo(person.phone))!.text, /关闭两步验证/);
  assert.match((await person.agent.get('/account/security')).text, /关闭两步验证/);

  // Off again: the password alone signs in, as before.
  const plain = await t.signIn(person.phone);
  assert.equal(plain.page.location, '/account');
  assert.deepEqual(await sessionMethods(person.accountId), ['password']);
});

test('确认密码 on a two-step account asks for a code too: a password and an open session cannot add a way in', async () => {
  const person = await personWithSecondFactor();
  t.clock.advance(11 * 60_000);
  const form = await person.agent.get('/account/confirm-password?next=%2Faccount%2Fpasskeys%2Fnew');
  assert.match(form.body, /name="code"/, 'the form asks for a code');
  const passwordOnly = await person.agent.submit('/account/confirm-password', { next: '/account/passkeys', currentPassword: TEST_PASSWORD });
  assert.equal(passwordOnly.status, 400);
  assert.match(passwordOnly.text, /请输入动态口令或恢复码/);
  const wrongCode = await person.agent.submit('/account/confirm-password', { next: '/account/passkeys', currentPassword: TEST_PASSWORD, code: '000000' });
  assert.equal(wrongCode.status, 400);
  assert.match(wrongCode.text, /动态口令或恢复码不正确/);
  // Still not fresh: renewing the recovery codes sends the person to 确认密码 again.
  const renew = await person.agent.submit('/account/two-factor/recovery-codes', {}, { from: '/account/two-factor' });
  assert.equal(renew.status, 303);
  assert.match(renew.location ?? '', /^\/account\/confirm-password/);

  const confirmed = await person.agent.submit('/account/confirm-password', {
    next: '/account/two-factor',
    currentPassword: TEST_PASSWORD,
    code: person.app.codeAt(t.clock.now()),
  });
  assert.equal(confirmed.status, 303);
  assert.equal(confirmed.location, '/account/two-factor');
  const renewed = await person.agent.submit('/account/two-factor/recovery-codes', {}, { from: '/account/two-factor' });
  assert.equal(renewed.status, 200);
});

test('second-factor changes tell the contacts, so they are limited: the eleventh in a day is refused and sends nothing', async () => {
  const person = await personWithSecondFactor();
  // Turning it on was the first change of the day.
  for (let i = 0; i < 9; i++) assert.equal((await person.agent.submit('/account/two-factor/recovery-codes', {}, { from: '/account/two-factor' })).status, 200);
  const before = (await t.messagesTo(person.phone)).length;
  const refused = await person.agent.submit('/account/two-factor/recovery-codes', {}, { from: '/account/two-factor' });
  assert.equal(refused.status, 429);
  assert.match(refused.text, /操作过于频繁/);
  assert.equal((await t.messagesTo(person.phone)).length, before, 'no notice for a refused change');
});

test('the API sign-in answers 401 mfa.required with a pending token; the code then makes the session', async () => {
  const person = await personWithSecondFactor();
  const ip = t.nextIp();
  const before = await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).execute();
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', remoteAddress: ip, payload: { username: person.phone, password: TEST_PASSWORD } });
  assert.equal(res.statusCode, 401);
  const body = res.json() as { error: { code: string; message: string; secondFactor: { pendingToken: string; expiresAt: string } } };
  assert.equal(body.error.code, 'mfa.required');
  assert.ok(body.error.secondFactor.pendingToken.length >= 43);
  assert.equal((await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).execute()).length, before.length, 'no session yet');

  const second = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/sessions/second-factor', remoteAddress: ip, payload });
  const wrong = await second({ pendingToken: body.error.secondFactor.pendingToken, code: '000000' });
  assert.equal(wrong.statusCode, 400);
  assert.equal((wrong.json() as { error: { code: string } }).error.code, 'mfa.code_wrong');
  const forged = await second({ pendingToken: 'x'.repeat(43), code: person.app.codeAt(t.clock.now()) });
  assert.equal(forged.statusCode, 410);
  nextStep();
  const done = await second({ pendingToken: body.error.secondFactor.pendingToken, code: person.app.codeAt(t.clock.now()) });
  assert.equal(done.statusCode, 201, done.body);
  const { session } = done.json() as { session: { token: string } };
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/account', headers: { authorization: `Bearer ${session.token}` } });
  assert.equal(me.statusCode, 200);
  assert.deepEqual(await sessionMethods(person.accountId), ['password', 'totp']);
  const replay = await second({ pendingToken: body.error.secondFactor.pendingToken, code: person.codes[0]! });
  assert.equal(replay.statusCode, 410, 'the pending token is used once');
});

test('the step and the settings page in English', async () => {
  const person = await personWithSecondFactor();
  const { agent } = await firstStep(person.phone);
  agent.cookies.set('tx_lang', 'en');
  const step = await agent.get('/login/second-factor');
  assert.match(step.text, /Open your authenticator app and type the 6-digit code it shows/);
  const wrong = await agent.submit('/login/second-factor', { code: '12345' });
  assert.match(wrong.text, /That authenticator code or recovery code is not right/);
  person.agent.cookies.set('tx_lang', 'en');
  assert.match((await person.agent.get('/account/two-factor')).text, /Unused recovery codes: 10/);
});

test('an SMS-code sign-in asks for the second factor too, keeping next; the session holds both', async () => {
  const person = await personWithSecondFactor();
  t.clock.advance(1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const sent = await agent.submit('/login/sms/code', { phone: person.phone, next: '/account/sessions' }, { from: '/login/sms' });
  assert.equal(sent.status, 200, sent.text);
  const sms = (await t.latestMessageTo(person.phone))!.text;
  const code = /(\d{6})/.exec(sms)![1]!;
  const asked = await agent.submit('/login/sms', { phone: person.phone, code, next: '/account/sessions' });
  assert.equal(asked.status, 303, asked.text);
  assert.equal(asked.location, '/login/second-factor?next=%2Faccount%2Fsessions');
  assert.equal((await agent.get('/account')).status, 303, 'no session yet');
  await agent.get(asked.location!);
  nextStep();
  const inside = await agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()), next: '/account/sessions' });
  assert.equal(inside.location, '/account/sessions');
  assert.deepEqual(await sessionMethods(person.accountId), ['sms_code', 'totp']);
  assert.match((await agent.get('/account/security')).text, /手机校验码 \+ 动态口令/);
});

test('an account suspended between the two steps gets no session at the second', async () => {
  const person = await personWithSecondFactor();
  const { agent } = await firstStep(person.phone);
  const { suspendAccount } = await import('../../src/admin/account-service.ts');
  await suspendAccount(t.services.accounts, person.accountId, { username: 'support.mfa', ip: null }, '本人来电报告帐号被盗');
  const sessionsBefore = await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).where('revoked_at', 'is', null).execute();
  nextStep();
  const second = await agent.submit('/login/second-factor', { code: person.app.codeAt(t.clock.now()) });
  assert.equal(second.status, 403);
  assert.match(second.text, /该帐号已停用，请联系客服/);
  const sessionsAfter = await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).where('revoked_at', 'is', null).execute();
  assert.equal(sessionsAfter.length, sessionsBefore.length, 'no session started');
});
