// Passkeys without a browser: a software authenticator (test/helpers/soft-authenticator.ts) that
// answers in a browser's exact shapes, against the real pages and the real WebAuthn library.
// Adding one in 帐号管理 (fresh sign-in first, named, listed, audited, told to the phone),
// signing in with it (a multi-factor session, `next` kept), and every refusal a person or an
// attacker meets: a replayed or foreign-browser answer, another origin, no user verification, a
// removed passkey, a suspended or deregistered account, malformed input. And the pair the second
// factor will use: a challenge restricted to one account's passkeys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import { passkeyChallengeFor, verifyPasskeyFor } from '../../src/passkeys/authentication.ts';
import { CHALLENGE_TTL_MS } from '../../src/passkeys/challenges.ts';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

const ORIGIN = 'http://localhost:8080';
const PASSWORD = 'passkey test password';
let t: TestInstance;
before(async () => {
  t = await getTestInstance({
    env: { PUBLIC_URL: ORIGIN },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(() => t.close());

const person = () => t.registerPhone({ password: PASSWORD });

/** 添加通行密钥 in the person's browser: the page, the options, the authenticator, the form. */
async function addPasskey(agent: Agent, authenticator: SoftAuthenticator, name: string) {
  const page = await agent.get('/account/passkeys/new');
  assert.equal(page.status, 200, page.text);
  const options = await agent.postJson('/account/passkeys/options', { name });
  assert.equal(options.status, 200, options.body);
  const credential = authenticator.create(options.json.options as PublicKeyCredentialCreationOptionsJSON);
  return {
    options: options.json.options as PublicKeyCredentialCreationOptionsJSON,
    page: await agent.submit('/account/passkeys', { name, credential: JSON.stringify(credential) }),
  };
}

/** 使用通行密钥登录 in `agent` (a new browser unless given): the sign-in page, the options, the authenticator's answer posted. */
async function passkeyAnswer(authenticator: SoftAuthenticator, agent = new Agent(t.app, { ip: t.nextIp() }), next?: string) {
  await agent.get(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  const options = await agent.postJson('/login/passkey/options');
  assert.equal(options.status, 200, options.body);
  const response = authenticator.get(options.json.options as PublicKeyCredentialRequestOptionsJSON);
  return { agent, options: options.json.options as PublicKeyCredentialRequestOptionsJSON, response };
}

async function signInWithPasskey(authenticator: SoftAuthenticator, next?: string) {
  const { agent, response } = await passkeyAnswer(authenticator, undefined, next);
  const page = await agent.submit('/login/passkey', { credential: JSON.stringify(response), ...(next ? { next } : {}) });
  return { agent, page, response };
}

test('添加通行密钥: named, listed, audited and told to the phone; the options ask for a discoverable, user-verified passkey on this site', async () => {
  const { agent, phone, accountId } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  assert.match((await agent.get('/account')).body, /href="\/account\/passkeys"/);
  assert.match((await agent.get('/account/passkeys')).text, /您还没有添加通行密钥/);

  const { options, page } = await addPasskey(agent, authenticator, '我的手机');
  assert.equal(options.rp.id, 'localhost');
  assert.equal(options.user.name, phone);
  assert.notEqual(options.user.id, Buffer.from(accountId).toString('base64url'), 'an opaque user handle, not the account id');
  assert.equal(options.authenticatorSelection?.residentKey, 'required');
  assert.equal(options.authenticatorSelection?.userVerification, 'required');
  assert.equal(options.attestation, 'none');
  assert.deepEqual(options.excludeCredentials, []);

  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /已添加通行密钥“我的手机”/);
  assert.match(page.text, /我的手机 .* 尚未使用/);
  const rows = await t.db.selectFrom('passkeys').select(['name', 'credential_id', 'device_type']).where('account_id', '=', accountId).execute();
  assert.deepEqual(rows, [{ name: '我的手机', credential_id: authenticator.credentials[0]!.id, device_type: 'singleDevice' }]);
  assert.match((await t.latestMessageTo(phone))!.text, /已于 .*添加通行密钥“我的手机”/);
  assert.match((await agent.get('/account/security')).text, /添加通行密钥/);

  // A second one: the first is excluded, so the same device is not asked to make another.
  const again = await agent.postJson('/account/passkeys/options', { name: '电脑' });
  assert.deepEqual(
    (again.json.options as PublicKeyCredentialCreationOptionsJSON).excludeCredentials?.map((c) => c.id),
    [authenticator.credentials[0]!.id],
  );
});

test('使用通行密钥登录: a multi-factor session for the passkey’s account, its use recorded, next kept; the answer cannot be used twice', async () => {
  const { agent, accountId } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(agent, authenticator, 'YubiKey');

  const { agent: other, page, response } = await signInWithPasskey(authenticator, '/account/security');
  assert.equal(page.status, 303, page.text);
  assert.equal(page.location, '/account/security', 'next is kept');
  const home = await other.get('/account');
  assert.equal(home.status, 200);
  // The registration's session (password) and this one, whose method is the passkey.
  const sessions = await t.db.selectFrom('sessions').select('auth_methods').where('account_id', '=', accountId).execute();
  assert.deepEqual(sessions.map((s) => s.auth_methods.join('+')).sort(), ['passkey', 'password']);
  assert.match((await other.get('/account/security')).text, /登录（通行密钥）/);
  const used = await t.db.selectFrom('passkeys').select(['last_used_at', 'counter']).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  assert.ok(used.last_used_at);
  assert.equal(Number(used.counter), 2);
  assert.doesNotMatch((await agent.get('/account/passkeys')).text, /尚未使用/);

  // The same answer again (a replay): its challenge is used up.
  const replay = await other.submit('/login/passkey', { credential: JSON.stringify(response) });
  assert.equal(replay.status, 400);
  assert.match(replay.text, /通行密钥验证已过期，请重试/);
});

test('an answer is bound to the browser that asked, its site, the person’s verification, and the challenge’s few minutes', async () => {
  const { agent } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(agent, authenticator, '手机');

  // Answered in another browser (its own passkey cookie, or none).
  const stolen = await passkeyAnswer(authenticator);
  const thief = new Agent(t.app, { ip: t.nextIp() });
  await thief.get('/login');
  const elsewhere = await thief.submit('/login/passkey', { credential: JSON.stringify(stolen.response) });
  assert.equal(elsewhere.status, 400);
  assert.match(elsewhere.text, /通行密钥验证已过期/);

  // A phishing page on another origin relays the challenge: the client data names that origin.
  authenticator.origin = 'http://localhost.evil.example';
  const phished = await passkeyAnswer(authenticator);
  const refused = await phished.agent.submit('/login/passkey', { credential: JSON.stringify(phished.response) });
  assert.equal(refused.status, 401);
  assert.match(refused.text, /通行密钥验证未通过/);
  authenticator.origin = ORIGIN;

  // Touched but not unlocked (no user verification).
  authenticator.userVerified = false;
  const unverified = await passkeyAnswer(authenticator);
  const notUv = await unverified.agent.submit('/login/passkey', { credential: JSON.stringify(unverified.response) });
  assert.equal(notUv.status, 401);
  assert.match(notUv.text, /通行密钥验证未通过/);
  authenticator.userVerified = true;

  // Left too long.
  const slow = await passkeyAnswer(authenticator);
  t.clock.advance(CHALLENGE_TTL_MS + 1_000);
  const late = await slow.agent.submit('/login/passkey', { credential: JSON.stringify(slow.response) });
  assert.equal(late.status, 400);
  assert.match(late.text, /通行密钥验证已过期/);

  // A copy of the authenticator whose counter is behind the one the service saw (a clone).
  assert.equal((await signInWithPasskey(authenticator)).page.status, 303);
  authenticator.credentials[0]!.counter = 0;
  const cloned = await signInWithPasskey(authenticator);
  assert.equal(cloned.page.status, 401);
  assert.match(cloned.page.text, /通行密钥验证未通过/);

  // A failed signature on a known passkey is on the owner's security log, as a warning.
  assert.match((await agent.get('/account/security')).body, /class="warning"[^]*通行密钥登录失败/);
});

test('adding and removing need a fresh sign-in; removing is audited, told, and the passkey then signs in no more', async () => {
  const { agent, phone } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(agent, authenticator, '旧手机');

  t.clock.advance(11 * MINUTE);
  const stale = await agent.get('/account/passkeys/new');
  assert.equal(stale.status, 303);
  assert.equal(stale.location, '/account/confirm-password?next=%2Faccount%2Fpasskeys%2Fnew');
  const staleOptions = await agent.postJson('/account/passkeys/options', { name: '新手机' });
  assert.equal(staleOptions.status, 401);
  assert.equal(staleOptions.json.location, '/account/confirm-password?next=%2Faccount%2Fpasskeys%2Fnew');
  const list = await agent.get('/account/passkeys');
  const id = /action="\/account\/passkeys\/([0-9a-f-]{36})\/remove"/.exec(list.body)![1]!;
  const staleRemove = await agent.submit(`/account/passkeys/${id}/remove`, {});
  assert.equal(staleRemove.status, 303);
  assert.equal(staleRemove.location, '/account/confirm-password?next=%2Faccount%2Fpasskeys');
  assert.equal((await t.db.selectFrom('passkeys').select('id').where('id', '=', id).execute()).length, 1, 'nothing removed');

  await agent.submit('/account/confirm-password', { next: '/account/passkeys', currentPassword: PASSWORD }, { from: '/account/confirm-password' });
  await agent.get('/account/passkeys');
  const removed = await agent.submit(`/account/passkeys/${id}/remove`, {});
  assert.equal(removed.status, 200, removed.text);
  assert.match(removed.text, /已删除通行密钥“旧手机”，它不能再用于登录/);
  assert.match(removed.text, /您还没有添加通行密钥/);
  assert.match((await t.latestMessageTo(phone))!.text, /删除通行密钥“旧手机”/);
  assert.match((await agent.get('/account/security')).text, /删除通行密钥/);

  const { page } = await signInWithPasskey(authenticator);
  assert.equal(page.status, 401);
  assert.match(page.text, /这个通行密钥已被删除，或不属于任何通行帐号，不能用于登录。请使用密码登录/);

  // Removing it again, or one that is not the person's: not found, nothing changes.
  assert.equal((await agent.submit(`/account/passkeys/${id}/remove`, {}, { from: '/account/passkeys' })).status, 404);
  assert.equal((await agent.submit('/account/passkeys/not-an-id/remove', {}, { from: '/account/passkeys' })).status, 404);
});

test('改名: the list shows the new name; a bad name is refused beside its field; another’s passkey is not found', async () => {
  const { agent } = await person();
  const { agent: stranger } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(agent, authenticator, 'iPhone');
  const id = /action="\/account\/passkeys\/([0-9a-f-]{36})\/rename"/.exec((await agent.get('/account/passkeys')).body)![1]!;

  const renamed = await agent.submit(`/account/passkeys/${id}/rename`, { name: '  工作 手机 ' });
  assert.equal(renamed.status, 200);
  assert.match(renamed.text, /已改名为“工作 手机”/);
  const empty = await agent.submit(`/account/passkeys/${id}/rename`, { name: '   ' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /请填写通行密钥的名称（不超过 40 个字）/);
  const long = await agent.submit(`/account/passkeys/${id}/rename`, { name: '长'.repeat(41) });
  assert.equal(long.status, 400);
  assert.match(long.text, /名称不能超过 40 个字/);
  await stranger.get('/account/passkeys');
  assert.equal((await stranger.submit(`/account/passkeys/${id}/rename`, { name: '我的' })).status, 404);
  assert.equal((await stranger.submit(`/account/passkeys/${id}/remove`, {})).status, 404);
  const rows = await t.db.selectFrom('passkeys').select('name').where('id', '=', id).execute();
  assert.deepEqual(rows, [{ name: '工作 手机' }]);
});

test('suspended and deregistered accounts cannot sign in with their passkeys; back in use, they can again', async () => {
  const { agent, accountId } = await person();
  const authenticator = new SoftAuthenticator(ORIGIN);
  await addPasskey(agent, authenticator, '手机');
  for (const state of ['suspended', 'deregistered'] as const) {
    await t.db.updateTable('accounts').set({ state }).where('id', '=', accountId).execute();
    const { page } = await signInWithPasskey(authenticator);
    assert.equal(page.status, 403, state);
    assert.match(page.text, /该帐号已停用，请联系客服。/, state);
    assert.equal((await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).execute()).length, 1, 'kept for a reversal');
  }
  await t.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
  assert.equal((await signInWithPasskey(authenticator)).page.status, 303);
});

test('malformed answers and names get a message and change nothing (no 5xx)', async () => {
  const { agent, accountId } = await person();
  await agent.get('/account/passkeys/new');
  for (const credential of ['', 'not json', '{}', JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', response: {} }), '"x"'.repeat(9000)]) {
    const page = await agent.submit('/account/passkeys', { name: '手机', credential });
    assert.equal(page.status, 400, credential.slice(0, 40));
    assert.match(page.text, /通行密钥数据无效|启用 JavaScript/);
  }
  const badName = await agent.postJson('/account/passkeys/options', { name: '' });
  assert.equal(badName.status, 400);
  assert.equal(badName.json.message, '请填写通行密钥的名称（不超过 40 个字）');
  const login = new Agent(t.app, { ip: t.nextIp() });
  await login.get('/login');
  for (const credential of [
    '',
    '[1]',
    JSON.stringify({ id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } }),
  ]) {
    const page = await login.submit('/login/passkey', { credential });
    assert.ok(page.status >= 400 && page.status < 500, `${page.status} for ${credential}`);
    assert.match(page.text, /通行密钥/);
  }
  assert.equal((await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).execute()).length, 0);
  // Without the CSRF token the options are not given.
  const noToken = await t.app.inject({ method: 'POST', url: '/login/passkey/options', payload: {} });
  assert.equal(noToken.statusCode, 403);
});

test('as a second factor: a challenge listing only the account’s passkeys, and an answer from another account’s refused', async () => {
  const deps = t.services.passkeys;
  const meta = { ip: '198.51.100.7', userAgent: null };
  const alice = await person();
  const bob = await person();
  assert.equal(await passkeyChallengeFor(deps, alice.accountId, 'b'.repeat(43), meta), undefined, 'no passkey, no challenge');
  const aliceKey = new SoftAuthenticator(ORIGIN);
  const bobKey = new SoftAuthenticator(ORIGIN);
  await addPasskey(alice.agent, aliceKey, 'Alice');
  await addPasskey(bob.agent, bobKey, 'Bob');

  const browser = 'c'.repeat(43);
  const options = (await passkeyChallengeFor(deps, alice.accountId, browser, meta))!;
  assert.deepEqual(
    options.allowCredentials?.map((c) => c.id),
    [aliceKey.credentials[0]!.id],
  );
  assert.equal(options.userVerification, 'required');
  const verified = await verifyPasskeyFor(deps, alice.accountId, browser, JSON.stringify(aliceKey.get(options)), meta);
  assert.equal(verified.accountId, alice.accountId);

  const again = (await passkeyChallengeFor(deps, alice.accountId, browser, meta))!;
  const bobs = bobKey.get({ ...again, allowCredentials: [] });
  await assert.rejects(verifyPasskeyFor(deps, alice.accountId, browser, JSON.stringify(bobs), meta), { code: 'passkeys.unknown' });
  // A challenge for one account's check does not serve another's.
  const third = (await passkeyChallengeFor(deps, alice.accountId, browser, meta))!;
  await assert.rejects(verifyPasskeyFor(deps, bob.accountId, browser, JSON.stringify(aliceKey.get(third)), meta), { code: 'passkeys.expired' });
});
