// The JSON API beside the pages: same services, Bearer sessions, localised errors, OpenAPI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { codeIn, latestMessageTo } from '../helpers/agent.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

async function call(method: string, url: string, body?: unknown, token?: string, extra: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    remoteAddress: '203.0.113.50',
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, json: res.body ? res.json() : undefined, headers: res.headers };
}

test('register by phone, sign in, read the account, list and end sessions', async () => {
  const sent = await call('POST', '/api/v1/registrations/phone/code', { phone: '13600001234' });
  assert.equal(sent.status, 200);
  assert.deepEqual(sent.json, { sentTo: '136****1234' });
  const code = codeIn((await latestMessageTo(t.app, '13600001234'))!.text);
  const reg = await call('POST', '/api/v1/registrations/phone', { phone: '13600001234', code, password: 'an api password' });
  assert.equal(reg.status, 201);
  assert.match(reg.json.session.token, /^[\w-]{43}$/);

  const login = await call('POST', '/api/v1/sessions', { username: '13600001234', password: 'an api password' });
  assert.equal(login.status, 201);
  const token = login.json.token as string;
  const me = await call('GET', '/api/v1/account', undefined, token);
  assert.equal(me.status, 200);
  assert.equal(me.json.maskedUsername, '136****1234');
  assert.equal(me.json.state, 'active');
  assert.equal(me.json.todo[0].key, 'home.todo_realname');

  const sessions = await call('GET', '/api/v1/sessions', undefined, token);
  assert.equal(sessions.json.sessions.length, 2);
  const other = sessions.json.sessions.find((s: { current: boolean }) => !s.current);
  assert.equal((await call('DELETE', `/api/v1/sessions/${other.id}`, undefined, token)).status, 204);
  assert.equal((await call('GET', '/api/v1/account', undefined, reg.json.session.token)).status, 401);
  assert.equal((await call('DELETE', '/api/v1/sessions/current', undefined, token)).status, 204);
  assert.equal((await call('GET', '/api/v1/account', undefined, token)).status, 401);
});

test('errors name the field and speak the asked language', async () => {
  const zh = await call('POST', '/api/v1/registrations/phone/code', { phone: '123' });
  assert.equal(zh.status, 400);
  assert.equal(zh.json.error.fields.phone.code, 'phone.invalid');
  assert.equal(zh.json.error.fields.phone.message, '请输入正确的 11 位手机号码');
  const en = await call('POST', '/api/v1/registrations/phone/code?lang=en', { phone: '123' });
  assert.equal(en.json.error.fields.phone.message, 'Enter a valid 11-digit mainland mobile number');
  const wrongType = await call('POST', '/api/v1/sessions', { username: ['a'], password: 1 });
  assert.equal(wrongType.status, 400);
  const denied = await call('POST', '/api/v1/sessions', { username: '13600009999', password: 'whatever it is' });
  assert.equal(denied.status, 401);
  assert.equal(denied.json.error.message, '用户名或密码错误');
});

test('too many requests answer 429 with Retry-After and the seed message', async () => {
  await call('POST', '/api/v1/registrations/phone/code', { phone: '13600005678' });
  const again = await call('POST', '/api/v1/registrations/phone/code', { phone: '13600005678' });
  assert.equal(again.status, 429);
  assert.ok(Number(again.headers['retry-after']) > 0);
  assert.match(again.json.error.message, /^操作过于频繁，操作被禁止/);
});

test('the API ignores the session cookie, so cross-site forms cannot use it', async () => {
  const sent = await call('POST', '/api/v1/registrations/phone/code', { phone: '13600004321' });
  assert.equal(sent.status, 200);
  const code = codeIn((await latestMessageTo(t.app, '13600004321'))!.text);
  const reg = await call('POST', '/api/v1/registrations/phone', { phone: '13600004321', code, password: 'an api password' });
  const res = await call('GET', '/api/v1/account', undefined, undefined, { cookie: `tx_session=${reg.json.session.token}` });
  assert.equal(res.status, 401);
});

test('the OpenAPI document describes the API', async () => {
  const doc = await call('GET', '/api/openapi.json');
  assert.equal(doc.status, 200);
  assert.equal(doc.json.openapi.startsWith('3.'), true);
  for (const path of ['/api/v1/registrations/phone', '/api/v1/registrations/email', '/api/v1/sessions', '/api/v1/account', '/api/v1/activations']) {
    assert.ok(doc.json.paths[path], path);
  }
  const body = doc.json.paths['/api/v1/registrations/phone'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(Object.keys(body.properties).sort(), ['code', 'email', 'idNumber', 'idType', 'name', 'password', 'phone', 'reRegister']);
});

test('activation through the API answers each state', async () => {
  const reg = await call('POST', '/api/v1/registrations/email', { email: 'api@example.com', password: 'an api password' });
  assert.equal(reg.status, 202);
  const mail = await latestMessageTo(t.app, 'api@example.com');
  const token = /token=([\w-]+)/.exec(mail!.text)![1];
  const first = await call('POST', '/api/v1/activations', { token, password: 'an api password' });
  assert.deepEqual([first.status, first.json.status], [200, 'activated']);
  assert.match(first.json.session.token, /^[\w-]{43}$/);
  const second = await call('POST', '/api/v1/activations', { token, password: 'an api password' });
  assert.deepEqual([second.status, second.json.message], [200, '该邮箱已激活，请不要重复操作']);
});
