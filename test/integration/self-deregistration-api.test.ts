// The app's sign-in honours a cooling-off 注销帐号 as the web's does: POST /api/v1/sessions with
// the right password answers 409 leaving.cooling_off, in the person's language, with when the
// account goes and a live session to cancel with; POST /api/v1/account/deregistration/cancel
// cancels (撤销注销, the person told) and the next sign-in is an ordinary 201. Nothing to cancel
// is a 409 of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { apiClient } from '../helpers/api-client.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { Authenticator, shownKey } from '../helpers/authenticator.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const api = (token?: string, headers?: Record<string, string>) => apiClient(t.app, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });

test('an API sign-in while 注销帐号 cools off answers 409 with the way to cancel; cancelling gives the account back', async () => {
  const person = await t.registerPhone();
  const asked = await person.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
  assert.equal(asked.status, 200, asked.text);

  const login = await api().POST('/api/v1/sessions', { body: { username: person.phone, password: TEST_PASSWORD } });
  assert.equal(login.response.status, 409);
  const error = login.error!.error;
  assert.equal(error.code, 'leaving.cooling_off');
  assert.match(error.message, /帐号正在注销冷静期，将于 .* 注销。如需继续使用，请撤销注销/);
  const deregistration = error.deregistration!;
  assert.equal(deregistration.cancel, '/api/v1/account/deregistration/cancel');
  assert.equal(deregistration.accountId, person.accountId);
  const request = await t.db
    .selectFrom('self_deregistrations')
    .select(['state', 'due_at'])
    .where('account_id', '=', person.accountId)
    .executeTakeFirstOrThrow();
  assert.equal(new Date(deregistration.dueAt).getTime(), request.due_at.getTime());

  const en = await api(undefined, { 'accept-language': 'en' }).POST('/api/v1/sessions', { body: { username: person.phone, password: TEST_PASSWORD } });
  assert.equal(en.response.status, 409);
  assert.match(en.error!.error.message, /This account is in the cooling-off period of its deregistration/);

  // A wrong password is the ordinary refusal: the cooling-off says nothing to whoever does not know it.
  const wrong = await api().POST('/api/v1/sessions', { body: { username: person.phone, password: 'not the password at all' } });
  assert.equal(wrong.response.status, 401);
  assert.notEqual(wrong.error!.error.code, 'leaving.cooling_off');

  const cancelled = await api(deregistration.session.token).POST('/api/v1/account/deregistration/cancel');
  assert.equal(cancelled.response.status, 200);
  assert.deepEqual(cancelled.data, { cancelled: true, message: '已撤销注销，帐号恢复正常使用。', consentDue: false });
  assert.equal(deregistration.consentDue, false, 'nothing new to agree to');
  assert.equal(
    (await t.db.selectFrom('self_deregistrations').select('state').where('account_id', '=', person.accountId).executeTakeFirstOrThrow()).state,
    'cancelled',
  );
  assert.match((await t.latestMessageTo(person.phone))!.text, /撤销/);

  const again = await api(deregistration.session.token).POST('/api/v1/account/deregistration/cancel');
  assert.equal(again.response.status, 409);
  assert.equal(again.error!.error.code, 'leaving.nothing_to_cancel');
  assert.equal(again.error!.error.message, '没有可以撤销的注销申请。');

  const back = await api().POST('/api/v1/sessions', { body: { username: person.phone, password: TEST_PASSWORD } });
  assert.equal(back.response.status, 201);
  assert.equal(back.data!.accountId, person.accountId);
});

test('with a second factor, the 409 comes at the second step, where the session is made', async () => {
  const person = await t.registerPhone();
  const setup = await person.agent.get('/account/two-factor/setup');
  const authenticator = new Authenticator(shownKey(setup.body));
  assert.equal((await person.agent.submit('/account/two-factor/setup', { code: authenticator.codeAt(t.clock.now()) })).status, 200);
  const asked = await person.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
  assert.equal(asked.status, 200, asked.text);
  t.clock.advance(30_000);

  const first = await api().POST('/api/v1/sessions', { body: { username: person.phone, password: TEST_PASSWORD } });
  assert.equal(first.response.status, 401);
  assert.equal(first.error!.error.code, 'mfa.required');
  const pendingToken = first.error!.error.secondFactor!.pendingToken;
  const second = await api().POST('/api/v1/sessions/second-factor', { body: { pendingToken, code: authenticator.codeAt(t.clock.now()) } });
  assert.equal(second.response.status, 409);
  assert.equal(second.error!.error.code, 'leaving.cooling_off');
  const cancelled = await api(second.error!.error.deregistration!.session.token).POST('/api/v1/account/deregistration/cancel');
  assert.equal(cancelled.response.status, 200);
});
