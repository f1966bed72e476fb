// 客服工单 over HTTP: a signed-in person files with an image (cleaned of its metadata), someone who
// cannot sign in files with a contact and the captcha; staff with the support role see the queue
// oldest first, claim, reply (the person's SMS / email in the dev outbox, the history in the
// account), close; every step in the audit trail; limits and bad input refused with messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { GPS_EXIF, makePng } from '../helpers/images.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';

const CAPTCHA = 'k7Pw';
let t: TestInstance;
let support: Agent;
let reviewer: Agent;

before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    env: { SUPPORT_PHONE: '400-810-0000', SUPPORT_HOURS: '工作日 9:00–17:00' },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
  support = await signInStaff(t, await createStaff(t, 'support.zhao', ['support']));
  reviewer = await signInStaff(t, await createStaff(t, 'reviewer.qian', ['reviewer']), '192.0.2.61');
});
after(() => t.close());

const requestRow = (reference: string) => t.db.selectFrom('support_requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
const auditActions = async (reference: string) =>
  (await t.db.selectFrom('audit_events').select(['action', 'detail']).orderBy('created_at').execute())
    .filter((e) => JSON.stringify(e.detail).includes(reference))
    .map((e) => e.action);

/** The queue's rows, in order: [id, reference]. */
async function queue(): Promise<Array<[string, string]>> {
  const page = await support.get('/console/support');
  assert.equal(page.status, 200, page.text);
  return [...page.body.matchAll(/<tr data-support="([0-9a-f-]{36})">.*?(GD[0-9A-Z]{10})/gs)].map((m) => [m[1]!, m[2]!]);
}

test('a signed-in person files with an image; staff claim, answer, and the person reads it', async () => {
  const person = await t.registerPhone();
  const form = await person.agent.get('/support/new?from=assistant&q=' + encodeURIComponent('怎么修改手机号'));
  assert.equal(form.status, 200);
  assert.match(form.body, /怎么修改手机号<\/textarea>/);
  assert.doesNotMatch(form.body, /name="contact"/, 'no contact asked of a signed-in person');
  const png = makePng(4, 4, [['eXIf', GPS_EXIF]]);
  const filed = await person.agent.submitMultipart(
    '/support/new',
    { category: 'contacts', text: '旧手机号已停用，收不到校验码。', source: 'assistant' },
    { image: { filename: 'screen.png', contentType: 'image/png', data: png } },
  );
  assert.equal(filed.status, 303, filed.text);
  const reference = /\/account\/support\/(GD[0-9A-Z]{10})/.exec(filed.location!)![1]!;
  const mine = await person.agent.get(filed.location!);
  assert.match(mine.text, new RegExp(`工单已提交，编号 ${reference}`));
  assert.match(mine.text, /待客服处理/);
  const row = await requestRow(reference);
  assert.equal(row.account_id, person.accountId);
  assert.equal(row.source, 'assistant');
  const stored = await t.db.selectFrom('support_messages').selectAll().where('request_id', '=', row.id).executeTakeFirstOrThrow();
  assert.ok(stored.image_cipher && !stored.image_cipher.includes(Buffer.from('GPSLatitude')), 'sealed at rest');

  // A reviewer has no support role.
  assert.equal((await reviewer.get('/console/support')).status, 403);

  const entry = (await queue()).find(([, ref]) => ref === reference);
  assert.ok(entry, 'the request waits in the queue');
  const [id] = entry;
  // Before claiming, staff may read it but not answer it.
  const unclaimed = await support.get(`/console/support/${id}`);
  assert.equal(unclaimed.status, 200);
  assert.match(unclaimed.text, /此工单未由您领取：可以查看，领取后才能回复或关闭。/);
  assert.doesNotMatch(unclaimed.body, /id="support-reply-form"|\/images\//);
  assert.equal((await support.submit(`/console/support/${id}/reply`, { text: '抢先回复' })).status, 403);
  const claimed = await support.submit(`/console/support/${id}/claim`, {});
  assert.equal(claimed.status, 303);
  const casePage = await support.get(`/console/support/${id}`);
  assert.match(casePage.text, /旧手机号已停用/);
  assert.doesNotMatch(casePage.text, /所留联系方式未经验证/, 'a signed-in person is no stranger');
  const imageLink = /\/console\/support\/[0-9a-f-]{36}\/images\/([0-9a-f-]{36})/.exec(casePage.body)!;
  const image = await t.app.inject({
    method: 'GET',
    url: imageLink[0],
    headers: { cookie: [...support.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    remoteAddress: support.ip,
  });
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.ok(!image.rawPayload.includes(Buffer.from('GPSLatitude')), 'the metadata is gone');
  assert.ok(image.rawPayload.subarray(1, 4).equals(Buffer.from('PNG')));

  // An empty answer is refused with its message and changes nothing.
  const empty = await support.submit(`/console/support/${id}/reply`, { text: '   ' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /请填写问题描述/);
  assert.equal((await requestRow(reference)).state, 'open');

  const answered = await support.submit(`/console/support/${id}/reply`, { text: '请在帐号管理中用邮箱验证后更换手机号。' });
  assert.equal(answered.status, 303);
  const sms = await t.latestMessageTo(person.phone);
  assert.match(sms!.text, new RegExp(`客服已回复您的工单 ${reference}`));
  assert.doesNotMatch(sms!.text, /用邮箱验证/, 'the answer itself stays behind the sign-in');
  assert.ok(!(await queue()).some(([, ref]) => ref === reference), 'answered: out of the queue');

  // The inbox holds a notice that leads to the answer.
  const inbox = await person.agent.get('/inbox');
  assert.match(inbox.text, new RegExp(`客服已回复您的工单 ${reference}。`));
  assert.ok(inbox.body.includes(`href="/account/support/${reference}"`), 'the notice links to the request');

  const history = await person.agent.get(`/account/support/${reference}`);
  assert.match(history.text, /客服已回复/);
  assert.match(history.text, /请在帐号管理中用邮箱验证后更换手机号。/);
  const list = await person.agent.get('/account/support');
  assert.match(list.body, new RegExp(`data-request="${reference}"`));

  // The person's reply puts it back in the queue; then they close it.
  const more = await person.agent.submit(`/account/support/${reference}/reply`, { text: '我没有绑定邮箱，怎么办？' });
  assert.equal(more.status, 303, more.text);
  assert.equal((await requestRow(reference)).state, 'open');
  assert.ok((await queue()).some(([, ref]) => ref === reference));
  await person.agent.get(`/account/support/${reference}`);
  const closed = await person.agent.submit(`/account/support/${reference}/close`, {});
  assert.equal(closed.status, 303);
  assert.equal((await requestRow(reference)).state, 'closed');

  assert.deepEqual(await auditActions(reference), [
    'support.filed',
    // Read before claiming: every reading is audited.
    'support.viewed',
    'support.claimed',
    'support.viewed',
    'support.image_viewed',
    // The refused empty answer showed the request again.
    'support.viewed',
    'support.replied',
    'support.person_replied',
    'support.closed',
  ]);
  const log = await person.agent.get('/account/security');
  assert.match(log.text, /提交客服工单/);
  assert.match(log.text, /客服回复工单/);
});

test('someone who cannot sign in files with a contact and the captcha; the answer reaches that contact', async () => {
  const anon = new Agent(t.app, { ip: t.nextIp() });
  const form = await anon.get('/support/new');
  assert.match(form.body, /name="contact"/);
  assert.match(form.body, /name="captchaId"/);

  const bad = await t.submitWithCaptcha(anon, '/support/new', '/support/new', { category: 'sign_in', text: '忘记密码', contact: '12345' }, CAPTCHA);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /请填写正确的手机号或邮箱/);
  const wrong = await t.submitWithCaptcha(anon, '/support/new', '/support/new', { category: 'sign_in', text: '忘记密码', contact: 'lost@example.com' }, 'nope');
  assert.equal(wrong.status, 400);
  assert.equal(await t.db.selectFrom('support_requests').select('id').where('contact', '=', 'lost@example.com').executeTakeFirst(), undefined);

  const filed = await t.submitWithCaptcha(
    anon,
    '/support/new',
    '/support/new',
    { category: 'sign_in', text: '手机号和邮箱都换了，登录不了。', contact: 'Lost@Example.com' },
    CAPTCHA,
  );
  assert.equal(filed.status, 200, filed.text);
  const reference = /编号 (GD[0-9A-Z]{10})/.exec(filed.text)![1]!;
  const row = await requestRow(reference);
  assert.equal(row.account_id, null);
  assert.equal(row.contact, 'lost@example.com');

  const [id] = (await queue()).find(([, ref]) => ref === reference)!;
  await support.submit(`/console/support/${id}/claim`, {});
  const casePage = await support.get(`/console/support/${id}`);
  assert.match(casePage.text, /未登录（lost@example.com）/);
  // The contact is only what was typed: staff are warned not to reveal anything about an account.
  assert.match(casePage.text, /提交人未登录，所留联系方式未经验证，可能不是帐号本人/);
  const answered = await support.submit(`/console/support/${id}/reply`, { text: '请携带身份证到学校信息中心办理。', close: '1' });
  assert.equal(answered.status, 303);
  const mail = await t.latestMessageTo('lost@example.com');
  assert.match(mail!.subject!, new RegExp(reference));
  assert.match(mail!.text, /请携带身份证到学校信息中心办理。/, 'without an account the message carries the answer');
  assert.equal((await requestRow(reference)).state, 'closed');
  assert.deepEqual(await auditActions(reference), ['support.filed_anonymously', 'support.claimed', 'support.viewed', 'support.replied']);
  // Closed, it is out of the queue; staff still find it by the reference the person quotes.
  const found = await support.get(`/console/support/find?ref=${reference.toLowerCase()}`);
  assert.equal(found.status, 303);
  assert.equal(found.location, `/console/support/${id}`);
  const closedPage = await support.get(found.location!);
  assert.match(closedPage.text, /请携带身份证到学校信息中心办理。/);
  assert.doesNotMatch(closedPage.body, /id="support-reply-form"|id="support-claim"/, 'closed: nothing to answer');
  const none = await support.get('/console/support/find?ref=GD0000000000');
  assert.equal(none.status, 200);
  assert.match(none.text, /没有这个编号的工单/);
  assert.equal((await support.get('/console/support/find?ref[]=x')).status, 200, 'a malformed query is no server error');
  // The email's link opens the history too, for anyone holding it, signed in or not.
  const link = new URL(/(http\S+\/support\/follow\/[A-Za-z0-9_-]+)/.exec(mail!.text)![1]!);
  const page = await new Agent(t.app, { ip: t.nextIp() }).get(link.pathname);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`${reference}[\\s\\S]*已关闭`));
  assert.match(page.text, /手机号和邮箱都换了，登录不了。/);
  assert.match(page.text, /请携带身份证到学校信息中心办理。/);
});

test('an answer by SMS to someone who filed without signing in: a link to read it, a new one each answer', async () => {
  const anon = new Agent(t.app, { ip: t.nextIp() });
  const phone = t.nextPhone();
  await anon.get('/support/new');
  const filed = await t.submitWithCaptcha(
    anon,
    '/support/new',
    '/support/new',
    { category: 'sign_in', text: '收不到验证码\n换了号码', contact: phone },
    CAPTCHA,
  );
  assert.equal(filed.status, 200, filed.text);
  const reference = /编号 (GD[0-9A-Z]{10})/.exec(filed.text)![1]!;
  const [id] = (await queue()).find(([, ref]) => ref === reference)!;
  await support.submit(`/console/support/${id}/claim`, {});
  await support.get(`/console/support/${id}`);
  assert.equal((await support.submit(`/console/support/${id}/reply`, { text: '请先找回用户名。' })).status, 303);

  const sms = await t.latestMessageTo(phone);
  assert.doesNotMatch(sms!.text, /请先找回用户名/, 'an SMS template carries a link, not the answer');
  const first = /\/support\/follow\/([A-Za-z0-9_-]+)/.exec(sms!.text)![1]!;
  assert.match(sms!.text, new RegExp(`客服已回复您的工单 ${reference}。请打开 \\S+ 查看（30 天内有效）。`));
  const reader = new Agent(t.app, { ip: t.nextIp() });
  const page = await reader.get(`/support/follow/${first}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /请先找回用户名。/);
  assert.match(page.body, /收不到验证码\n换了号码/, 'the lines as written');
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');

  // The next answer's link replaces the first; a made-up or stale link opens nothing.
  await support.get(`/console/support/${id}`);
  assert.equal((await support.submit(`/console/support/${id}/reply`, { text: '找回后即可登录。' })).status, 303);
  const second = /\/support\/follow\/([A-Za-z0-9_-]+)/.exec((await t.latestMessageTo(phone))!.text)![1]!;
  assert.notEqual(second, first);
  const stale = await reader.get(`/support/follow/${first}`);
  assert.equal(stale.status, 404);
  assert.match(stale.text, /链接无效或已过期/);
  assert.equal((await reader.get('/support/follow/not-a-token')).status, 404);
  assert.match((await reader.get(`/support/follow/${second}`)).text, /找回后即可登录。/);
  // Links last 30 days (the row's expiry moved back rather than the shared clock forward).
  const row = await requestRow(reference);
  assert.equal(row.follow_expires_at!.getTime() - t.clock.now().getTime(), 30 * 24 * 3600_000);
  await t.db
    .updateTable('support_requests')
    .set({ follow_expires_at: new Date(t.clock.now().getTime() - 1) })
    .where('reference', '=', reference)
    .execute();
  assert.equal((await reader.get(`/support/follow/${second}`)).status, 404, 'an expired link opens nothing');
});

test('the queue is oldest first, claims are exclusive, and bad input changes nothing', async () => {
  const first = await t.registerPhone();
  const second = await t.registerPhone();
  const file = async (agent: Agent, text: string) => {
    await agent.get('/support/new');
    const page = await agent.submit('/support/new', { category: 'other', text });
    assert.equal(page.status, 303, page.text);
    return /(GD[0-9A-Z]{10})/.exec(page.location!)![1]!;
  };
  const older = await file(first.agent, '第一个问题');
  t.clock.advance(60_000);
  const newer = await file(second.agent, '第二个问题');
  const refs = (await queue()).map(([, ref]) => ref);
  assert.ok(refs.indexOf(older) < refs.indexOf(newer), 'oldest first');

  const other = await signInStaff(t, await createStaff(t, 'support.sun', ['support']), '192.0.2.62');
  const [id] = (await queue()).find(([, ref]) => ref === older)!;
  assert.equal((await support.submit(`/console/support/${id}/claim`, {})).status, 303);
  await other.get('/console/support');
  assert.equal((await other.submit(`/console/support/${id}/claim`, {})).status, 409, 'held by another');
  assert.equal((await other.submit(`/console/support/${id}/reply`, { text: '抢答' })).status, 403);
  await support.get(`/console/support/${id}`);
  assert.equal((await support.submit(`/console/support/${id}/close`, {})).status, 303);
  assert.equal((await requestRow(older)).state, 'closed');
  assert.equal((await support.get('/console/support/not-a-uuid')).status, 404);

  // Bad input: every field's message at once, in both languages; nothing stored.
  const before = (await t.db.selectFrom('support_requests').select('id').execute()).length;
  await first.agent.get('/support/new');
  const zh = await first.agent.submit('/support/new', { category: 'nonsense', text: '' });
  assert.equal(zh.status, 400);
  assert.match(zh.text, /请选择问题类别/);
  assert.match(zh.text, /请填写问题描述/);
  const long = await first.agent.submit('/support/new', { category: 'other', text: '长'.repeat(2001) });
  assert.match(long.text, /问题描述不能超过 2000 个字/);
  const notImage = await first.agent.submitMultipart(
    '/support/new',
    { category: 'other', text: '附件' },
    { image: { filename: 'a.png', contentType: 'image/png', data: Buffer.from('not an image') } },
  );
  assert.equal(notImage.status, 400);
  assert.match(notImage.text, /仅支持 jpg、jpeg、png、gif 格式的图片/);
  const english = new Agent(t.app, { ip: t.nextIp(), headers: { 'accept-language': 'en' } });
  await english.get('/support/new');
  const en = await english.submit('/support/new', { category: 'other', text: 'x' });
  assert.match(en.text, /Give a mobile number or email address for the answer/);
  assert.equal((await t.db.selectFrom('support_requests').select('id').execute()).length, before);
  assert.equal((await first.agent.get('/account/support/GD0000000000')).status, 404);
  assert.equal((await second.agent.get(`/account/support/${older}`)).status, 404, "another person's request is not found");
});

test('filing is limited per contact without an account', async () => {
  const file = async (contact: string) => {
    const agent = new Agent(t.app, { ip: t.nextIp() });
    return t.submitWithCaptcha(agent, '/support/new', '/support/new', { category: 'other', text: '请帮忙', contact }, CAPTCHA);
  };
  for (let i = 0; i < 3; i++) assert.equal((await file('13800138000')).status, 200);
  const refused = await file('13800138000');
  assert.equal(refused.status, 429);
  assert.match(refused.text, /频繁|稍后/);
});

test('the assistant offers 转人工 / 提交工单 with the question, and the contacts stand beside every form', async () => {
  const anon = new Agent(t.app, { ip: t.nextIp() });
  const question = '收不到短信校验码';
  const page = await anon.get(`/help/assistant?q=${encodeURIComponent(question)}`);
  assert.match(page.text, /电话 400-810-0000/);
  const href = /id="assistant-handoff" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
  assert.equal(href, `/support/new?from=assistant&q=${encodeURIComponent(question)}`);
  const chat = await t.app.inject({ method: 'GET', url: `/help/assistant/answer?q=${encodeURIComponent(question)}` });
  assert.equal((chat.json() as { handoff: { href: string; label: string } }).handoff.href, href);
  assert.equal((chat.json() as { handoff: { label: string } }).handoff.label, '转人工 / 提交工单');
  // The chat carries the contacts the page shows, for an answer and for a question without one.
  assert.equal((chat.json() as { contacts: string }).contacts, '客服联系方式：电话 400-810-0000（工作日 9:00–17:00）');
  const none = await t.app.inject({ method: 'GET', url: `/help/assistant/answer?q=${encodeURIComponent('明天北京天气')}` });
  assert.equal((none.json() as { kind: string; contacts: string }).kind, 'none');
  assert.match((none.json() as { contacts: string }).contacts, /电话 400-810-0000/);

  // A chat's earlier questions travel with it, oldest first; what could not be asked is dropped.
  const earlier = ['学信网帐号怎么注册', '验'.repeat(201), '手机号换了怎么办'].map((q) => `&earlier=${encodeURIComponent(q)}`).join('');
  const conversation = await t.app.inject({ method: 'GET', url: `/help/assistant/answer?q=${encodeURIComponent(question)}${earlier}` });
  assert.equal(
    (conversation.json() as { handoff: { href: string } }).handoff.href,
    `/support/new?from=assistant&q=${encodeURIComponent(`学信网帐号怎么注册\n手机号换了怎么办\n${question}`)}`,
  );

  const form = await anon.get(href);
  assert.match(form.body, new RegExp(`${question}</textarea>`));
  assert.match(form.body, /name="source" value="assistant"/);
  for (const body of [form.text, (await anon.get('/support/new')).text]) {
    assert.match(body, /电话 400-810-0000/);
    assert.match(body, /工作日 9:00–17:00/);
  }
  const person = await t.registerPhone();
  assert.match((await person.agent.get('/account/support')).text, /电话 400-810-0000/);
  assert.match((await person.agent.get('/account/support')).text, /您还没有提交过工单。/);
});

test('an account with no proved contact: staff are told, and the answer waits in its inbox', async () => {
  const person = await t.registerPhone();
  // Its phone went to someone who registered with it (the documented release rule).
  await t.db.updateTable('accounts').set({ phone_verified_at: null }).where('id', '=', person.accountId).execute();
  await person.agent.get('/support/new');
  const filed = await person.agent.submit('/support/new', { category: 'contacts', text: '手机号被别人注册了' });
  assert.equal(filed.status, 303, filed.text);
  const reference = /(GD[0-9A-Z]{10})/.exec(filed.location!)![1]!;
  const [id] = (await queue()).find(([, ref]) => ref === reference)!;
  await support.submit(`/console/support/${id}/claim`, {});
  const page = await support.get(`/console/support/${id}`);
  assert.match(page.text, /此帐号没有已验证的手机号或邮箱/);
  const before = (await t.messagesTo(person.phone)).length;
  const answered = await support.submit(`/console/support/${id}/reply`, { text: '请先绑定新的手机号。' });
  assert.equal(answered.status, 303);
  assert.match((await support.get(answered.location!)).text, /已回复。该帐号没有已验证的手机号或邮箱，答复已放入其收件箱。/);
  assert.equal((await t.messagesTo(person.phone)).length, before, 'nothing goes to a phone the account no longer proves');
  const inbox = await person.agent.get('/inbox');
  assert.match(inbox.text, new RegExp(`客服已回复您的工单 ${reference}。`));
});
