// The ID number's separate consent names who receives the name and number for the registry check
// (IDENTITY_VERIFIER_OPERATOR), and the record keeps that name; without a registry check the
// wording says that the number goes to no one for checking. A real HTTP verifier on loopback
// shows what it received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const OPERATOR = '某某身份核验服务有限公司';
let ids = 0;
const nextIdNumber = () => {
  const body = `33010219910606${String(100 + ++ids).padStart(3, '0')}`;
  return body + mod11_2(body);
};

let registry: Server;
const received: Array<{ name: string; idNumber: string }> = [];
let checked: TestInstance;
let unchecked: TestInstance;

before(async () => {
  registry = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as { name: string; idNumber: string });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ match: true }));
    });
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/check`;
  checked = await getTestInstance({ env: { IDENTITY_VERIFIER_URL: url, IDENTITY_VERIFIER_SECRET: 'v'.repeat(24), IDENTITY_VERIFIER_OPERATOR: OPERATOR } });
  unchecked = await getTestInstance();
});

after(async () => {
  await checked?.close();
  await unchecked?.close();
  await new Promise<void>((resolve) => registry.close(() => resolve()));
});

const idConsents = (t: TestInstance, accountId: string) =>
  t.db
    .selectFrom('consent_records')
    .select(['version', 'purpose_params'])
    .where('account_id', '=', accountId)
    .where('document', '=', 'sensitive:id_number')
    .execute();

test('with a registry check the consent names its operator, in both languages, and the record keeps the name', async () => {
  const person = await checked.registerPhone();
  const form = await person.agent.get('/account/identity');
  assert.match(form.text, new RegExp(`将我的姓名和证件号码提供给身份核验服务提供者「${OPERATOR}」，由其与公安机关的身份信息比对`));
  const registration = await checked.app.inject({ method: 'GET', url: '/register/phone' });
  assert.match(registration.body, new RegExp(`「${OPERATOR}」`));
  const english = await checked.app.inject({ method: 'GET', url: '/register/phone', headers: { 'accept-language': 'en' } });
  assert.match(english.body, new RegExp(`giving my name and ID number to the identity-check provider “${OPERATOR}”`));

  const idNumber = nextIdNumber();
  const saved = await person.agent.submit('/account/identity', { name: '赵核验', idType: 'resident_id', idNumber, agreeSensitive: '1' });
  assert.equal(saved.status, 200);
  assert.deepEqual(await idConsents(checked, person.accountId), [{ version: '2', purpose_params: { operator: OPERATOR } }]);
  // What the named operator received: the name and the whole number, as the consent says.
  const sent = received.find((r) => r.idNumber === idNumber);
  assert.equal(sent?.name, '赵核验');
});

test('without a registry check the consent says the number goes to no one for checking; nothing is named', async () => {
  const person = await unchecked.registerPhone();
  const form = await unchecked.app.inject({ method: 'GET', url: '/register/phone' });
  assert.match(form.body, /用于核对证件号码的格式/);
  assert.match(form.body, /通行不把我的姓名和证件号码交给其他机构核验/);
  assert.doesNotMatch(form.body, /身份核验服务提供者|\{operator\}/);
  const saved = await person.agent.submit('/account/identity', { name: '钱格式', idType: 'resident_id', idNumber: nextIdNumber(), agreeSensitive: '1' });
  assert.equal(saved.status, 200);
  assert.deepEqual(await idConsents(unchecked, person.accountId), [{ version: '2', purpose_params: null }]);
});

test('the policy names who receives what, the identity check and captcha vendors among them, and lists what is collected', async () => {
  const zh = await unchecked.app.inject({ method: 'GET', url: '/legal/privacy' });
  for (const said of [
    /身份核验服务提供者<\/strong>（本站开通证件信息联网核查时）：你的姓名、证件类型和完整的证件号码/,
    /验证码服务商<\/strong>（本站改用腾讯云验证码、极验或阿里云验证码时）/,
    /你在该平台的标识和昵称/,
    /客服工单<\/strong>：你写下的问题和回复、上传的图片/,
    /学校和在读年份/,
    /企业帐号<\/strong>：企业名称、统一社会信用代码，联系人的姓名、手机号和电子邮箱/,
    /通行密钥<\/strong>：添加通行密钥时，你的设备生成的公钥和凭据标识/,
  ])
    assert.match(zh.body, said);
  const en = await unchecked.app.inject({ method: 'GET', url: '/legal/privacy', headers: { 'accept-language': 'en' } });
  for (const said of [
    /The identity-check provider<\/strong>/,
    /The captcha provider<\/strong>/,
    /your identifier and nickname/,
    /Passkeys<\/strong>/,
    /Enterprise accounts<\/strong>/,
  ])
    assert.match(en.body, said);
});
