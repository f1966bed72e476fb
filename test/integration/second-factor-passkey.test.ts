// A passkey as the second step, on the pages a person uses, with a software authenticator that
// answers in a browser's exact shapes (test/helpers/soft-authenticator.ts) against the real
// WebAuthn library: turning two-step verification on with passkeys alone (fresh sign-in, recovery
// codes once, audited, told to the phone), the sign-in step it adds (the passkey of this account
// only; refused answers counted like wrong codes), turning it off with a passkey or a recovery
// code, and the rule that keeps the last passkey while it is the only second factor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { Authenticator, shownKey, shownRecoveryCodes } from '../helpers/authenticator.ts';
import { amrOf, acrOf } from '../../src/sessions/auth-methods.ts';
import { requestRemoval } from '../../src/mfa/removal.ts';

const ORIGIN = 'http://localhost:8080';
let t: TestInstance;
before(async () => {
  t = await getTestInstance({
    env: { PUBLIC_URL: ORIGIN },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(() => t.close());

/** 添加通行密钥 in the person's (fresh) session. */
async function addPasskey(agent: Agent, authenticator: SoftAuthenticator, name: string) {
  assert.equal((await agent.get('/account/passkeys/new')).status, 200);
  const options = await agent.postJson('/account/passkeys/options', { name });
  assert.equal(options.status, 200, options.body);
  const credential = authenticator.create(options.json.options as PublicKeyCredentialCreationOptionsJSON);
  const page = await agent.submit('/account/passkeys', { name, credential: JSON.stringify(credential) });
  assert.equal(page.status, 200, page.text);
}

/** A person with a passkey who turned two-step verification on with it (no authenticator app). */
async function personWithPasskeyWay() {
  const person = await t.registerPhone();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(person.agent, authenticator, '我的手机');
  const page = await person.agent.get('/account/two-factor');
  assert.match(page.body, /id="passkey-way-enable"/);
  const on = await person.agent.submit('/account/two-factor/passkey', {});
  assert.equal(on.status, 200, on.text);
  assert.match(on.text, /两步验证已开启：登录时将需要您的通行密钥/);
  return { ...person, authenticator, codes: shownRecoveryCodes(on.body) };
}

/** Password sign-in in a new browser: it stops at the second step. */
async function firstStep(phone: string) {
  t.clock.advance(1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const page = await agent.submit('/login', { username: phone, password: TEST_PASSWORD }, { from: '/login' });
  assert.equal(page.status, 303, page.text);
  assert.equal(page.location, '/login/second-factor');
  const step = await agent.get(page.location!);
  assert.equal(step.status, 200, step.text);
  return { agent, step };
}

/** The step page's 使用通行密钥验证: options for the pending account's passkeys. */
async function stepOptions(agent: Agent) {
  const options = await agent.postJson('/login/second-factor/passkey/options');
  assert.equal(options.status, 200, options.body);
  return options.json.options as PublicKeyCredentialRequestOptionsJSON;
}

const newestMethods = async (accountId: string) =>
  (await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).orderBy('created_at', 'desc').executeTakeFirstOrThrow())
    .auth_methods;

test('turned on with passkeys alone: fresh sign-in first, recovery codes once, audited and told to the phone; a person without passkeys is told to add one', async () => {
  const none = await t.registerPhone();
  const page = await none.agent.get('/account/two-factor');
  assert.match(page.body, /id="passkey-way-needs-passkey"/);
  assert.doesNotMatch(page.body, /id="passkey-way-enable"/);
  const refused = await none.agent.submit('/account/two-factor/passkey', {});
  assert.equal(refused.status, 409);
  assert.match(refused.text, /您还没有添加通行密钥，不能以通行密钥开启两步验证/);
  assert.equal(await t.db.selectFrom('person_passkey_factors').select('account_id').where('account_id', '=', none.accountId).executeTakeFirst(), undefined);

  // A stale session is sent to 确认密码 first.
  const person = await t.registerPhone();
  await addPasskey(person.agent, new SoftAuthenticator(ORIGIN), 'YubiKey');
  t.clock.advance(11 * 60_000);
  const stale = await person.agent.submit('/account/two-factor/passkey', {});
  assert.equal(stale.status, 303);
  assert.match(stale.location!, /^\/account\/confirm-password/);

  const { accountId, phone, codes, agent } = await personWithPasskeyWay();
  assert.equal(codes.length, 10);
  const home = await agent.get('/account/two-factor');
  assert.match(home.text, /已开启（.*起）：登录时除密码或短信校验码外，还需使用您的通行密钥确认/);
  assert.match(home.text, /未使用的恢复码：10 个/);
  assert.match(home.body, /id="passkey-disable"/, 'turning off with a passkey is offered');
  assert.match(home.text, /再添加身份验证器/);
  assert.match((await t.latestMessageTo(phone))!.text, /开启两步验证：登录时除密码或短信校验码外，还需使用您的通行密钥确认/);
  assert.match((await agent.get('/account/security')).text, /开启两步验证（通行密钥）/);
  const stored = await t.db.selectFrom('person_recovery_codes').select('code_hash').where('account_id', '=', accountId).execute();
  assert.equal(stored.length, 10);
  assert.ok(!stored.some((r) => codes.some((c) => r.code_hash.toString('utf8').includes(c))), 'kept hashed');

  // Twice (another tab): already on.
  const again = await agent.submit('/account/two-factor/passkey', {});
  assert.equal(again.status, 409);
});

test('the step with a passkey: offered for this account, the session’s methods [password, passkey] (amr pwd hwk user mfa, acr mfa)', async () => {
  const { phone, accountId, authenticator } = await personWithPasskeyWay();
  const { agent, step } = await firstStep(phone);
  assert.match(step.body, /id="passkey-second-factor"/);
  assert.match(step.text, /使用通行密钥验证/);
  assert.match(step.text, /您的帐号以通行密钥作为第二步验证/);
  assert.doesNotMatch(step.text, /请打开身份验证器/);
  assert.match(step.body, /id="second-factor"/, 'the recovery-code form stays (no JavaScript, no passkey at hand)');

  const options = await stepOptions(agent);
  assert.deepEqual(
    options.allowCredentials?.map((c) => c.id),
    [authenticator.credentials[0]!.id],
    'only this account’s passkeys',
  );
  assert.equal(options.userVerification, 'required');
  const done = await agent.submit('/login/second-factor/passkey', { credential: JSON.stringify(authenticator.get(options)) });
  assert.equal(done.status, 303, done.text);
  assert.equal(done.location, '/account');
  assert.equal((await agent.get('/account')).status, 200);
  const methods = await newestMethods(accountId);
  assert.deepEqual(methods, ['password', 'passkey']);
  assert.deepEqual(amrOf(methods), ['pwd', 'hwk', 'user', 'mfa']);
  assert.equal(acrOf(methods), 'urn:tongxing:acr:mfa');
  assert.match((await agent.get('/account/security')).text, /登录/);

  // A passkey sign-in on its own is already two factors: no step.
  const direct = new Agent(t.app, { ip: t.nextIp() });
  await direct.get('/login');
  const signInOptions = await direct.postJson('/login/passkey/options');
  const signedIn = await direct.submit('/login/passkey', {
    credential: JSON.stringify(authenticator.get(signInOptions.json.options as PublicKeyCredentialRequestOptionsJSON)),
  });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.location, '/account');
});

test('another account’s passkey, a replayed answer and a broken one are refused with a reason, counted like wrong codes until the sign-in ends', async () => {
  const { phone, accountId } = await personWithPasskeyWay();
  const other = await personWithPasskeyWay();
  const { agent } = await firstStep(phone);

  // The other person's passkey, answering this sign-in's challenge.
  const options = await stepOptions(agent);
  const foreign = other.authenticator.get({ ...options, allowCredentials: [] });
  const refused = await agent.submit('/login/second-factor/passkey', { credential: JSON.stringify(foreign) });
  assert.equal(refused.status, 401);
  assert.match(refused.text, /这个通行密钥不属于正在登录的帐号/);
  assert.match(refused.body, /id="second-factor"/, 'the step page again');

  // The same answer again: its challenge was used up.
  const replay = await agent.submit('/login/second-factor/passkey', { credential: JSON.stringify(foreign) });
  assert.equal(replay.status, 400);
  assert.match(replay.text, /通行密钥验证已过期，请重试/);

  const broken = await agent.submit('/login/second-factor/passkey', { credential: '{"id":' });
  assert.equal(broken.status, 400);

  // Two more wrong tries make five; the sixth ends this sign-in (as with wrong codes).
  for (let i = 0; i < 2; i++) {
    const wrong = await agent.submit('/login/second-factor/passkey', {
      credential: JSON.stringify(other.authenticator.get({ ...(await stepOptions(agent)), allowCredentials: [] })),
    });
    assert.equal(wrong.status, 401);
  }
  const ended = await agent.submit('/login/second-factor/passkey', {
    credential: JSON.stringify(other.authenticator.get({ ...(await stepOptions(agent)), allowCredentials: [] })),
  });
  assert.equal(ended.status, 429);
  assert.match(ended.text, /错误次数过多，本次登录已失效，请重新登录/);
  const gone = await agent.postJson('/login/second-factor/passkey/options');
  assert.equal(gone.status, 410);
  assert.match(gone.json.message as string, /本次登录已超时或已完成/);

  const sessions = await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).execute();
  assert.deepEqual(
    sessions.map((s) => s.auth_methods.join('+')),
    ['password'],
    'only the registration’s session',
  );
  const failures = await t.db.selectFrom('audit_events').select('action').where('account_id', '=', accountId).where('action', '=', 'mfa.code_failed').execute();
  assert.equal(failures.length, 5);
});

test('an account with an authenticator app and no passkey sees no passkey way; with a passkey, the passkey passes its step too', async () => {
  const person = await t.registerPhone();
  const setup = await person.agent.get('/account/two-factor/setup');
  const app = new Authenticator(shownKey(setup.body));
  assert.equal((await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) })).status, 200);
  const { step } = await firstStep(person.phone);
  assert.doesNotMatch(step.body, /passkey-second-factor/);
  assert.doesNotMatch((await person.agent.get('/account/two-factor')).body, /id="passkey-way-enable"/, 'already on');

  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(person.agent, authenticator, '电脑');
  const { agent, step: withPasskey } = await firstStep(person.phone);
  assert.match(withPasskey.body, /id="passkey-second-factor"/);
  assert.match(withPasskey.text, /请打开身份验证器/);
  const done = await agent.submit('/login/second-factor/passkey', { credential: JSON.stringify(authenticator.get(await stepOptions(agent))) });
  assert.equal(done.status, 303, done.text);
  assert.deepEqual(await newestMethods(person.accountId), ['password', 'passkey']);
  // With the authenticator on, the last passkey may go.
  const [passkey] = await t.db.selectFrom('passkeys').select('id').where('account_id', '=', person.accountId).execute();
  const removed = await person.agent.submit(`/account/passkeys/${passkey!.id}/remove`, {});
  assert.equal(removed.status, 200, removed.text);
});

test('turned off with a passkey (fresh sign-in first) or with a recovery code; then the password alone signs in', async () => {
  const { agent, phone, accountId, authenticator, codes } = await personWithPasskeyWay();
  await agent.get('/account/two-factor');
  const options = await agent.postJson('/account/two-factor/passkey/options');
  assert.equal(options.status, 200, options.body);
  const request = options.json.options as PublicKeyCredentialRequestOptionsJSON;
  // Another account's passkey answering it is refused and changes nothing.
  const other = await personWithPasskeyWay();
  const foreign = await agent.submit('/account/two-factor/disable/passkey', {
    credential: JSON.stringify(other.authenticator.get({ ...request, allowCredentials: [] })),
  });
  assert.equal(foreign.status, 401);
  assert.match(foreign.text, /这个通行密钥已被删除，或不属于任何通行帐号/);
  assert.ok(await t.db.selectFrom('person_passkey_factors').select('account_id').where('account_id', '=', accountId).executeTakeFirst());
  assert.equal(
    (await t.db.selectFrom('audit_events').select('action').where('account_id', '=', accountId).where('action', '=', 'mfa.code_failed').execute()).length,
    1,
    'the refused try is on the log',
  );

  // A stale session is sent to 确认密码 (the options say where).
  t.clock.advance(11 * 60_000);
  const stale = await agent.postJson('/account/two-factor/passkey/options');
  assert.equal(stale.status, 401);
  assert.equal(stale.json.location, '/account/confirm-password?next=%2Faccount%2Ftwo-factor');
  // On a two-step account 确认密码 asks for a code too: here a recovery code (no authenticator).
  const confirmed = await agent.submit('/account/confirm-password', { next: '/account/two-factor', currentPassword: TEST_PASSWORD, code: codes[0]! });
  assert.equal(confirmed.status, 303, confirmed.text);

  await agent.get('/account/two-factor');
  const fresh = await agent.postJson('/account/two-factor/passkey/options');
  const off = await agent.submit('/account/two-factor/disable/passkey', {
    credential: JSON.stringify(authenticator.get(fresh.json.options as PublicKeyCredentialRequestOptionsJSON)),
  });
  assert.equal(off.status, 200, off.text);
  assert.match(off.text, /两步验证已关闭/);
  assert.match(off.text, /未开启/);
  assert.equal(await t.db.selectFrom('person_passkey_factors').select('account_id').where('account_id', '=', accountId).executeTakeFirst(), undefined);
  assert.equal((await t.db.selectFrom('person_recovery_codes').select('code_hash').where('account_id', '=', accountId).execute()).length, 0);
  assert.match((await t.latestMessageTo(phone))!.text, /关闭两步验证/);
  const direct = new Agent(t.app, { ip: t.nextIp() });
  const signedIn = await direct.submit('/login', { username: phone, password: TEST_PASSWORD }, { from: '/login' });
  assert.equal(signedIn.location, '/account', 'no second step any more');

  // On again, and off with a recovery code (no passkey at hand).
  await agent.get('/account/two-factor');
  const on = await agent.submit('/account/two-factor/passkey', {});
  const [code] = shownRecoveryCodes(on.body);
  const wrong = await agent.submit('/account/two-factor/disable', { code: '123456' });
  assert.equal(wrong.status, 400, 'no authenticator app: a six-digit code is never right');
  const byCode = await agent.submit('/account/two-factor/disable', { code: code! });
  assert.equal(byCode.status, 200, byCode.text);
  assert.match(byCode.text, /两步验证已关闭/);
});

test('the last passkey stays while it is the only second factor; another passkey, or turning it off, lets it go', async () => {
  const { agent, accountId, codes } = await personWithPasskeyWay();
  const ids = async () => (await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).orderBy('created_at').execute()).map((r) => r.id);
  const [first] = await ids();
  await agent.get('/account/passkeys');
  const refused = await agent.submit(`/account/passkeys/${first}/remove`, {});
  assert.equal(refused.status, 409);
  assert.match(refused.text, /这是您唯一的第二步验证方式所用的最后一个通行密钥，现在不能删除/);
  assert.deepEqual(await ids(), [first]);

  // With a second passkey, the first may go; then the second is the last.
  t.clock.advance(1_000);
  await addPasskey(agent, new SoftAuthenticator(ORIGIN), '安全密钥');
  const [, second] = await ids();
  assert.equal((await agent.submit(`/account/passkeys/${first}/remove`, {})).status, 200);
  assert.equal((await agent.submit(`/account/passkeys/${second}/remove`, {})).status, 409);

  // Turned off (a recovery code), it may go.
  assert.equal((await agent.submit('/account/two-factor/disable', { code: codes[0]! })).status, 200);
  const removed = await agent.submit(`/account/passkeys/${second}/remove`, {});
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(await ids(), []);
});

test('a sign-in with an SMS code also asks for the passkey, and ends with [sms_code, passkey]', async () => {
  const { phone, accountId, authenticator } = await personWithPasskeyWay();
  t.clock.advance(1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.get('/login/sms');
  const sent = await agent.submit('/login/sms/code', { phone }, { from: '/login/sms' });
  assert.ok(sent.status < 400, sent.text);
  const code = /(\d{6})/.exec((await t.latestMessageTo(phone))!.text)![1]!;
  const page = await agent.submit('/login/sms', { phone, code }, { from: '/login/sms' });
  assert.equal(page.location, '/login/second-factor', page.text);
  await agent.get('/login/second-factor');
  const done = await agent.submit('/login/second-factor/passkey', { credential: JSON.stringify(authenticator.get(await stepOptions(agent))) });
  assert.equal(done.status, 303, done.text);
  assert.deepEqual(await newestMethods(accountId), ['sms_code', 'passkey']);
});

test('a removal asked through 找回密码 covers the passkey way: it waits, then the password alone signs in; the passkeys stay', async () => {
  const { phone, accountId } = await personWithPasskeyWay();
  const deps = t.services.accounts;
  const effectiveAt = await deps.db.transaction().execute((tx) => requestRemoval(tx, deps, accountId, 'sms', { ip: '127.0.0.1', userAgent: null }));
  assert.ok(effectiveAt, 'there is a second factor to remove');
  assert.match((await t.latestMessageTo(phone))!.text, /通过找回密码申请关闭您通行帐号的两步验证/);
  const { step } = await firstStep(phone);
  assert.match(step.body, /id="removal-waiting"/);

  t.clock.advance(deps.secondFactor.removalWaitMs + 1_000);
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const page = await agent.submit('/login', { username: phone, password: TEST_PASSWORD }, { from: '/login' });
  assert.equal(page.location, '/account', 'the second step is gone');
  assert.equal(await t.db.selectFrom('person_passkey_factors').select('account_id').where('account_id', '=', accountId).executeTakeFirst(), undefined);
  assert.equal((await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).execute()).length, 1);
});
