// Enterprise accounts: registration with a 统一社会信用代码, and the look-up request with a stamped
// letter (image or PDF, judged by content) that support checks in the console before sending the
// username to the applicant, a password-reset link to the applicant's email, or a refusal. A PDF
// letter is shown to support only as the page images the server drew when it arrived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent, activateByLink, latestMessageTo } from '../helpers/agent.ts';
import { SMALLEST_GIF, makePng } from '../helpers/images.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { checkCharacter } from '../../src/enterprise/credit-code.ts';
import { asciiHex, catalogInObjectStream, darkPixelShare, javaScriptAction, ordinaryLetter } from '../helpers/pdfs.ts';
import { PDFName } from 'pdf-lib';
import { randomBytes } from 'node:crypto';
import { openBytes, type FieldKeys } from '../../src/lib/field-crypto.ts';
import { letterPageAad, rotateLetterKeys } from '../../src/enterprise/service.ts';

let t: TestInstance;
let support: Agent;
const PASSWORD = 'enterprise account password';
const code = (body17: string) => `${body17}${checkCharacter(body17)}`;
const CODE_A = code('91110108MA01ABCD1');
const CODE_B = code('91310000MA1FL2XY3');

before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha('ENTR') },
    limits: {
      registrationsPerIp: { points: 1000, durationSeconds: 3600 },
      emailRegistrationsPerIp: { points: 1000, durationSeconds: 3600 },
      recoveryPerIp: { points: 1000, durationSeconds: 3600 },
    },
  });
  support = await signInStaff(t, await createStaff(t, 'support.qin', ['support']));
});
after(() => t.close());

async function registerEnterprise(email: string, creditCode: string, name = '北京某某教育科技有限公司') {
  const agent = new Agent(t.app, { ip: '198.18.50.1' });
  await agent.get('/register/enterprise');
  return agent.submit('/register/enterprise', { enterpriseName: name, creditCode, contactName: '王经理', email, password: PASSWORD, password2: PASSWORD });
}

async function lookupRequest(fields: Record<string, string>, letter?: { filename: string; contentType: string; data: Buffer }) {
  const agent = new Agent(t.app, { ip: '198.18.50.2' });
  await agent.get('/recover/enterprise');
  const captchaId = /name="captchaId" value="([^"]+)"/.exec((await agent.get('/recover/enterprise')).body)![1]!;
  return agent.submitMultipart(
    '/recover/enterprise',
    { enterpriseName: '北京某某教育科技有限公司', creditCode: CODE_A, contactName: '王经理', wants: 'username', captchaId, captcha: 'ENTR', ...fields },
    letter ? { letter } : {},
  );
}

test('an enterprise registers with a valid credit code and activates by email', async () => {
  const bad = await registerEnterprise('hr@bad.example.com', '91110108MA01ABCD10');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /统一社会信用代码不正确/);
  const done = await registerEnterprise('hr@company-a.example.com', CODE_A.toLowerCase());
  assert.equal(done.status, 200, done.text);
  const mail = await latestMessageTo(t.app, 'hr@company-a.example.com');
  await activateByLink(new Agent(t.app), /(\/activate\?token=[\w-]+)/.exec(mail!.text)![1]!, PASSWORD);
  const row = await t.db
    .selectFrom('accounts')
    .innerJoin('enterprises', 'enterprises.account_id', 'accounts.id')
    .select(['accounts.kind', 'accounts.state', 'enterprises.credit_code'])
    .where('accounts.email', '=', 'hr@company-a.example.com')
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { kind: 'enterprise', state: 'active', credit_code: CODE_A });
  // Signed in, the enterprise is not asked for a person's real name, and cannot give one.
  const { agent: signedIn, page: login } = await t.signIn('hr@company-a.example.com', PASSWORD);
  assert.equal(login.status, 303);
  const home = await signedIn.get('/account');
  assert.match(home.text, /企业帐号/);
  assert.doesNotMatch(home.text, /填写基本信息|基本信息/);
  await signedIn.get('/account/identity');
  const identity = await signedIn.submit('/account/identity', { name: '王经理', idType: 'resident_id', idNumber: '11010519491231002X' });
  assert.match(identity.text, /企业帐号不填写个人实名信息/);
  assert.equal(await t.db.selectFrom('identities').select('account_id').executeTakeFirst(), undefined);
  // Unconfirmed (a credit code is public), it keeps no one else from registering the code.
  assert.match(home.text, /企业帐号待确认/);
  const twice = await registerEnterprise('other@company-a.example.com', CODE_A);
  assert.equal(twice.status, 200);
});

test('the letter is judged by content; a bad request changes nothing', async () => {
  const before = await t.db
    .selectFrom('enterprise_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const cases: Array<[string, Record<string, string>, Parameters<typeof lookupRequest>[1], RegExp]> = [
    ['no letter', { contactPhone: '13812345678' }, undefined, /请上传盖章的申请函/],
    [
      'a text file named .pdf',
      { contactPhone: '13812345678' },
      { filename: 'letter.pdf', contentType: 'application/pdf', data: Buffer.from('not a pdf at all') },
      /仅支持 jpg、png、gif 图片或 pdf 文件/,
    ],
    [
      'a PDF with a script',
      { contactPhone: '13812345678' },
      {
        filename: 'letter.pdf',
        contentType: 'application/pdf',
        data: Buffer.from('%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n'),
      },
      /PDF 中含有脚本、自动操作、附件或加密/,
    ],
    ['no contact', {}, { filename: 'letter.gif', contentType: 'image/gif', data: SMALLEST_GIF }, /请至少填写手机号或邮箱/],
    [
      'a password without an email',
      { contactPhone: '13812345678', wants: 'password' },
      { filename: 'letter.gif', contentType: 'image/gif', data: SMALLEST_GIF },
      /找回密码需要填写邮箱/,
    ],
  ];
  for (const [label, fields, letter, message] of cases) {
    const page = await lookupRequest(fields, letter);
    assert.equal(page.status, 400, label);
    assert.match(page.text, message, label);
  }
  const after = await t.db
    .selectFrom('enterprise_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(after.n, before.n);
});

test('support checks the stamped letter and sends the username to the applicant; the account’s own email is told', async () => {
  const letter = makePng(6, 6);
  const sent = await lookupRequest({ contactPhone: '13812345678' }, { filename: 'letter.png', contentType: 'image/png', data: letter });
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.text, /申请已提交/);
  const row = await t.db.selectFrom('enterprise_requests').select(['id', 'letter_cipher']).where('contact_phone', '=', '13812345678').executeTakeFirstOrThrow();
  assert.equal(Buffer.from(row.letter_cipher).indexOf(letter.subarray(0, 16)), -1, 'the letter is stored encrypted');

  const queue = await support.get('/console/enterprise');
  assert.match(queue.text, /北京某某教育科技有限公司/);
  assert.equal((await support.get(`/console/enterprise/${row.id}/letter`)).status, 403, 'claim first');
  await support.submit(`/console/enterprise/${row.id}/claim`, {});
  const page = await support.get(`/console/enterprise/${row.id}`);
  assert.match(page.text, /hr\*+@company-a\.example\.com|h\*+@company-a\.example\.com|hr@|\*\*\*@company-a/);
  const image = await t.app.inject({
    method: 'GET',
    url: `/console/enterprise/${row.id}/letter`,
    headers: { cookie: [...support.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['cache-control'], 'no-store, private');
  assert.deepEqual(image.rawPayload, letter);
  assert.equal((await t.db.selectFrom('audit_events').select('id').where('action', '=', 'enterprise.letter_viewed').execute()).length, 1);

  const accountId = /<option value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
  const noReason = await support.submit(`/console/enterprise/${row.id}/answer`, { action: 'send_username', accountId, reason: '核实' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.body, /id="f-reason-answer" name="reason" maxlength="200" value="核实"/, 'what was typed stays');
  await support.get(`/console/enterprise/${row.id}`);
  const answered = await support.submit(`/console/enterprise/${row.id}/answer`, {
    action: 'send_username',
    accountId,
    reason: '公章与营业执照一致，电话回访确认',
  });
  assert.equal(answered.status, 303, answered.text);
  assert.match((await latestMessageTo(t.app, '13812345678'))!.text, /您的通行帐号用户名为 hr@company-a\.example\.com/);
  assert.match((await latestMessageTo(t.app, 'hr@company-a.example.com'))!.text, /客服已根据贵单位盖章的申请函/);
  const state = await t.db.selectFrom('enterprise_requests').select(['state', 'handled_by']).where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.deepEqual(state, { state: 'username_sent', handled_by: 'support.qin' });
});

test('a password request gets a reset link at the applicant’s email that sets a new password; a refusal tells why', async () => {
  const sent = await lookupRequest(
    { contactEmail: 'boss@company-a.example.com', wants: 'password' },
    { filename: 'letter.gif', contentType: 'image/gif', data: SMALLEST_GIF },
  );
  assert.equal(sent.status, 200, sent.text);
  const row = await t.db.selectFrom('enterprise_requests').select('id').where('contact_email', '=', 'boss@company-a.example.com').executeTakeFirstOrThrow();
  await support.get('/console/enterprise');
  await support.submit(`/console/enterprise/${row.id}/claim`, {});
  const page = await support.get(`/console/enterprise/${row.id}`);
  const accountId = /<option value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
  const answered = await support.submit(`/console/enterprise/${row.id}/answer`, { action: 'start_reset', accountId, reason: '核实公章并电话回访' });
  assert.equal(answered.status, 303, answered.text);
  const mail = await latestMessageTo(t.app, 'boss@company-a.example.com');
  const link = /(\/recover\/password\/reset\?token=[\w-]+)/.exec(mail!.text)![1]!;
  const applicant = new Agent(t.app, { ip: '198.18.50.9' });
  const form = await applicant.get(link);
  assert.equal(form.status, 200, form.text);
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;
  const reset = await applicant.submit('/recover/password/reset', {
    secret,
    password: 'a brand new enterprise password',
    password2: 'a brand new enterprise password',
  });
  assert.equal(reset.status, 303, reset.text);
  const { page: login } = await t.signIn('hr@company-a.example.com', 'a brand new enterprise password');
  assert.equal(login.status, 303, login.text);

  await registerEnterprise('hr@company-b.example.com', CODE_B, '上海某某公司');
  const refused = await lookupRequest(
    { creditCode: CODE_B, enterpriseName: '上海某某公司', contactPhone: '13912345678' },
    { filename: 'letter.gif', contentType: 'image/gif', data: SMALLEST_GIF },
  );
  assert.equal(refused.status, 200);
  const other = await t.db.selectFrom('enterprise_requests').select('id').where('contact_phone', '=', '13912345678').executeTakeFirstOrThrow();
  await support.get('/console/enterprise');
  await support.submit(`/console/enterprise/${other.id}/claim`, {});
  await support.get(`/console/enterprise/${other.id}`);
  const rejected = await support.submit(`/console/enterprise/${other.id}/answer`, { action: 'reject', reason: '申请函未加盖公章' });
  assert.equal(rejected.status, 303);
  assert.match((await latestMessageTo(t.app, '13912345678'))!.text, /未通过核实：申请函未加盖公章/);
  // Answered requests stay findable, with who answered and how.
  const handled = /<table [^>]*class="grid" id="enterprise-handled">.*?<\/table>/s.exec((await support.get('/console/enterprise')).body)![0];
  assert.match(handled, /上海某某公司.*不予办理.*support\.qin.*申请函未加盖公章/s);
  assert.match(handled, /北京某某教育科技有限公司.*已发送重设链接/s);
});

const staffGet = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: [...support.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });

const count = async (table: 'enterprise_requests' | 'enterprise_letter_pages') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('a PDF letter is shown to support as server-drawn page images, never as the PDF; each view is audited', async () => {
  const pdf = await ordinaryLetter();
  const sent = await lookupRequest({ contactPhone: '13712345678' }, { filename: '申请函.pdf', contentType: 'application/pdf', data: pdf });
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.text, /申请已提交/);
  const row = await t.db.selectFrom('enterprise_requests').select(['id', 'letter_cipher']).where('contact_phone', '=', '13712345678').executeTakeFirstOrThrow();
  assert.equal(Buffer.from(row.letter_cipher).indexOf(pdf.subarray(0, 64)), -1, 'the PDF is stored encrypted');
  const stored = await t.db.selectFrom('enterprise_letter_pages').select('cipher').where('request_id', '=', row.id).execute();
  assert.equal(stored.length, 1, 'one page image');
  assert.equal(Buffer.from(stored[0]!.cipher).indexOf(Buffer.from('IHDR')), -1, 'the page image is stored encrypted');

  const pageUrl = `/console/enterprise/${row.id}/letter/pages/1`;
  await support.get('/console/enterprise');
  assert.equal((await staffGet(pageUrl)).statusCode, 403, 'claim first');
  await support.submit(`/console/enterprise/${row.id}/claim`, {});
  const viewsBefore = (await t.db.selectFrom('audit_events').select('id').where('action', '=', 'enterprise.letter_viewed').execute()).length;
  const page = await support.get(`/console/enterprise/${row.id}`);
  assert.match(page.body, new RegExp(`<img src="${pageUrl}"`));
  assert.match(page.text, /第 1 页，共 1 页/);
  assert.doesNotMatch(page.body, /download|letter-link/, 'no way to fetch the PDF');
  assert.equal((await staffGet(`/console/enterprise/${row.id}/letter`)).statusCode, 404, 'the PDF itself is not served');
  assert.equal((await staffGet(`/console/enterprise/${row.id}/letter/pages/2`)).statusCode, 404);
  assert.equal((await staffGet(`/console/enterprise/${row.id}/letter/pages/x`)).statusCode, 404);

  const image = await staffGet(pageUrl);
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.equal(image.headers['cache-control'], 'no-store, private');
  assert.match(String(image.headers['content-security-policy']), /sandbox/);
  const dark = await darkPixelShare(image.rawPayload);
  assert.ok(dark > 0.02, `the drawn page shows the letter's black text and box (dark share ${dark})`);
  const views = await t.db.selectFrom('audit_events').select(['detail', 'actor_id']).where('action', '=', 'enterprise.letter_viewed').orderBy('seq').execute();
  assert.equal(views.length, viewsBefore + 1, 'the page view is audited');
  const last = views.at(-1)!;
  assert.equal(last.actor_id, 'support.qin');
  assert.deepEqual(typeof last.detail === 'string' ? JSON.parse(last.detail) : last.detail, { requestId: row.id, page: 1 });

  // `tongxing keys rotate` re-seals the page images with the letters.
  const old = t.services.identity.keys;
  const next = randomBytes(32);
  const rotated: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', next], ...old.keys]), indexKey: old.indexKey };
  assert.ok((await rotateLetterKeys({ db: t.db, keys: rotated })) >= 2, 'the PDF and its page image');
  const resealed = await t.db.selectFrom('enterprise_letter_pages').select(['key_id', 'cipher']).where('request_id', '=', row.id).executeTakeFirstOrThrow();
  const onlyNew: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', next]]), indexKey: old.indexKey };
  assert.deepEqual(openBytes(onlyNew, { keyId: resealed.key_id, data: Buffer.from(resealed.cipher) }, letterPageAad(row.id, 1)), image.rawPayload);
  await rotateLetterKeys({ db: t.db, keys: { ...rotated, activeKeyId: old.activeKeyId } });
});

test('a PDF with a script hidden in an ASCIIHex object stream, or too many pages, is refused at upload and stores nothing', async () => {
  const before = { requests: await count('enterprise_requests'), pages: await count('enterprise_letter_pages') };
  const hidden = await catalogInObjectStream('ASCIIHexDecode', asciiHex, (doc) => doc.catalog.set(PDFName.of('OpenAction'), javaScriptAction(doc)));
  const refused = await lookupRequest({ contactPhone: '13612340000' }, { filename: 'letter.pdf', contentType: 'application/pdf', data: hidden });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /PDF 中含有脚本、自动操作、附件或加密/);
  const long = await lookupRequest(
    { contactPhone: '13612340000' },
    { filename: 'letter.pdf', contentType: 'application/pdf', data: await ordinaryLetter({ pages: 11 }) },
  );
  assert.equal(long.status, 400);
  assert.match(long.text, /PDF 不能超过 10 页/);
  assert.deepEqual({ requests: await count('enterprise_requests'), pages: await count('enterprise_letter_pages') }, before);
});

test('squatting a credit code keeps no one out: support confirms the real enterprise from its letter and the squatter is voided', async () => {
  const CODE_C = code('91440300MA5D0PQR8');
  const activate = async (email: string) => {
    const mail = await latestMessageTo(t.app, email);
    await activateByLink(new Agent(t.app), /(\/activate\?token=[\w-]+)/.exec(mail!.text)![1]!, PASSWORD);
  };
  const squat = await registerEnterprise('squat@elsewhere.example', CODE_C, '深圳某某教育有限公司');
  assert.equal(squat.status, 200, squat.text);
  await activate('squat@elsewhere.example');
  const real = await registerEnterprise('office@shenzhen-edu.example', CODE_C, '深圳某某教育有限公司');
  assert.equal(real.status, 200, 'the squatter does not block the real enterprise');
  await activate('office@shenzhen-edu.example');

  // The real enterprise, signed in, is asked for its letter and sends it.
  const { agent: office } = await t.signIn('office@shenzhen-edu.example', PASSWORD);
  const home = await office.get('/account');
  assert.match(home.text, /企业帐号待确认/);
  assert.match(home.body, /href="\/recover\/enterprise\?wants=confirm"/);
  assert.match((await office.get('/recover/enterprise?wants=confirm')).body, /value="confirm" checked/);
  const sent = await lookupRequest(
    { enterpriseName: '深圳某某教育有限公司', creditCode: CODE_C, contactEmail: 'office@shenzhen-edu.example', wants: 'confirm' },
    { filename: 'letter.png', contentType: 'image/png', data: makePng(5, 5) },
  );
  assert.equal(sent.status, 200, sent.text);
  const request = await t.db.selectFrom('enterprise_requests').select('id').where('credit_code', '=', CODE_C).executeTakeFirstOrThrow();
  const idOf = async (email: string) => (await t.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const officeId = await idOf('office@shenzhen-edu.example');
  const squatterId = await idOf('squat@elsewhere.example');

  await support.submit(`/console/enterprise/${request.id}/claim`, {});
  const page = await support.get(`/console/enterprise/${request.id}`);
  assert.match(page.text, /确认为该企业的帐号/);
  assert.match(page.text, /待确认/);
  const misfit = await support.submit(`/console/enterprise/${request.id}/answer`, {
    action: 'send_username',
    accountId: officeId,
    reason: '公章与营业执照一致，电话回访确认',
  });
  assert.equal(misfit.status, 409, 'a 确认 request is answered by confirming');
  assert.match(misfit.text, /该答复不适用于此申请/);
  const confirmed = await support.submit(`/console/enterprise/${request.id}/answer`, {
    action: 'confirm',
    accountId: officeId,
    reason: '公章与营业执照一致，电话回访确认',
  });
  assert.equal(confirmed.status, 303, confirmed.text);

  // The squatter is voided and told why; the applicant hears; the code is now taken.
  const squatter = await t.db.selectFrom('accounts').select(['state', 'email']).where('id', '=', squatterId).executeTakeFirstOrThrow();
  assert.deepEqual(squatter, { state: 'deregistered', email: null });
  assert.match((await latestMessageTo(t.app, 'squat@elsewhere.example'))!.text, /确认了该统一社会信用代码的另一个企业帐号，本帐号已注销/);
  assert.match((await latestMessageTo(t.app, 'office@shenzhen-edu.example'))!.text, /已确认为贵单位的帐号|确认本帐号为贵单位的企业帐号/);
  const state = await t.db.selectFrom('enterprise_requests').select('state').where('id', '=', request.id).executeTakeFirstOrThrow();
  assert.equal(state.state, 'confirmed');
  assert.doesNotMatch((await office.get('/account')).text, /企业帐号待确认/);
  const late = await registerEnterprise('late@squatter.example', CODE_C, '深圳某某教育有限公司');
  assert.equal(late.status, 409);
  assert.match(late.text, /该统一社会信用代码已注册企业帐号/);
  const audit = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'enterprise.confirmed').executeTakeFirstOrThrow();
  assert.deepEqual((audit.detail as { voided: string[] }).voided, [squatterId]);
});
