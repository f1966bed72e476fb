// The API operations api.test.ts does not call, driven through the same typed client
// (api-client.ts): the captcha, the activation resend, saving real-name information, the
// binding operations (phone, email, classmate), the inbox's decisions and the app's liveness
// check. Each has one success, asserted on what the person sees (the answer, the database, the
// dev outbox), and one refusal in the one error shape. Outside production an answer with a field
// or status its schema does not declare fails with 500, so each success also checks the contract.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { codeIn, type Agent } from '../helpers/agent.ts';
import { apiClient } from '../helpers/api-client.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import { FRESH_SIGN_IN_MS } from '../../src/sessions/freshness.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

/** Every client comes from its own address, so one test's per-IP limits never count another's. */
const api = (token?: string, headers?: Record<string, string>) =>
  apiClient(t.app, { ip: t.nextIp(), ...(token ? { token } : {}), ...(headers ? { headers } : {}) });

/** `{ error: { code, message, fields? } }` and nothing else (captchaRequired only on sign-in). */
function assertErrorShape(body: unknown, code: string): { code: string; message: string; fields?: Record<string, string> } {
  assert.ok(body && typeof body === 'object', `an error body: ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(body), ['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  assert.deepEqual(
    Object.keys(error).filter((k) => !['code', 'message', 'fields'].includes(k)),
    [],
  );
  assert.ok(typeof error.message === 'string' && error.message.length > 0);
  if (error.fields !== undefined) for (const message of Object.values(error.fields as object)) assert.equal(typeof message, 'string');
  assert.equal(error.code, code, JSON.stringify(body));
  return error as never;
}

let ids = 0;
const nextIdNumber = () => {
  const body = `44030419900101${String(100 + ++ids).padStart(3, '0')}`;
  return body + mod11_2(body);
};

/** Registered by phone with real-name information on the form: the phone is proved, the name bound. */
const boundPhoneAccount = async (name: string, idNumber = nextIdNumber(), reRegister = false) => {
  const person = await t.registerPhone({ fields: { name, idType: 'resident_id', idNumber, ...(reRegister ? { reRegister: '1' } : {}) } });
  return { ...person, token: await t.apiToken(person.phone) };
};

/** Registered by email, real-name information saved: not bound until a phone is proved. */
const unboundEmailAccount = async (email: string, name: string) => {
  const person = await t.registerEmail(email);
  await t.saveRealName(person.agent, { name, idNumber: nextIdNumber() });
  return { ...person, token: await t.apiToken(email) };
};

const accountRow = (id: string) =>
  t.db
    .selectFrom('accounts')
    .select(['state', 'phone', 'phone_verified_at', 'email', 'email_verified_at', 'realname_bound_at', 'realname_bound_via'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

test('POST /api/v1/captchas: a picture and a proof-of-work challenge; an unknown form is refused', async () => {
  const made = await api().POST('/api/v1/captchas', { body: { form: 'send_code' } });
  assert.equal(made.response.status, 200);
  assert.match(made.data!.id, /^[0-9a-f-]{36}$/);
  assert.match(made.data!.image, /^data:image\/png;base64,iVBORw0KGgo/);
  assert.ok(made.data!.pow && typeof made.data!.pow === 'object', 'proof of work is on outside production');
  const row = await t.db.selectFrom('captchas').select('id').where('id', '=', made.data!.id).executeTakeFirst();
  assert.ok(row, 'the captcha is kept to check its answer');

  const refused = await api().POST('/api/v1/captchas', { body: { form: 'no_such_form' as never } });
  assert.equal(refused.response.status, 400);
  assert.deepEqual(Object.keys(assertErrorShape(refused.error, 'validation.failed').fields!), ['form']);
});

test('POST /api/v1/registrations/email/resend: a new activation link; an address that is not one is refused', async () => {
  const email = 'resend.api@example.com';
  const registered = await api().POST('/api/v1/registrations/email', { body: { email, password: TEST_PASSWORD, agree: true } });
  assert.equal(registered.response.status, 202);
  const firstLink = /token=([\w-]+)/.exec((await t.latestMessageTo(email))!.text)![1]!;

  // Messages are listed newest first by their time.
  t.clock.advance(MINUTE);
  const resent = await api().POST('/api/v1/registrations/email/resend', { body: { email } });
  assert.equal(resent.response.status, 202);
  assert.deepEqual(resent.data, { accepted: true });
  const mails = await t.messagesTo(email);
  assert.equal(mails.length, 2);
  const secondLink = /token=([\w-]+)/.exec(mails[0]!.text)![1]!;
  assert.notEqual(secondLink, firstLink);
  const activated = await api().POST('/api/v1/activations', { body: { token: secondLink, password: TEST_PASSWORD } });
  assert.equal(activated.data!.status, 'activated');

  const malformed = await api().POST('/api/v1/registrations/email/resend', { body: { email: 'not an address' } });
  assert.equal(malformed.response.status, 400);
  assert.deepEqual(Object.keys(assertErrorShape(malformed.error, 'validation.failed').fields!), ['email']);
});

test('POST /api/v1/account/identity: saved once and bound by the proved phone; a second save is refused', async () => {
  const person = await t.registerPhone();
  const token = await t.apiToken(person.phone);
  const saved = await api(token).POST('/api/v1/account/identity', {
    body: { name: '郑保存', idType: 'resident_id', idNumber: nextIdNumber(), agreeSensitive: true },
  });
  assert.equal(saved.response.status, 201);
  assert.equal(saved.data!.outcome, 'owner');
  assert.equal(saved.data!.accountState, 'active');
  assert.equal(saved.data!.identity.name, '郑保存');
  assert.equal(saved.data!.identity.idType, 'resident_id');
  assert.match(saved.data!.identity.masked, /\*/);
  const mine = await api(token).GET('/api/v1/account/identity');
  assert.equal(mine.data!.bound, true);
  assert.equal((await accountRow(person.accountId)).realname_bound_via, 'phone');

  const again = await api(token).POST('/api/v1/account/identity', {
    body: { name: '郑保存', idType: 'resident_id', idNumber: nextIdNumber(), agreeSensitive: true },
  });
  assert.equal(again.response.status, 409);
  assertErrorShape(again.error, 'identity.already_saved');
});

test('POST /api/v1/account/binding/phone/code and /phone: the code by SMS binds the phone and the real name', async () => {
  const person = await unboundEmailAccount('bind.phone@example.com', '冯绑定');
  const phone = t.nextPhone();
  const sent = await api(person.token).POST('/api/v1/account/binding/phone/code', { body: { phone } });
  assert.equal(sent.response.status, 200);
  assert.deepEqual(sent.data, { sentTo: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
  const code = codeIn((await t.latestMessageTo(phone))!.text);

  const wrong = await api(person.token).POST('/api/v1/account/binding/phone', { body: { phone, code: code === '000000' ? '111111' : '000000' } });
  assert.equal(wrong.response.status, 400);
  const wrongError = assertErrorShape(wrong.error, 'code.wrong');
  assert.deepEqual(wrongError.fields, { code: wrongError.message });
  assert.match(wrongError.message, /校验码错误，还可以尝试 4 次/);
  assert.equal((await accountRow(person.accountId)).phone_verified_at, null);

  const bound = await api(person.token).POST('/api/v1/account/binding/phone', { body: { phone, code } });
  assert.equal(bound.response.status, 204);
  const row = await accountRow(person.accountId);
  assert.equal(row.phone, phone);
  assert.ok(row.phone_verified_at);
  assert.equal(row.realname_bound_via, 'phone');
  assert.equal((await api(person.token).GET('/api/v1/account')).data!.realnameBound, true);
});

test('binding refusals: real-name information first, a proved phone stays, a stale session signs in again', async () => {
  const person = await t.registerPhone();
  const token = await t.apiToken(person.phone);
  const noIdentity = await api(token).POST('/api/v1/account/binding/email/code', { body: { email: 'first.things@example.com' } });
  assert.equal(noIdentity.response.status, 409);
  assertErrorShape(noIdentity.error, 'binding.identity_first');

  const bound = await boundPhoneAccount('褚已绑');
  const phoneTwice = await api(bound.token).POST('/api/v1/account/binding/phone/code', { body: { phone: t.nextPhone() } });
  assert.equal(phoneTwice.response.status, 409);
  assertErrorShape(phoneTwice.error, 'binding.already_bound');

  t.clock.advance(FRESH_SIGN_IN_MS + 1_000);
  const stale = await api(bound.token).POST('/api/v1/account/binding/email', { body: { email: 'stale@example.com', code: '123456' } });
  assert.equal(stale.response.status, 401);
  assertErrorShape(stale.error, 'settings.reauth_required');
});

test('POST /api/v1/account/binding/email/code and /email: the code by email binds the address', async () => {
  const person = await boundPhoneAccount('卫邮箱');
  const email = 'bind.email@example.com';
  const sent = await api(person.token).POST('/api/v1/account/binding/email/code', { body: { email } });
  assert.equal(sent.response.status, 200);
  assert.deepEqual(sent.data, { sentTo: 'bi***@example.com' });
  const code = codeIn((await t.latestMessageTo(email))!.text);
  const bound = await api(person.token).POST('/api/v1/account/binding/email', { body: { email, code } });
  assert.equal(bound.response.status, 204);
  const row = await accountRow(person.accountId);
  assert.equal(row.email, email);
  assert.ok(row.email_verified_at);
  assert.deepEqual((await api(person.token).GET('/api/v1/account')).data!.email, { masked: 'bi***@example.com', verified: true });
  // The proved phone hears that an address was added.
  assert.match((await t.latestMessageTo(person.phone))!.text, /bi\*\*\*@example\.com/);

  const spent = await api(person.token).POST('/api/v1/account/binding/email', { body: { email, code } });
  assert.equal(spent.response.status, 409);
  assertErrorShape(spent.error, 'binding.already_bound');
});

test('POST /api/v1/account/binding/classmate, then the classmate declines and accepts in the inbox', async () => {
  const classmate = await boundPhoneAccount('蒋同学');
  const requester = await unboundEmailAccount('classmate.api@example.com', '沈请求');
  const ownPhone = '13912345678';

  const stranger = await api(requester.token).POST('/api/v1/account/binding/classmate', {
    body: { classmateName: '蒋同學', classmatePhone: classmate.phone, ownPhone },
  });
  assert.equal(stranger.response.status, 404);
  assertErrorShape(stranger.error, 'classmate.not_found');

  const asked = await api(requester.token).POST('/api/v1/account/binding/classmate', {
    body: { classmateName: '蒋同学', classmatePhone: classmate.phone, ownPhone },
  });
  assert.equal(asked.response.status, 202);
  assert.deepEqual(asked.data, { sent: true });
  const inbox = await api(classmate.token).GET('/api/v1/inbox');
  assert.equal(inbox.response.status, 200);
  const item = inbox.data!.items[0]!;
  assert.deepEqual([item.kind, item.state, item.read], ['classmate_binding', 'pending', false]);
  assert.match(item.message, /同学 沈请求（手机号 139\*\*\*\*5678）请求您协助完成实名信息绑定/);

  const twice = await api(requester.token).POST('/api/v1/account/binding/classmate', {
    body: { classmateName: '蒋同学', classmatePhone: classmate.phone, ownPhone },
  });
  assert.equal(twice.response.status, 409);
  assertErrorShape(twice.error, 'classmate.pending');

  const declined = await api(classmate.token).POST('/api/v1/inbox/{id}/decline', { params: { path: { id: item.id } } });
  assert.equal(declined.response.status, 204);
  assert.equal((await api(classmate.token).GET('/api/v1/inbox')).data!.items[0]!.state, 'declined');
  assert.equal((await accountRow(requester.accountId)).realname_bound_at, null);
  const declinedAgain = await api(classmate.token).POST('/api/v1/inbox/{id}/decline', { params: { path: { id: item.id } } });
  assert.equal(declinedAgain.response.status, 409);
  assertErrorShape(declinedAgain.error, 'inbox.already_decided');
  const notMine = await api(requester.token).POST('/api/v1/inbox/{id}/decline', { params: { path: { id: item.id } } });
  assert.equal(notMine.response.status, 404);
  assertErrorShape(notMine.error, 'inbox.not_found');

  // Asked again, the classmate confirms: the requester's real name is bound by the classmate.
  const askedAgain = await api(requester.token).POST('/api/v1/account/binding/classmate', {
    body: { classmateName: '蒋同学', classmatePhone: classmate.phone, ownPhone },
  });
  assert.equal(askedAgain.response.status, 202);
  const second = (await api(classmate.token).GET('/api/v1/inbox')).data!.items.find((i) => i.state === 'pending')!;
  const accepted = await api(classmate.token).POST('/api/v1/inbox/{id}/accept', { params: { path: { id: second.id } } });
  assert.equal(accepted.response.status, 204);
  assert.equal((await accountRow(requester.accountId)).realname_bound_via, 'classmate');
  assert.equal((await api(requester.token).GET('/api/v1/account')).data!.realnameBound, true);
});

/** The claimant's page starts 途径1: the QR code's token, as the app scans it. */
async function startQr(agent: Agent) {
  const page = await agent.submit('/account/resolution/app', { acknowledge: '1' }, { from: '/account/resolution/app' });
  assert.equal(page.status, 200, page.text);
  const token = /<a href="\/dev\/liveness\?token=([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token, 'the page shows the code');
  return token;
}

test('POST /api/v1/liveness/start and /result: the app passes the check and the old account goes', async () => {
  const idNumber = nextIdNumber();
  const owner = await boundPhoneAccount('韩本人', idNumber);
  const claimant = await boundPhoneAccount('韩本人', idNumber, true);
  assert.equal((await api(claimant.token).GET('/api/v1/account')).data!.state, 'needs_verification');
  const qr = await startQr(claimant.agent);

  const unknown = await api(claimant.token).POST('/api/v1/liveness/start', { body: { token: 'x'.repeat(43) } });
  assert.equal(unknown.response.status, 410);
  assertErrorShape(unknown.error, 'app.token_invalid');
  const notTheirs = await api(owner.token).POST('/api/v1/liveness/start', { body: { token: qr } });
  assert.equal(notTheirs.response.status, 410);
  assertErrorShape(notTheirs.error, 'app.token_invalid');

  const started = await api(claimant.token).POST('/api/v1/liveness/start', { body: { token: qr } });
  assert.equal(started.response.status, 200);
  assert.match(started.data!.reference, /^[0-9a-f-]{36}$/);
  assert.equal(started.data!.provider, 'simulator');
  assert.ok(new Date(started.data!.expiresAt).getTime() > t.clock.now().getTime());
  assert.equal(started.data!.params.reference, started.data!.reference);

  const verdict = t.services.liveness.simulator!.sign({ reference: started.data!.reference, passed: true, issuedAt: t.clock.now().toISOString() });
  const result = await api(claimant.token).POST('/api/v1/liveness/result', { body: { token: qr, result: { ...verdict } } });
  assert.equal(result.response.status, 200);
  assert.deepEqual(result.data, { passed: true, deregistered: 1 });
  assert.equal((await api(claimant.token).GET('/api/v1/account')).data!.state, 'active');
  assert.equal((await accountRow(owner.accountId)).state, 'deregistered');

  const replay = await api(claimant.token).POST('/api/v1/liveness/result', { body: { token: qr, result: { ...verdict } } });
  assert.equal(replay.response.status, 410);
  assertErrorShape(replay.error, 'app.token_invalid');
});
