// 帐号管理 → 下载个人信息 (issue 19 §2, PIPL art. 45) over HTTP: a person with contacts, real-name
// information, two sessions, a support request and a CAS platform asks for a copy; the worker
// builds it and the link reaches the proved phone; the ZIP (read by Python's zipfile) holds what
// was made and nothing of another account. The full ID number only with the password typed
// again; three requests a day; another account, a wrong token and a link past 24 hours refused;
// the clean-up drops an expired copy's file. Every step in the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn, type Page } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { unzipWithPython } from '../helpers/zip.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { deleteExpired } from '../../src/maintenance/cleanup.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { rotateSealedData } from '../../src/maintenance/rotate-keys.ts';
import { openBytes, type FieldKeys } from '../../src/lib/field-crypto.ts';
import { randomBytes } from 'node:crypto';
import { recordSensitiveConsent } from '../../src/consent/service.ts';
import { markEnterprise } from '../../src/accounts/queries.ts';
import { insertEnterprise } from '../../src/enterprise/queries.ts';
import { insertHold, recordObjection } from '../../src/resolution/hold-queries.ts';
import { insertRequest as insertDeregistration, openRequestOf, closeRequest as closeDeregistration } from '../../src/leaving/queries.ts';
import { revealIdNumber } from '../../src/identity/service.ts';

let t: TestInstance;
let seq = 0;
const nextId = () => {
  const body = `11010819900307${String(++seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};
const SERVICE = 'https://xueji.example.edu.cn/app';

before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
  await addCasPlatform(
    { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
    { name: '学籍档案', services: [SERVICE], proxy: false, requiresRealname: false, scopes: ['profile', 'phone'], idNumberAccess: 'none' },
    true,
  );
});
after(() => t.close());

/** A page that needs a fresh sign-in: 确认密码 first when the session is stale, as the person would. */
async function freshGet(agent: Agent, path: string): Promise<Page> {
  const page = await agent.get(path);
  if (page.status !== 303 || !page.location?.startsWith('/account/confirm-password')) return page;
  const confirmed = await agent.submit('/account/confirm-password', { currentPassword: TEST_PASSWORD, next: path }, { from: page.location });
  assert.equal(confirmed.status, 303, confirmed.text);
  return agent.get(path);
}

async function requestCopy(agent: Agent, fields: Record<string, string> = {}): Promise<Page> {
  const form = await freshGet(agent, '/account/export');
  assert.equal(form.status, 200, form.text);
  return agent.submit('/account/export', fields);
}

/** The newest link sent to `phone`: its path (what the person opens). */
async function linkSentTo(phone: string): Promise<{ path: string; id: string; text: string }> {
  const sms = await t.latestMessageTo(phone);
  const match = /https?:\/\/[^/\s]+(\/account\/export\/([0-9a-f-]{36})\/download\?token=[A-Za-z0-9_-]+)/.exec(sms?.text ?? '');
  assert.ok(match, `a download link by SMS: ${sms?.text}`);
  return { path: match[1]!, id: match[2]!, text: sms!.text };
}

async function download(agent: Agent, path: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: path,
    headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'user-agent': agent.userAgent },
    remoteAddress: agent.ip,
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    disposition: String(res.headers['content-disposition']),
    raw: res.rawPayload,
    body: res.body,
  };
}

const json = (files: Map<string, Buffer>, name: string) => JSON.parse(files.get(name)!.toString('utf8')) as Record<string, any>;
const exportRows = (accountId: string) => t.db.selectFrom('data_exports').selectAll().where('account_id', '=', accountId).orderBy('requested_at').execute();
const audited = (accountId: string, action: string) =>
  t.db.selectFrom('audit_events').select(['detail', 'actor_kind']).where('account_id', '=', accountId).where('action', '=', action).execute();

/** Signs the agent in at the CAS platform through the consent page, and the platform validates the ticket. */
async function useCasPlatform(agent: Agent): Promise<void> {
  const consent = await agent.get(`/cas/login?service=${encodeURIComponent(SERVICE)}`);
  assert.match(consent.body, /id="consent-allow"/, consent.text);
  const hidden = Object.fromEntries(
    [...consent.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
      .filter((m) => m[1] !== '_csrf')
      .map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
  );
  let step = await agent.submit('/cas/consent', hidden);
  while (step.status >= 300 && step.status < 400 && step.location && !step.location.startsWith(SERVICE)) step = await agent.get(step.location);
  const ticket = new URL(step.location!).searchParams.get('ticket');
  assert.ok(ticket, `a service ticket: ${step.status} ${step.location}`);
  const validated = await t.app.inject({ method: 'GET', url: `/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(SERVICE)}` });
  assert.match(validated.body, /<cas:authenticationSuccess>/);
}

test('the copy holds the account, contacts, masked ID, sessions, log, platform and support request; nothing of another', async () => {
  const idA = nextId();
  const idB = nextId();
  const a = await t.registerPhone({ realName: { name: '陈导出', idNumber: idA } });
  const b = await t.registerPhone({ realName: { name: '吴旁人', idNumber: idB } });
  for (const [person, text] of [
    [a, '我想知道我的学籍信息是否同步到了研招网。'],
    [b, '旁人的问题：不应出现在别人的副本里。'],
  ] as const) {
    await person.agent.get('/support/new');
    const filed = await person.agent.submitMultipart('/support/new', { category: 'platform', text, source: 'form' }, {});
    assert.equal(filed.status, 303, filed.text);
  }
  const laptop = await t.signIn(a.phone, TEST_PASSWORD, {
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
  });
  assert.equal(laptop.page.status, 303);
  await useCasPlatform(a.agent);

  // The menu leads there; the page explains and has nothing yet.
  const empty = await freshGet(a.agent, '/account/export');
  assert.match(empty.body, /href="\/account\/export"[^>]*>下载个人信息</);
  assert.match(empty.text, /您还没有申请过/);

  const asked = await a.agent.submit('/account/export', {});
  assert.equal(asked.status, 303, asked.text);
  const waiting = await a.agent.get(asked.location!);
  assert.match(waiting.text, /已收到您的申请/);
  assert.match(waiting.text, /准备中/);
  assert.match(waiting.text, /证件号码：打码/);
  const [row] = await exportRows(a.accountId);
  assert.equal(row!.state, 'requested');
  assert.equal(row!.with_full_id, false);
  assert.equal((await audited(a.accountId, 'export.requested')).length, 1);

  assert.equal(await t.services.exportWorker.runOnce(), 1);
  const link = await linkSentTo(a.phone);
  assert.equal(link.id, row!.id);
  assert.match(link.text, /个人信息副本已准备好/);
  assert.match(link.text, /登录通行帐号后打开/);
  const ready = await a.agent.get('/account/export');
  assert.match(ready.text, /可下载/);
  assert.match(ready.body, new RegExp(`action="/account/export/${row!.id}/download"`));

  const got = await download(a.agent, link.path);
  assert.equal(got.status, 200, got.body);
  assert.equal(got.type, 'application/zip');
  assert.match(got.disposition, /attachment; filename="tongxing-data-\d{8}\.zip"/);
  const files = unzipWithPython(got.raw);
  assert.deepEqual(
    [...files.keys()],
    [
      'index.html',
      ...[
        'account',
        'contacts',
        'real_name',
        'consents',
        'sessions',
        'security_log',
        'platforms',
        'inbox',
        'duplicate_id_cases',
        'support_requests',
        'social_bindings',
        'passkeys',
        'second_factor',
        'enterprise',
        'self_deregistrations',
        'data_exports',
      ].map((s) => `${s}.json`),
    ],
  );
  assert.equal(json(files, 'account.json').account_id, a.accountId);
  assert.equal(json(files, 'account.json').state, 'active');
  assert.equal(json(files, 'contacts.json').phone.value, a.phone);
  assert.ok(json(files, 'contacts.json').phone.proved_at);
  const realName = json(files, 'real_name.json');
  assert.equal(realName.name, '陈导出');
  assert.equal(realName.id_number_is_full, false);
  assert.equal(realName.id_number, `${idA.slice(0, 1)}${realName.id_number.slice(1, -1)}${idA.slice(-1)}`);
  assert.match(realName.id_number, /\*{4,}/, 'masked');
  const consents = json(files, 'consents.json') as unknown as Array<{ document: string; version: string; purpose?: string }>;
  assert.deepEqual(consents.map((c) => c.document).sort(), ['privacy', 'sensitive:id_number', 'terms']);
  assert.match(consents.find((c) => c.document === 'sensitive:id_number')!.purpose!, /我同意通行处理我的证件号码/);
  const sessions = json(files, 'sessions.json') as unknown as Array<Record<string, unknown>>;
  assert.ok(sessions.length >= 2, 'the registration and the laptop');
  assert.ok(sessions.some((s) => s.ip === laptop.agent.ip && s.device === 'Safari · macOS'));
  const log = (json(files, 'security_log.json') as unknown as Array<{ action: string; label: { 'zh-CN': string } }>).map((e) => e.action);
  for (const action of ['account.registered', 'support.filed', 'export.requested']) assert.ok(log.includes(action), action);
  const platforms = json(files, 'platforms.json');
  assert.equal(platforms.authorised.length, 1);
  assert.equal(platforms.authorised[0].name, '学籍档案');
  assert.equal(platforms.authorised[0].protocol, 'cas');
  assert.deepEqual(platforms.authorised[0].received, ['sub', 'name', 'phone_number', 'phone_number_verified']);
  assert.equal(platforms.used[0].name, '学籍档案');
  assert.equal(platforms.cas_validations[0].service, SERVICE);
  const support = json(files, 'support_requests.json') as unknown as Array<{ reference: string; messages: Array<{ text: string }> }>;
  assert.equal(support.length, 1);
  assert.equal(support[0]!.messages[0]!.text, '我想知道我的学籍信息是否同步到了研招网。');
  assert.deepEqual(json(files, 'passkeys.json'), []);
  assert.equal(json(files, 'second_factor.json').on, false);
  const index = files.get('index.html')!.toString('utf8');
  assert.match(index, /<h1>通行个人信息副本<\/h1>/);
  assert.match(index, /陈导出/);
  assert.match(index, /href="support_requests.json"/);

  // Nothing of the other account anywhere in the archive, nor A's own full number.
  const everything = [...files.values()].map((f) => f.toString('utf8')).join('\n');
  for (const foreign of [b.phone, b.accountId, '吴旁人', '旁人的问题', idB, idA]) assert.ok(!everything.includes(foreign), `no ${foreign}`);

  const downloads = await audited(a.accountId, 'export.downloaded');
  assert.equal(downloads.length, 1);
  assert.equal((downloads[0]!.detail as { via: string }).via, 'link');
  assert.equal((await audited(a.accountId, 'export.ready'))[0]?.actor_kind, 'system');
  assert.equal((await audited(a.accountId, 'identity.decrypted')).length, 0, 'the masked copy never read the full number');
});

test('the full ID number only with the password typed again; a wrong password changes nothing', async () => {
  const id = nextId();
  const person = await t.registerPhone({ realName: { name: '郑完整', idNumber: id } });
  const wrong = await requestCopy(person.agent, { currentPassword: 'not the password' });
  assert.equal(wrong.status, 400, wrong.text);
  assert.match(wrong.text, /当前密码不正确/);
  assert.equal((await exportRows(person.accountId)).length, 0);

  const asked = await person.agent.submit('/account/export', { currentPassword: TEST_PASSWORD });
  assert.equal(asked.status, 303, asked.text);
  assert.equal((await exportRows(person.accountId))[0]!.with_full_id, true);
  assert.match((await person.agent.get('/account/export')).text, /证件号码：完整/);
  await t.services.exportWorker.runOnce();
  const link = await linkSentTo(person.phone);
  const got = await download(person.agent, link.path);
  assert.equal(got.status, 200, got.body);
  const realName = json(unzipWithPython(got.raw), 'real_name.json');
  assert.equal(realName.id_number, id);
  assert.equal(realName.id_number_is_full, true);
  const reads = await audited(person.accountId, 'identity.decrypted');
  assert.equal(reads.length, 1, 'the full reading is audited');
  assert.match(JSON.stringify(reads[0]!.detail), /data_export:/);
  // The file at rest is sealed: the number is not in the row.
  const [row] = await exportRows(person.accountId);
  assert.ok(row!.file_cipher && !row!.file_cipher.includes(Buffer.from(id)));

  // tongxing keys rotate re-seals the waiting copy: it opens with the new key alone.
  const keys = t.services.identity.keys;
  const rotated: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', randomBytes(32)], ...keys.keys]), indexKey: keys.indexKey };
  assert.ok((await rotateSealedData({ db: t.db, keys: rotated })).dataExports! >= 1);
  const resealed = (await exportRows(person.accountId))[0]!;
  assert.equal(resealed.file_key_id, 'next');
  const onlyNew: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', rotated.keys.get('next')!]]), indexKey: keys.indexKey };
  const opened = openBytes(onlyNew, { keyId: 'next', data: Buffer.from(resealed.file_cipher!) }, `data-export:${resealed.id}`);
  assert.equal(json(unzipWithPython(opened), 'real_name.json').id_number, id);
});

test('three copies a day per account; the fourth is refused with the message', async () => {
  const person = await t.registerPhone();
  for (let i = 0; i < 3; i++) assert.equal((await requestCopy(person.agent)).status, 303);
  const refused = await requestCopy(person.agent);
  assert.equal(refused.status, 429, refused.text);
  assert.match(refused.text, /每 24 小时最多可申请 3 次下载个人信息/);
  assert.equal((await exportRows(person.accountId)).length, 3);
  // The page says the same in English.
  await person.agent.get('/lang/en?next=/account/export');
  const english = await person.agent.submit('/account/export', {});
  assert.equal(english.status, 429);
  assert.match(english.text, /at most 3 times in 24 hours/);
  // Ten minutes after the password was last typed, the page asks for it again first.
  t.clock.advance(11 * MINUTE);
  const stale = await person.agent.get('/account/export');
  assert.equal(stale.status, 303);
  assert.equal(stale.location, `/account/confirm-password?next=${encodeURIComponent('/account/export')}`);
});

test('only the account signed in downloads, with the right token, within 24 hours; clean-up drops the file', async () => {
  const owner = await t.registerPhone();
  const other = await t.registerPhone();
  assert.equal((await requestCopy(owner.agent)).status, 303);
  await t.services.exportWorker.runOnce();
  const link = await linkSentTo(owner.phone);

  // Signed out: to the sign-in page first.
  const anonymous = await t.app.inject({ method: 'GET', url: link.path });
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/login\?next=/);
  // Another account with the whole link: as if there were no such copy.
  await freshGet(other.agent, '/account/export');
  const stranger = await download(other.agent, link.path);
  assert.equal(stranger.status, 404);
  assert.match(stranger.body, /没有找到这份个人信息副本/);
  // The owner with a changed token.
  const forged = await download(owner.agent, link.path.replace(/token=.{4}/, 'token=AAAA'));
  assert.equal(forged.status, 403);
  assert.match(forged.body, /下载链接无效/);
  assert.equal((await audited(owner.accountId, 'export.downloaded')).length, 0);
  // The page's button (CSRF form, fresh session) works without the token.
  await owner.agent.get('/account/export');
  const button = await t.app.inject({
    method: 'POST',
    url: `/account/export/${link.id}/download`,
    headers: { cookie: [...owner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: owner.agent.csrf! }).toString(),
    remoteAddress: owner.agent.ip,
  });
  assert.equal(button.statusCode, 200, button.body);
  assert.ok(unzipWithPython(button.rawPayload).has('account.json'));
  const noCsrf = await t.app.inject({
    method: 'POST',
    url: `/account/export/${link.id}/download`,
    headers: { cookie: [...owner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
    remoteAddress: owner.agent.ip,
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.deepEqual(
    (await audited(owner.accountId, 'export.downloaded')).map((e) => (e.detail as { via: string }).via),
    ['page'],
  );

  // Opened from the SMS after the ten minutes: 确认密码 first, then back to the link itself.
  t.clock.advance(11 * MINUTE);
  const stale = await owner.agent.get(link.path);
  assert.equal(stale.status, 303);
  assert.equal(stale.location, `/account/confirm-password?next=${encodeURIComponent(link.path)}`);
  const confirmed = await owner.agent.submit('/account/confirm-password', { currentPassword: TEST_PASSWORD, next: link.path }, { from: stale.location });
  assert.equal(confirmed.status, 303, confirmed.text);
  assert.equal(confirmed.location, link.path);
  assert.equal((await download(owner.agent, confirmed.location!)).status, 200);
  assert.deepEqual((await audited(owner.accountId, 'export.downloaded')).map((e) => (e.detail as { via: string }).via).sort(), ['link', 'page']);

  // A day later the link is refused, and the page says the copy expired.
  t.clock.advance(24 * HOUR + MINUTE);
  const again = await t.signIn(owner.phone);
  const late = await download(again.agent, link.path);
  assert.equal(late.status, 410, late.body);
  assert.match(late.body, /已超过 24 小时有效期/);
  assert.match((await again.agent.get('/account/export')).text, /已过期/);
  const cleaned = await deleteExpired(t.db, t.clock);
  assert.ok((cleaned.dataExportsExpired ?? 0) >= 1);
  const [row] = await exportRows(owner.accountId);
  assert.equal(row!.state, 'expired');
  assert.equal(row!.file_cipher, null, 'the file is deleted');
  assert.equal(row!.token_hash, null);
  t.clock.advance(31 * 24 * HOUR);
  assert.ok(((await deleteExpired(t.db, t.clock)).dataExports ?? 0) >= 1);
  assert.equal((await exportRows(owner.accountId)).length, 0);
});

test('a person registered by email gets the link by email, in both languages, and downloads in English', async () => {
  const person = await t.registerEmail('export-reader@example.com');
  await person.agent.get('/lang/en?next=/account/export');
  const page = await freshGet(person.agent, '/account/export');
  assert.match(page.text, /Download my data/);
  assert.equal((await person.agent.submit('/account/export', {})).status, 303);
  assert.match((await person.agent.get('/account/export')).text, /Being prepared/);
  await t.services.exportWorker.runOnce();
  const mail = await t.latestMessageTo(person.email);
  assert.equal(mail?.channel, 'email');
  assert.match(mail!.subject!, /个人信息副本已准备好 \/ Your copy of your data is ready/);
  assert.match(mail!.text, /Sign in to your Tongxing account and open/);
  const path = /https?:\/\/[^/\s]+(\/account\/export\/[0-9a-f-]{36}\/download\?token=[A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
  const got = await download(person.agent, path);
  assert.equal(got.status, 200, got.body);
  const files = unzipWithPython(got.raw);
  assert.equal(json(files, 'contacts.json').email.value, person.email);
  assert.equal(json(files, 'real_name.json' as string), null);
  assert.match(files.get('index.html')!.toString('utf8'), /<h1>Your data at Tongxing<\/h1>/);
});

test('a sign-in by SMS code, or a password typed earlier in the session, is not enough for the full number', async () => {
  const person = await t.registerPhone({ realName: { name: '郑短信', idNumber: nextId() } });
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.submit('/login/sms/code', { phone: person.phone }, { from: '/login/sms' });
  const signedIn = await agent.submit('/login/sms', { phone: person.phone, code: codeIn((await t.latestMessageTo(person.phone))!.text) });
  assert.equal(signedIn.status, 303, signedIn.text);
  // Signed in by the code a moment ago, the form opens at once; without the password the copy is masked.
  const form = await agent.get('/account/export');
  assert.equal(form.status, 200, form.text);
  assert.equal((await agent.submit('/account/export', {})).status, 303);
  // The registration's session typed the password minutes ago (a fresh sign-in), yet this request did not.
  assert.equal((await person.agent.get('/account/export')).status, 200);
  assert.equal((await person.agent.submit('/account/export', {})).status, 303);
  const rows = await exportRows(person.accountId);
  assert.deepEqual(
    rows.map((r) => r.with_full_id),
    [false, false],
  );
  assert.match((await agent.get('/account/export')).text, /证件号码：打码/);
  const requested = await audited(person.accountId, 'export.requested');
  assert.ok(requested.every((e) => (e.detail as { full_id_number: boolean }).full_id_number === false));
});

test('a sensitive consent reads in the copy as its own version worded it, with the provider it named', async () => {
  const person = await t.registerPhone({ realName: { name: '林措辞', idNumber: nextId() } });
  const at = t.clock.now();
  // As an earlier release recorded a face check's consent (version 1), an hour before this one does
  // (two at the same instant would have no defined order).
  await t.db
    .insertInto('consent_records')
    .values({ account_id: person.accountId, document: 'sensitive:liveness', version: '1', accepted_at: new Date(at.getTime() - HOUR), ip: null })
    .execute();
  await t.db.transaction().execute((tx) => recordSensitiveConsent(tx, person.accountId, 'liveness', { ip: null, at }, { operator: '某某核验有限公司' }));
  await requestCopy(person.agent);
  // (Copies other tests asked for are prepared in the same run.)
  assert.ok((await t.services.exportWorker.runOnce()) >= 1);
  const got = await download(person.agent, (await linkSentTo(person.phone)).path);
  const consents = json(unzipWithPython(got.raw), 'consents.json') as unknown as Array<{ document: string; version: string; purpose?: string }>;
  const liveness = consents.filter((c) => c.document === 'sensitive:liveness');
  assert.deepEqual(
    liveness.map((c) => c.version),
    ['1', '2'],
  );
  assert.match(liveness[0]!.purpose!, /^我同意通行通过人脸核验服务处理我的人脸信息/);
  assert.match(liveness[1]!.purpose!, /提供给人脸核验服务提供者「某某核验有限公司」/);
});

test('the copy holds the enterprise details, objections written, 注销 and copy history, and why the full number was read', async () => {
  const person = await t.registerPhone({ realName: { name: '钱企业', idNumber: nextId() } });
  const other = await t.registerPhone({ realName: { name: '孙别人', idNumber: nextId() } });
  const at = t.clock.now();
  const { client_id: casClient } = await t.db.selectFrom('oidc_clients').select('client_id').where('name', '=', '学籍档案').executeTakeFirstOrThrow();
  for (const [who, enterprise, objection] of [
    [person, { name: '某某科技有限公司', creditCode: '91350100M000100Y43', contactName: '钱经理' }, '这个证件号码是我的，我从未让别人使用。'],
    [other, { name: '别家贸易有限公司', creditCode: '91110108MA00000001', contactName: '孙经理' }, '旁人的异议：不应出现在别人的副本里。'],
  ] as const) {
    await markEnterprise(t.db, who.accountId);
    await insertEnterprise(t.db, { accountId: who.accountId, ...enterprise, now: at });
    // A classmate case another account opened; this account, a holder of the number, objected.
    const claimant = who === person ? other : person;
    const hold = await insertHold(t.db, { index: randomBytes(32), claimantId: claimant.accountId, at, takesEffectAt: new Date(at.getTime() + 72 * HOUR) });
    await recordObjection(t.db, hold, who.accountId, objection, at);
    // 注销 asked and then cancelled.
    await insertDeregistration(t.db, { accountId: who.accountId, now: at, dueAt: new Date(at.getTime() + 15 * 24 * HOUR) });
    const open = await openRequestOf(t.db, who.accountId);
    await closeDeregistration(t.db, open!.id, 'cancelled', new Date(at.getTime() + HOUR));
  }
  // The full number went to a platform by OIDC and by CAS.
  const identityDeps = t.services.identity;
  await revealIdNumber(identityDeps, person.accountId, { kind: 'system' }, `sso:${casClient}`);
  await revealIdNumber(identityDeps, person.accountId, { kind: 'system' }, `cas:${casClient}`);
  await revealIdNumber(identityDeps, other.accountId, { kind: 'system' }, `cas:${casClient}`);
  // An earlier copy, then this one.
  assert.equal((await requestCopy(person.agent)).status, 303);
  assert.ok((await t.services.exportWorker.runOnce()) >= 1);
  assert.equal((await requestCopy(person.agent)).status, 303);
  assert.ok((await t.services.exportWorker.runOnce()) >= 1);
  const files = unzipWithPython((await download(person.agent, (await linkSentTo(person.phone)).path)).raw);

  const enterprise = json(files, 'enterprise.json');
  assert.deepEqual(
    { name: enterprise.name, credit_code: enterprise.credit_code, contact_name: enterprise.contact_name, confirmed: enterprise.confirmed_at },
    { name: '某某科技有限公司', credit_code: '91350100M000100Y43', contact_name: '钱经理', confirmed: null },
  );
  const objections = json(files, 'duplicate_id_cases.json').objections_made as Array<Record<string, unknown>>;
  assert.equal(objections.length, 1);
  assert.equal(objections[0]!.objection, '这个证件号码是我的，我从未让别人使用。');
  assert.equal(objections[0]!.state, 'objected');
  assert.ok(objections[0]!.objected_at);
  const deregistrations = json(files, 'self_deregistrations.json') as unknown as Array<Record<string, unknown>>;
  assert.deepEqual(
    deregistrations.map((d) => d.state),
    ['cancelled'],
  );
  assert.ok(deregistrations[0]!.requested_at && deregistrations[0]!.due_at && deregistrations[0]!.cancelled_at);
  const copies = json(files, 'data_exports.json') as unknown as Array<Record<string, unknown>>;
  assert.equal(copies.length, 2, 'the earlier copy and this one');
  assert.equal(copies[0]!.state, 'ready');
  assert.equal(copies[0]!.with_full_id_number, false);
  assert.ok(
    copies.every((c) => !('file_cipher' in c) && !('token_hash' in c)),
    'no file or token',
  );
  const decrypted = (json(files, 'security_log.json') as unknown as Array<Record<string, any>>).filter((e) => e.action === 'identity.decrypted');
  assert.deepEqual(
    decrypted.map((e) => [e.purpose, e.platform]),
    [
      ['提供给平台「学籍档案」', { client_id: casClient, name: '学籍档案' }],
      ['提供给平台「学籍档案」', { client_id: casClient, name: '学籍档案' }],
    ],
  );
  const index = files.get('index.html')!.toString('utf8');
  for (const shown of ['企业信息', '某某科技有限公司', '注销帐号申请', '个人信息副本申请', '这个证件号码是我的', '提供给平台「学籍档案」'])
    assert.ok(index.includes(shown), `the page shows ${shown}`);

  const everything = [...files.values()].map((f) => f.toString('utf8')).join('\n');
  for (const foreign of [other.accountId, other.phone, '孙别人', '别家贸易有限公司', '91110108MA00000001', '孙经理', '旁人的异议'])
    assert.ok(!everything.includes(foreign), `no ${foreign}`);
});
