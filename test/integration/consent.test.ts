// Consent records (PIPL art. 14–15, 29): 我已阅读并同意《用户协议》《个人信息保护政策》 at every way in,
// the versions kept, a new version asked for at the next sign-in, and the separate consent beside
// the ID number. Asserts what the page says and what consent_records holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, activateByLink, codeIn } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { LEGAL_ROOT, loadLegalDocuments } from '../../src/consent/documents.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

let ids = 0;
const nextIdNumber = () => {
  const body = `32010219920505${String(100 + ++ids).padStart(3, '0')}`;
  return body + mod11_2(body);
};

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

const consentsOf = (accountId: string) =>
  t.db
    .selectFrom('consent_records')
    .select(['document', 'version', 'ip'])
    .where('account_id', '=', accountId)
    .orderBy('accepted_at')
    .orderBy('document')
    .execute();

/** A copy of the shipped documents with the user agreement at `version` (what an operator publishes). */
function legalDirWithTerms(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-legal-'));
  cpSync(LEGAL_ROOT, dir, { recursive: true });
  for (const lang of ['zh-CN', 'en']) {
    const file = join(dir, lang, 'terms.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^version: .*$/m, `version: ${version}`)
        .replace(/\n## 一、|\n## 1\. /, (m) => `\n新增条款 ${version}。\n${m}`),
    );
  }
  return dir;
}

test('/legal/terms and /legal/privacy: each document in the reader’s language with its version; an unknown one is a 404', async () => {
  const versions = t.services.accounts.legal.versions;
  const terms = await new Agent(t.app).get('/legal/terms');
  assert.equal(terms.status, 200);
  assert.match(terms.text, /用户协议/);
  assert.match(terms.text, new RegExp(`版本：${versions.terms}`));
  assert.match(terms.body, /href="\/legal\/privacy"/);
  const english = await new Agent(t.app, { headers: { 'accept-language': 'en' } }).get('/legal/privacy');
  assert.match(english.text, /Personal information policy/);
  assert.match(english.text, new RegExp(`Version: ${versions.privacy}`));
  const unknown = await new Agent(t.app).get('/legal/cookies');
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /没有这份文件/);
});

test('phone registration without the tick is refused with the message and creates nothing; with it the versions are recorded', async () => {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const phone = t.nextPhone();
  const form = await agent.get('/register/phone');
  assert.match(form.text, /我已阅读并同意\s*《用户协议》\s*《个人信息保护政策》/);
  assert.doesNotMatch(form.body, /name="agree" value="1" checked/, 'never ticked in advance');
  await agent.submit('/register/phone/code', { phone });
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const refused = await agent.submit('/register/phone', { phone, code, password: TEST_PASSWORD }, { consent: false });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /请先阅读并勾选同意《用户协议》《个人信息保护政策》/);
  assert.match(refused.body, /href="#f-agree"/, 'the summary links to the tick');
  assert.equal(await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirst(), undefined);

  const done = await agent.submit('/register/phone', { phone, code, password: TEST_PASSWORD, agree: '1' });
  assert.equal(done.status, 303);
  const accountId = await t.accountIdOf({ phone });
  const { versions } = t.services.accounts.legal;
  assert.deepEqual(
    (await consentsOf(accountId)).map((r) => [r.document, r.version, r.ip]),
    [
      ['privacy', versions.privacy, agent.ip],
      ['terms', versions.terms, agent.ip],
    ],
  );
});

test('email and enterprise registration and the API ask for the same agreement', async () => {
  const email = new Agent(t.app, { ip: t.nextIp() });
  const refused = await email.submit(
    '/register/email',
    { email: 'no-tick@example.edu.cn', password: TEST_PASSWORD },
    { from: '/register/email', consent: false },
  );
  assert.equal(refused.status, 400);
  assert.match(refused.text, /请先阅读并勾选同意/);
  assert.equal(await t.db.selectFrom('accounts').select('id').where('email', '=', 'no-tick@example.edu.cn').executeTakeFirst(), undefined);
  const made = await email.submit('/register/email', { email: 'ticked@example.edu.cn', password: TEST_PASSWORD });
  assert.equal(made.status, 200);
  const pending = await t.accountIdOf({ email: 'ticked@example.edu.cn' });
  assert.deepEqual((await consentsOf(pending)).map((r) => r.document).sort(), ['privacy', 'terms']);

  const enterprise = new Agent(t.app, { ip: t.nextIp() });
  const noTick = await enterprise.submit(
    '/register/enterprise',
    { enterpriseName: '示例科技有限公司', creditCode: '91110108MA01ABCD2X', contactName: '王经理', email: 'corp@example.edu.cn', password: TEST_PASSWORD },
    { from: '/register/enterprise', consent: false },
  );
  assert.equal(noTick.status, 400);
  assert.match(noTick.text, /请先阅读并勾选同意/);

  const api = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registrations/email',
    remoteAddress: t.nextIp(),
    headers: { 'accept-language': 'en' },
    payload: { email: 'api-no-tick@example.edu.cn', password: TEST_PASSWORD, agree: false },
  });
  assert.equal(api.statusCode, 400);
  assert.match(api.json().error.fields.agree, /tick your agreement/);
});

test('a new version of the user agreement is asked for at the next sign-in, keeping where the sign-in was going', async () => {
  const { phone, accountId } = await t.registerPhone();
  const shipped = t.services.accounts.legal;
  t.services.accounts.legal = loadLegalDocuments(legalDirWithTerms('2027-01-15'));
  try {
    const { agent, page } = await t.signIn(phone);
    assert.equal(page.status, 303);
    assert.equal(page.location, '/consent');
    const ask = await agent.get('/consent');
    assert.equal(ask.status, 200);
    assert.match(ask.text, /协议已更新/);
    assert.match(ask.text, /版本：2027-01-15/);
    assert.match(ask.text, /新增条款 2027-01-15/);
    assert.match(ask.text, new RegExp(`您此前同意的版本：${shipped.versions.terms}`));
    assert.doesNotMatch(ask.body, /id="renew-privacy"/, 'the unchanged policy is not asked again');

    // A page shown before yet another version appeared records nothing and asks again.
    const stale = await agent.submit('/consent', { version_terms: shipped.versions.terms, version_privacy: shipped.versions.privacy });
    assert.equal(stale.status, 200);
    assert.match(stale.text, /版本：2027-01-15/);

    const agreed = await agent.submit('/consent', { version_terms: '2027-01-15', version_privacy: shipped.versions.privacy });
    assert.equal(agreed.status, 303);
    assert.equal(agreed.location, '/account');
    const terms = (await consentsOf(accountId)).filter((r) => r.document === 'terms').map((r) => r.version);
    assert.deepEqual(terms, [shipped.versions.terms, '2027-01-15']);
    const audit = await t.db.selectFrom('audit_events').select('action').where('account_id', '=', accountId).where('action', '=', 'consent.renewed').execute();
    assert.equal(audit.length, 1);
    const log = await agent.get('/account/security');
    assert.match(log.text, /同意新版用户协议和个人信息保护政策/);

    // Agreed once: the next sign-in goes straight on, to where it was going.
    const again = new Agent(t.app, { ip: t.nextIp() });
    const next = await again.submit('/login', { username: phone, password: TEST_PASSWORD, next: '/account/security' }, { from: '/login' });
    assert.equal(next.location, '/account/security');
  } finally {
    t.services.accounts.legal = shipped;
  }
});

test('declining the new version signs out and records nothing; the next sign-in asks again', async () => {
  const { phone, accountId } = await t.registerPhone();
  const shipped = t.services.accounts.legal;
  t.services.accounts.legal = loadLegalDocuments(legalDirWithTerms('2027-02-01'));
  try {
    const { agent, page } = await t.signIn(phone);
    const withNext = new Agent(t.app, { ip: t.nextIp() });
    const going = await withNext.submit('/login', { username: phone, password: TEST_PASSWORD, next: '/account/security' }, { from: '/login' });
    assert.equal(going.location, '/consent?next=%2Faccount%2Fsecurity');
    assert.equal(page.location, '/consent');
    const ask = await agent.get('/consent');
    assert.match(ask.body, /action="\/logout"/);
    // Declining leaves the person's rights: the page leads to both, and both are open.
    assert.match(ask.text, /不同意新版本也可以先 下载个人信息 ，或 注销帐号 。|不同意新版本也可以先\s*下载个人信息\s*，或\s*注销帐号/);
    assert.match(ask.body, /href="\/account\/export"/);
    assert.match(ask.body, /href="\/account\/deregister"/);
    const out = await agent.submit('/logout', {});
    assert.equal(out.status, 303);
    assert.equal((await agent.get('/account')).status, 303, 'signed out');
    assert.deepEqual(
      (await consentsOf(accountId)).filter((r) => r.document === 'terms').map((r) => r.version),
      [shipped.versions.terms],
    );
  } finally {
    t.services.accounts.legal = shipped;
  }
});

test('the ID number asks its own consent with the purpose stated, at registration and in 基本信息; refused without it, recorded with it', async () => {
  const person = await t.registerPhone();
  await person.agent.get('/account/identity');
  const form = await person.agent.get('/account/identity');
  // No registry check configured here: the wording says the number is checked for its format only.
  assert.match(form.text, /我同意通行处理我的证件号码（敏感个人信息），用于核对证件号码的格式/);
  const idNumber = nextIdNumber();
  const refused = await person.agent.submit('/account/identity', { name: '李同意', idType: 'resident_id', idNumber }, { consent: false });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /请先勾选同意处理这项敏感个人信息/);
  assert.equal(await t.db.selectFrom('identities').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined);
  assert.ok(!(await consentsOf(person.accountId)).some((r) => r.document === 'sensitive:id_number'));

  const saved = await person.agent.submit('/account/identity', { name: '李同意', idType: 'resident_id', idNumber, agreeSensitive: '1' });
  assert.equal(saved.status, 200);
  const sensitive = (await consentsOf(person.accountId)).filter((r) => r.document === 'sensitive:id_number');
  assert.deepEqual(
    sensitive.map((r) => r.version),
    ['2'],
  );

  // At registration: the real-name fields without their tick stop the whole registration.
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const phone = t.nextPhone();
  await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const noTick = await agent.submit(
    '/register/phone',
    { phone, code, password: TEST_PASSWORD, agree: '1', name: '王注册', idType: 'resident_id', idNumber: nextIdNumber() },
    { consent: false },
  );
  assert.equal(noTick.status, 400);
  assert.match(noTick.text, /请先勾选同意处理这项敏感个人信息/);
  assert.match(noTick.body, /name="agree" value="1" checked/, 'the agreement tick is kept on the refused form');
  assert.equal(await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirst(), undefined);

  const api = await t.app.inject({
    method: 'POST',
    url: '/api/v1/account/identity',
    remoteAddress: t.nextIp(),
    headers: { authorization: `Bearer ${await t.apiToken(person.phone)}` },
    payload: { name: '李同意', idType: 'resident_id', idNumber: nextIdNumber() },
  });
  assert.equal(api.statusCode, 400);
  assert.equal(api.json().error.fields.agreeSensitive, '请先勾选同意处理这项敏感个人信息');
});

test('the API: the documents, what an account agreed to and what is due, agreeing to a new version', async () => {
  const legal = await t.app.inject({ method: 'GET', url: '/api/v1/legal', headers: { 'accept-language': 'en' } });
  assert.equal(legal.statusCode, 200);
  assert.deepEqual(
    legal.json().documents.map((d: { kind: string; title: string; url: string }) => [d.kind, d.title, d.url]),
    [
      ['terms', 'User agreement', '/legal/terms'],
      ['privacy', 'Personal information policy', '/legal/privacy'],
    ],
  );

  const { phone, accountId } = await t.registerPhone();
  const token = await t.apiToken(phone);
  const call = (method: 'GET' | 'POST', payload?: Record<string, unknown>) =>
    t.app.inject({ method, url: '/api/v1/account/consents', headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const nothingDue = await call('GET');
  assert.equal(nothingDue.statusCode, 200);
  assert.deepEqual(nothingDue.json().due, []);
  const fresh = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    remoteAddress: t.nextIp(),
    payload: { username: phone, password: TEST_PASSWORD },
  });
  assert.equal(fresh.json().consentDue, false);
  assert.deepEqual(
    nothingDue
      .json()
      .agreed.map((c: { document: string }) => c.document)
      .sort(),
    ['privacy', 'terms'],
  );

  const shipped = t.services.accounts.legal;
  t.services.accounts.legal = loadLegalDocuments(legalDirWithTerms('2027-03-01'));
  try {
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      remoteAddress: t.nextIp(),
      payload: { username: phone, password: TEST_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 201);
    assert.equal(signedIn.json().consentDue, true, 'the sign-in says a new version waits');
    const due = await call('GET');
    assert.deepEqual(due.json().due, [{ kind: 'terms', version: '2027-03-01', agreed: shipped.versions.terms }]);
    const stale = await call('POST', { terms: shipped.versions.terms, privacy: shipped.versions.privacy });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'consent.version_changed');
    const agreed = await call('POST', { terms: '2027-03-01', privacy: shipped.versions.privacy });
    assert.equal(agreed.statusCode, 200);
    assert.deepEqual(agreed.json().due, []);
    const terms = (await consentsOf(accountId)).filter((r) => r.document === 'terms').map((r) => r.version);
    assert.deepEqual(terms, [shipped.versions.terms, '2027-03-01']);
    const malformed = await call('POST', { terms: ['x'] });
    assert.equal(malformed.statusCode, 400);
  } finally {
    t.services.accounts.legal = shipped;
  }
});

test('a session waiting on a new version reaches nothing else until it agrees: pages, platform sign-ins, the API', async () => {
  const { phone, accountId } = await t.registerPhone();
  const shipped = t.services.accounts.legal;
  t.services.accounts.legal = loadLegalDocuments(legalDirWithTerms('2027-04-01'));
  try {
    const { agent, page } = await t.signIn(phone);
    assert.equal(page.location, '/consent');
    // Straight to a page instead of agreeing: back to /consent, keeping where it was going.
    const bypass = await agent.get('/account/identity');
    assert.equal(bypass.status, 303);
    assert.equal(bypass.location, '/consent?next=%2Faccount%2Fidentity');
    // A platform's sign-in is held by its protocol, which answers the platform as it says
    // (consent-platforms.test.ts follows registered platforms through it).
    // A form posted meanwhile changes nothing and goes to /consent.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      remoteAddress: t.nextIp(),
      payload: { username: phone, password: TEST_PASSWORD },
    });
    assert.equal(other.json().consentDue, true);
    const form = await agent.submit(
      '/account/identity',
      { name: '待同意', idType: 'resident_id', idNumber: nextIdNumber(), agreeSensitive: '1' },
      { from: '/consent' },
    );
    assert.equal(form.status, 303);
    assert.equal(form.location, '/consent');
    assert.equal(await t.db.selectFrom('identities').select('account_id').where('account_id', '=', accountId).executeTakeFirst(), undefined);
    // What agreeing, declining or leaving needs stays open, and the rights that rest on no consent.
    for (const open of ['/legal/terms', '/account/deregister', '/account/export', '/account/security', '/account/platforms', '/support/new']) {
      assert.equal((await agent.get(open)).status, 200, open);
    }

    // The same session's Bearer token: every other operation answers 403 consent.due.
    const bearer = { authorization: `Bearer ${other.json().session.token}` };
    const held = await t.app.inject({ method: 'GET', url: '/api/v1/account', headers: { ...bearer, 'accept-language': 'en' } });
    assert.equal(held.statusCode, 403);
    assert.equal(held.json().error.code, 'consent.due');
    assert.match(held.json().error.message, /agree to the new version/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/account/consents', headers: bearer })).statusCode, 200);

    // Agreed on the web: every session of the account is let go, the API's too.
    const agreed = await agent.submit('/consent', { version_terms: '2027-04-01', version_privacy: shipped.versions.privacy, next: '/account/identity' });
    assert.equal(agreed.location, '/account/identity');
    assert.equal((await agent.get('/account/identity')).status, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/account', headers: bearer })).statusCode, 200);
    const sessions = await t.db.selectFrom('sessions').select('consent_due').where('account_id', '=', accountId).execute();
    assert.ok(sessions.every((s) => !s.consent_due));
  } finally {
    t.services.accounts.legal = shipped;
  }
});

test('an activation under a newer version than the registration agreed to is asked first, on the web and in the API', async () => {
  const shipped = t.services.accounts.legal;
  const linkOf = async (email: string) => /(\/activate\?token=[\w-]+)/.exec((await t.latestMessageTo(email))!.text)![1]!;
  const web = 'held-web@example.edu.cn';
  const app = 'held-api@example.edu.cn';
  for (const email of [web, app]) {
    const made = await new Agent(t.app, { ip: t.nextIp() }).submit('/register/email', { email, password: TEST_PASSWORD }, { from: '/register/email' });
    assert.equal(made.status, 200);
  }
  const webLink = await linkOf(web);
  const appToken = new URL(await linkOf(app), 'http://x').searchParams.get('token')!;
  t.services.accounts.legal = loadLegalDocuments(legalDirWithTerms('2027-05-01'));
  try {
    const agent = new Agent(t.app, { ip: t.nextIp() });
    const activated = await activateByLink(agent, webLink, TEST_PASSWORD);
    assert.equal(activated.status, 303);
    const onward = await agent.get(activated.location!);
    assert.equal(onward.status, 303);
    assert.match(onward.location ?? '', /^\/consent/);
    assert.match((await agent.get(onward.location!)).text, /协议已更新/);

    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/activations',
      remoteAddress: t.nextIp(),
      payload: { token: appToken, password: TEST_PASSWORD },
    });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().status, 'activated');
    assert.equal(api.json().consentDue, true);
  } finally {
    t.services.accounts.legal = shipped;
  }
});

test('/legal/retention states each period as configured, and the policy and help article lead there', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/legal/retention' });
  assert.equal(page.statusCode, 200);
  const text = page.body.replace(/<[^>]+>/g, ' ');
  const { retention, leaving } = t.config;
  assert.match(text, new RegExp(`从未激活的注册\\s+注册后 ${retention.unactivatedMs / 86_400_000} 天`));
  assert.match(text, new RegExp(`证件照片、人脸核验服务商返回的信息\\s+申请处理完毕后 ${retention.evidenceMs / 86_400_000} 天`));
  assert.match(text, new RegExp(`已注销帐号的个人信息\\s+注销后 ${leaving.retentionMs / 86_400_000} 天`));
  assert.match(text, new RegExp(`安全审计记录（登录、修改等操作）\\s+${retention.auditMonths} 个月`));
  assert.match(text, /校验码、图片验证码、登录会话、找回密码申请、单点登录票据\s+失效或结束后 30 天/);
  const en = await t.app.inject({ method: 'GET', url: '/legal/retention', headers: { cookie: 'tx_lang=en' } });
  assert.match(en.body, /How long personal information is kept/);
  assert.match((await t.app.inject({ method: 'GET', url: '/legal/privacy' })).body, /href="\/legal\/retention"/);
  assert.match((await t.app.inject({ method: 'GET', url: '/help/personal-information' })).body, /href="\/legal\/retention"/);
});
