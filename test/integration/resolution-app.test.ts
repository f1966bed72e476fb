// 途径1 over HTTP: the QR page and its status, the app's API (same account's Bearer session,
// signed verdicts only, single use, 5 minutes), and the development page that plays the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { signVerdict } from '../../src/resolution/liveness.ts';
import { MINUTE } from '../../src/lib/clock.ts';

const LIVENESS_SECRET = 'q'.repeat(40);
let t: TestInstance;
const PASSWORD = 'app path password';
const id = (seq: number) => {
  const body = `35020319970303${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    env: { LIVENESS_SECRET },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

const api = (token: string, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as Record<string, unknown> });

async function startQr(agent: Agent) {
  const page = await agent.submit('/account/resolution/app', { acknowledge: '1' }, { from: '/account/resolution/app' });
  assert.equal(page.status, 200, page.text);
  const link = /<a href="\/dev\/liveness\?token=([^"]+)"/.exec(page.body)?.[1];
  const session = /status\.json\?session=([0-9a-f-]{36})/.exec(page.body)?.[1];
  assert.ok(link && session, 'the page shows the code and polls its status');
  assert.match(page.body, /<svg[^>]*>/, 'a QR code drawn on the server');
  return { token: link, session, page };
}

const status = async (agent: Agent, session: string) =>
  JSON.parse((await agent.get(`/account/resolution/app/status.json?session=${session}`)).body) as { state: string; message: string };

test('the app posts a signed verdict; a forged one fails and spends the code; the real one passes', async () => {
  const owner = await register({ name: '何一', idNumber: id(1) });
  const claimant = await register({ name: '何一', idNumber: id(1), reRegister: '1' });
  const appToken = await t.apiToken(claimant.phone, PASSWORD);

  const first = await startQr(claimant.agent);
  assert.match(first.page.text, /请用通行 APP 扫描下方二维码/);
  assert.deepEqual(await status(claimant.agent, first.session), { state: 'pending', message: '等待 APP 完成验证……' });
  const started = await api(appToken, '/api/v1/liveness/start', { token: first.token });
  assert.equal(started.statusCode, 200);
  const reference = (started.json() as { reference: string }).reference;
  const forged = await api(appToken, '/api/v1/liveness/result', {
    token: first.token,
    result: { reference, passed: true, issuedAt: t.clock.now().toISOString(), signature: 'a'.repeat(64) },
  });
  assert.deepEqual(forged.json(), { passed: false, reason: 'bad_signature' });
  assert.equal((await status(claimant.agent, first.session)).state, 'failed');
  const replay = await api(appToken, '/api/v1/liveness/result', {
    token: first.token,
    result: signVerdict(Buffer.from(LIVENESS_SECRET), { reference, passed: true, issuedAt: t.clock.now().toISOString() }),
  });
  assert.equal(replay.statusCode, 410, 'a code is used once');

  const second = await startQr(claimant.agent);
  const otherPerson = await register({ name: '吕二', idNumber: id(2) });
  assert.equal(
    (await api(await t.apiToken(otherPerson.phone, PASSWORD), '/api/v1/liveness/start', { token: second.token })).statusCode,
    410,
    "another account's app cannot use it",
  );
  const ref2 = ((await api(appToken, '/api/v1/liveness/start', { token: second.token })).json() as { reference: string }).reference;
  const wrongSession = signVerdict(Buffer.from(LIVENESS_SECRET), { reference: first.session, passed: true, issuedAt: t.clock.now().toISOString() });
  assert.deepEqual((await api(appToken, '/api/v1/liveness/result', { token: second.token, result: wrongSession })).json(), {
    passed: false,
    reason: 'other_session',
  });

  const third = await startQr(claimant.agent);
  const ref3 = ((await api(appToken, '/api/v1/liveness/start', { token: third.token })).json() as { reference: string }).reference;
  assert.notEqual(ref3, ref2);
  const passed = await api(appToken, '/api/v1/liveness/result', {
    token: third.token,
    result: signVerdict(Buffer.from(LIVENESS_SECRET), { reference: ref3, passed: true, issuedAt: t.clock.now().toISOString() }),
  });
  assert.deepEqual(passed.json(), { passed: true, deregistered: 1 });
  assert.equal((await status(claimant.agent, third.session)).state, 'passed');
  assert.match((await claimant.agent.get('/account/resolution')).text, /通过（APP自助验证）/);
  const old = await t.db
    .selectFrom('released_contacts')
    .innerJoin('accounts', 'accounts.id', 'released_contacts.account_id')
    .select('accounts.state')
    .where('released_contacts.value', '=', owner.phone)
    .executeTakeFirstOrThrow();
  assert.equal(old.state, 'deregistered');
  const decrypted = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'identity.decrypted').execute();
  assert.ok(decrypted.length >= 2, 'the ID number read for the provider is audited');
});

test('a code lasts 5 minutes', async () => {
  await register({ name: '施三', idNumber: id(3) });
  const claimant = await register({ name: '施三', idNumber: id(3), reRegister: '1' });
  const qr = await startQr(claimant.agent);
  t.clock.advance(5 * MINUTE + 1_000);
  assert.equal((await status(claimant.agent, qr.session)).state, 'expired');
  assert.equal((await api(await t.apiToken(claimant.phone, PASSWORD), '/api/v1/liveness/start', { token: qr.token })).statusCode, 410);
});

test('the development page plays the app: a simulated failure, then a pass', async () => {
  await register({ name: '张四', idNumber: id(4) });
  const claimant = await register({ name: '张四', idNumber: id(4), reRegister: '1' });
  const phoneBrowser = new Agent(t.app, { ip: '198.18.42.1' });
  const failing = await startQr(claimant.agent);
  await phoneBrowser.get(`/dev/liveness?token=${failing.token}`);
  const failed = await phoneBrowser.submit('/dev/liveness', { token: failing.token, verdict: 'fail' });
  assert.match(failed.text, /APP 已提交验证结果：failed/);
  assert.match((await claimant.agent.get(`/account/resolution/app?session=${failing.session}`)).text, /实人验证未通过/);

  const passing = await startQr(claimant.agent);
  await phoneBrowser.get(`/dev/liveness?token=${passing.token}`);
  const ok = await phoneBrowser.submit('/dev/liveness', { token: passing.token, verdict: 'pass' });
  assert.match(ok.text, /APP 已提交验证结果：passed/);
  assert.equal((await status(claimant.agent, passing.session)).state, 'passed');
});

test('the face check asks its own consent first; without it no session starts, with it the consent is recorded', async () => {
  await register({ name: '何同意', idNumber: id(90) });
  const claimant = await register({ name: '何同意', idNumber: id(90), reRegister: '1' });
  const form = await claimant.agent.get('/account/resolution/app');
  // The consent names who runs the check and what goes to them (the simulator, here).
  assert.match(form.text, /我同意通行将我的姓名和证件号码提供给人脸核验服务提供者「通行人脸核验模拟器（开发用）」，由其采集我的人脸信息（敏感个人信息）/);
  const refused = await claimant.agent.submit('/account/resolution/app', { acknowledge: '1' }, { consent: false });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /请先勾选同意处理这项敏感个人信息/);
  const sessions = () => t.db.selectFrom('liveness_sessions').select('id').where('account_id', '=', claimant.accountId).execute();
  assert.equal((await sessions()).length, 0);

  await startQr(claimant.agent);
  assert.equal((await sessions()).length, 1);
  const consents = await t.db
    .selectFrom('consent_records')
    .select(['document', 'version'])
    .where('account_id', '=', claimant.accountId)
    .where('document', '=', 'sensitive:liveness')
    .execute();
  assert.deepEqual(consents, [{ document: 'sensitive:liveness', version: '2' }]);
});
