// The JSON API beside the pages: same services, Bearer sessions, localised errors in one shape.
// Every call goes through the client typed by the committed OpenAPI types (api-client.ts), so a
// request or answer the document does not describe does not compile; what a typed client cannot
// send (malformed JSON, another content type, an unknown path) goes through inject directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { codeIn, latestMessageTo } from '../helpers/agent.ts';
import { apiClient } from '../helpers/api-client.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

const api = (token?: string, headers?: Record<string, string>) => apiClient(t.app, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });

/** `{ error: { code, message, fields? } }` and nothing else (captchaRequired only on sign-in). */
function assertErrorShape(body: unknown, code?: string): { code: string; message: string; fields?: Record<string, string> } {
  assert.ok(body && typeof body === 'object', `an error body: ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(body), ['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  assert.deepEqual(
    Object.keys(error).filter((k) => !['code', 'message', 'fields', 'captchaRequired'].includes(k)),
    [],
  );
  assert.equal(typeof error.code, 'string');
  assert.ok(typeof error.message === 'string' && error.message.length > 0);
  if (error.fields !== undefined) for (const message of Object.values(error.fields as object)) assert.equal(typeof message, 'string');
  if (code) assert.equal(error.code, code);
  return error as never;
}

async function registerPhone(phone: string, password: string) {
  const sent = await api().POST('/api/v1/registrations/phone/code', { body: { phone } });
  assert.equal(sent.response.status, 200);
  const code = codeIn((await latestMessageTo(t.app, phone))!.text);
  return api().POST('/api/v1/registrations/phone', { body: { phone, code, password, agree: true } });
}

test('register by phone, sign in, read the account, list and end sessions', async () => {
  const sent = await api().POST('/api/v1/registrations/phone/code', { body: { phone: '13600001234' } });
  assert.deepEqual(sent.data, { sentTo: '136****1234' });
  const code = codeIn((await latestMessageTo(t.app, '13600001234'))!.text);
  const reg = await api().POST('/api/v1/registrations/phone', { body: { phone: '13600001234', code, password: 'an api password', agree: true } });
  assert.equal(reg.response.status, 201);
  assert.match(reg.data!.session.token, /^[\w-]{43}$/);
  assert.equal(reg.data!.emailConfirmationSentTo, null);

  // The sign-in answer carries the session where the registration answer does.
  const login = await api().POST('/api/v1/sessions', { body: { username: '13600001234', password: 'an api password' } });
  assert.equal(login.response.status, 201);
  assert.equal(login.data!.accountId, reg.data!.accountId);
  assert.ok(new Date(login.data!.session.expiresAt).getTime() > Date.now());
  const token = login.data!.session.token;

  const me = await api(token).GET('/api/v1/account');
  assert.equal(me.response.status, 200);
  assert.equal(me.data!.maskedUsername, '136****1234');
  assert.equal(me.data!.state, 'active');
  assert.deepEqual(me.data!.phone, { masked: '136****1234', verified: true });
  assert.equal(me.data!.todo[0]!.key, 'home.todo_realname');
  assert.equal(me.data!.todo[0]!.message.length > 0, true);

  const sessions = await api(token).GET('/api/v1/sessions');
  assert.equal(sessions.data!.sessions.length, 2);
  const other = sessions.data!.sessions.find((s) => !s.current)!;
  assert.equal(typeof other.createdAt, 'string');
  const ended = await api(token).DELETE('/api/v1/sessions/{id}', { params: { path: { id: other.id } } });
  assert.equal(ended.response.status, 204);
  assertErrorShape((await api(reg.data!.session.token).GET('/api/v1/account')).error, 'error.unauthenticated');
  assert.equal((await api(token).DELETE('/api/v1/sessions/current')).response.status, 204);
  const after = await api(token).GET('/api/v1/account');
  assert.equal(after.response.status, 401);
  assertErrorShape(after.error, 'error.unauthenticated');
});

test('validation errors name each field with its message, in the asked language', async () => {
  const zh = await api().POST('/api/v1/registrations/phone/code', { body: { phone: '123' } });
  assert.equal(zh.response.status, 400);
  const error = assertErrorShape(zh.error, 'validation.failed');
  assert.deepEqual(error.fields, { phone: '请输入正确的 11 位手机号码' });
  const en = await api(undefined, { 'accept-language': 'en-US,en;q=0.9' }).POST('/api/v1/registrations/phone/code', { body: { phone: '123' } });
  assert.deepEqual(assertErrorShape(en.error).fields, { phone: 'Enter a valid 11-digit mainland mobile number' });

  const wrongType = await api().POST('/api/v1/sessions', { body: { username: ['a'], password: 1 } as never });
  assert.equal(wrongType.response.status, 400);
  assert.deepEqual(Object.keys(assertErrorShape(wrongType.error, 'validation.failed').fields!).sort(), ['password', 'username']);

  const denied = await api().POST('/api/v1/sessions', { body: { username: '13600009999', password: 'whatever it is' } });
  assert.equal(denied.response.status, 401);
  const deniedError = assertErrorShape(denied.error, 'login.failed');
  assert.equal(deniedError.message, '用户名或密码错误');
  assert.equal((deniedError as { captchaRequired?: boolean }).captchaRequired, false);
});

test('every kind of refusal answers the one error shape', async () => {
  const raw = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string> = {}, payload?: string) =>
    t.app.inject({ method, url, headers, remoteAddress: '203.0.113.51', ...(payload !== undefined ? { payload } : {}) });

  const unknownPath = await raw('GET', '/api/v1/nothing-here');
  assert.equal(unknownPath.statusCode, 404);
  assertErrorShape(unknownPath.json(), 'error.api_not_found');
  const unknownMethod = await raw('PUT', '/api/v1/account', { 'content-type': 'application/json' }, '{}');
  assert.equal(unknownMethod.statusCode, 404);
  assertErrorShape(unknownMethod.json());

  const malformed = await raw('POST', '/api/v1/sessions', { 'content-type': 'application/json' }, '{"username": ');
  assert.equal(malformed.statusCode, 400);
  assertErrorShape(malformed.json(), 'error.bad_request');
  const notJson = await raw('POST', '/api/v1/sessions', { 'content-type': 'text/plain' }, 'username=a');
  assert.equal(notJson.statusCode, 415);
  assertErrorShape(notJson.json(), 'error.json_only');
  const tooBig = await raw('POST', '/api/v1/sessions', { 'content-type': 'application/json' }, JSON.stringify({ username: 'a', password: 'x'.repeat(70_000) }));
  assert.equal(tooBig.statusCode, 413);
  assertErrorShape(tooBig.json(), 'error.too_large');

  // Authentication: none, a made-up token, and an account that may not sign in yet (403).
  assertErrorShape((await api().GET('/api/v1/inbox')).error, 'error.unauthenticated');
  assertErrorShape((await api('not-a-real-token').GET('/api/v1/sessions')).error, 'error.unauthenticated');
  await api().POST('/api/v1/registrations/email', { body: { email: 'pending@example.com', password: 'a pending password', agree: true } });
  const pending = await api().POST('/api/v1/sessions', { body: { username: 'pending@example.com', password: 'a pending password' } });
  assert.equal(pending.response.status, 403);
  assertErrorShape(pending.error, 'login.not_activated');

  // Not found inside a route, and a link that cannot activate.
  const reg = await registerPhone('13600002468', 'an api password');
  const token = reg.data!.session.token;
  const noSession = await api(token).DELETE('/api/v1/sessions/{id}', { params: { path: { id: 'not-a-uuid' } } });
  assert.equal(noSession.response.status, 404);
  assertErrorShape(noSession.error, 'sessions.not_found');
  const noItem = await api(token).POST('/api/v1/inbox/{id}/accept', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
  assert.equal(noItem.response.status, 404);
  assertErrorShape(noItem.error, 'inbox.not_found');
  const noIdentity = await api(token).GET('/api/v1/account/identity');
  assert.equal(noIdentity.response.status, 404);
  assertErrorShape(noIdentity.error, 'identity.missing');
  const badLink = await api().POST('/api/v1/activations', { body: { token: 'no-such-token', password: 'an api password' } });
  assert.equal(badLink.response.status, 400);
  assertErrorShape(badLink.error, 'activate.invalid');
});

test('too many requests answer 429 with Retry-After and the seed message', async () => {
  await api().POST('/api/v1/registrations/phone/code', { body: { phone: '13600005678' } });
  const again = await api().POST('/api/v1/registrations/phone/code', { body: { phone: '13600005678' } });
  assert.equal(again.response.status, 429);
  assert.ok(Number(again.response.headers.get('retry-after')) > 0);
  assert.match(assertErrorShape(again.error, 'rate.limited').message, /^操作过于频繁，操作被禁止/);
});

test('the API ignores the session cookie, so cross-site forms cannot use it', async () => {
  const reg = await registerPhone('13600004321', 'an api password');
  const res = await api(undefined, { cookie: `tx_session=${reg.data!.session.token}` }).GET('/api/v1/account');
  assert.equal(res.response.status, 401);
  assertErrorShape(res.error, 'error.unauthenticated');
});

test('activation through the API: the session where registration and sign-in put it', async () => {
  const reg = await api().POST('/api/v1/registrations/email', { body: { email: 'api@example.com', password: 'an api password', agree: true } });
  assert.equal(reg.response.status, 202);
  assert.deepEqual(reg.data, { sentTo: 'ap***@example.com' });
  const mail = await latestMessageTo(t.app, 'api@example.com');
  const token = /token=([\w-]+)/.exec(mail!.text)![1]!;
  const first = await api().POST('/api/v1/activations', { body: { token, password: 'an api password' } });
  assert.deepEqual([first.response.status, first.data!.status], [200, 'activated']);
  assert.match(first.data!.session!.token, /^[\w-]{43}$/);
  assert.equal((await api(first.data!.session!.token).GET('/api/v1/account')).data!.state, 'active');
  const second = await api().POST('/api/v1/activations', { body: { token, password: 'an api password' } });
  assert.deepEqual([second.response.status, second.data!.message, second.data!.session], [200, '该邮箱已激活，请不要重复操作', undefined]);
});
