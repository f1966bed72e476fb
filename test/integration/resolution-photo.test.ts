// 途径2 over HTTP: uploads judged by content (a text file named .jpg, 301 KB, a PNG with GPS, a
// polyglot), the person's 审核中 / 未通过 / 通过, and the console's review pages: claim, view (only
// the claimant reviewer; never cached; metadata gone), reject with a reason, approve → the other
// account is deregistered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';

let t: TestInstance;
let wang: Agent;
let li: Agent;
const PASSWORD = 'photo path password';
const id = (seq: number) => {
  const body = `44030419980808${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
  wang = await signInStaff(t, await createStaff(t, 'reviewer.wang', ['reviewer']));
  li = await signInStaff(t, await createStaff(t, 'reviewer.li', ['reviewer']), '192.0.2.51');
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

const good = () => ({
  handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(4, 4, [['eXIf', GPS_EXIF]]) },
  front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg(true) },
  back: { filename: 'back.gif', contentType: 'image/gif', data: SMALLEST_GIF },
});

async function upload(agent: Agent, files: ReturnType<typeof good>, acknowledge = true) {
  await agent.get('/account/resolution/photo');
  return agent.submitMultipart('/account/resolution/photo', acknowledge ? { acknowledge: '1' } : {}, files);
}

/** The id of the waiting case of the person named `name`, from the queue page. */
async function caseOf(reviewer: Agent, name: string): Promise<string> {
  const queue = await reviewer.get('/console/reviews');
  assert.equal(queue.status, 200, queue.text);
  const row = [...queue.body.matchAll(/<tr data-review="([0-9a-f-]{36})">(.*?)<\/tr>/gs)].find((m) => m[2]!.includes(name));
  assert.ok(row, `${name} waits in the queue`);
  return row[1]!;
}

async function decide(reviewer: Agent, reviewId: string, fields: Record<string, string>) {
  await reviewer.get(`/console/reviews/${reviewId}`);
  return reviewer.submit(`/console/reviews/${reviewId}/decision`, fields);
}

const reviewCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('photo_reviews')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('uploads are judged by content and size; bad ones change nothing', async () => {
  await register({ name: '冯一', idNumber: id(1) });
  const claimant = await register({ name: '冯一', idNumber: id(1), reRegister: '1' });
  const cases: Array<[string, ReturnType<typeof good>, RegExp]> = [
    [
      'a text file named .jpg',
      { ...good(), handheld: { filename: 'me.jpg', contentType: 'image/jpeg', data: Buffer.from('this is not a photo at all') } },
      /仅支持 jpg、jpeg、png、gif 格式的图片（按文件内容判断）/,
    ],
    ['301 KB', { ...good(), front: { filename: 'big.png', contentType: 'image/png', data: makePng(4, 4, [], 301 * 1024) } }, /图片大小不能超过 300K/],
    [
      'a polyglot',
      { ...good(), back: { filename: 'back.gif', contentType: 'image/gif', data: Buffer.concat([SMALLEST_GIF, Buffer.from('<script>alert(1)</script>')]) } },
      /图片文件末尾含有其他数据/,
    ],
  ];
  for (const [label, files, message] of cases) {
    const page = await upload(claimant.agent, files);
    assert.equal(page.status, 400, label);
    assert.match(page.text, message, label);
  }
  const noTick = await upload(claimant.agent, good(), false);
  assert.match(noTick.text, /请先阅读重要提示并勾选确认/);
  const exactly300 = await upload(claimant.agent, { ...good(), front: { filename: 'ok.png', contentType: 'image/png', data: makePng(4, 4, [], 300 * 1024) } });
  assert.equal(exactly300.status, 200, 'exactly 300 KB is allowed');
  assert.equal(await reviewCount(), 1);
});

test('reviewed by staff: rejected with a reason, submitted again, approved; the old account is deregistered', async () => {
  const owner = await register({ name: '褚二', idNumber: id(2) });
  const claimant = await register({ name: '褚二', idNumber: id(2), reRegister: '1' });
  const sent = await upload(claimant.agent, good());
  assert.equal(sent.status, 200);
  assert.match(sent.text, /照片已提交，等待客服审核/);
  assert.match(sent.text, /审核中：照片已于 .* 提交，客服将在三个工作日内（.* 前）处理完毕/);
  assert.doesNotMatch(sent.body, /id="photo-form"/, 'no second submission while one waits');

  // The queue shows the case masked; the photos open only to the reviewer holding the claim.
  const queue = await wang.get('/console/reviews');
  assert.match(queue.text, /褚二/);
  assert.match(queue.text, /440\*{11}\d{3}[\dX]/, 'the number is masked');
  const reviewId = await caseOf(wang, '褚二');
  assert.equal((await wang.get(`/console/reviews/${reviewId}/photos/handheld`)).status, 403, 'claim first');
  await wang.get('/console/reviews');
  const claimRes = await wang.submit(`/console/reviews/${reviewId}/claim`, {});
  assert.equal(claimRes.status, 303, claimRes.text);
  const othersQueue = await li.get('/console/reviews');
  const heldRow = new RegExp(`<tr data-review="${reviewId}">(.*?)</tr>`, 's').exec(othersQueue.body)![1]!;
  assert.match(heldRow, /他人处理中/, 'no claim button on a case someone holds');
  assert.doesNotMatch(heldRow, /领取/);
  const taken = await li.submit(`/console/reviews/${reviewId}/claim`, {});
  assert.equal(taken.status, 409, 'two reviewers never hold one case');
  assert.match(taken.text, /无法完成操作/);
  assert.match(taken.text, /该审核已由其他客服处理或不在待审状态/);
  assert.equal((await li.get(`/console/reviews/${reviewId}/photos/front`)).status, 403);
  assert.equal((await li.get(`/console/reviews/${reviewId}`)).status, 403);

  const casePage = await wang.get(`/console/reviews/${reviewId}`);
  assert.match(
    casePage.text,
    new RegExp(`将被注销的帐号： ${owner.phone.slice(0, 3)}\\*{4}${owner.phone.slice(7)}`),
    'the reviewer sees what approval deregisters',
  );
  assert.match(casePage.body, new RegExp(`<img src="/console/reviews/${reviewId}/photos/handheld"`));
  const photo = await wang.app.inject({
    method: 'GET',
    url: `/console/reviews/${reviewId}/photos/handheld`,
    headers: { cookie: [...wang.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    remoteAddress: wang.ip,
  });
  assert.equal(photo.statusCode, 200);
  assert.equal(photo.headers['content-type'], 'image/png');
  assert.equal(photo.headers['cache-control'], 'no-store, private');
  assert.equal(photo.rawPayload.indexOf('GPS'), -1, 'the GPS metadata is gone');
  assert.deepEqual(photo.rawPayload, makePng(4, 4));
  const stored = await t.db.selectFrom('photo_files').select('cipher').where('review_id', '=', reviewId).execute();
  assert.ok(
    stored.every((row) => row.cipher !== null && Buffer.from(row.cipher).indexOf(makePng(4, 4).subarray(0, 16)) === -1),
    'stored encrypted',
  );
  const views = await t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'review.photo_viewed').execute();
  assert.equal(views.length, 1, 'each view is audited');
  assert.equal(views[0]!.actor_id, 'reviewer.wang');

  t.clock.advance(1_000);
  const noReason = await decide(wang, reviewId, { decision: 'reject', reason: 'nonsense' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.text, /请选择未通过的原因/);
  const rejected = await decide(wang, reviewId, { decision: 'reject', reason: 'blurry', note: '正面反光' });
  assert.equal(rejected.status, 303);
  assert.match((await wang.get(rejected.location!)).text, /已驳回，申请人已收到原因/);
  const page = await claimant.agent.get('/account/resolution/photo');
  assert.match(page.text, /审核未通过：照片不清晰，证件信息无法辨认：正面反光/);
  assert.match((await t.latestMessageTo(claimant.phone))!.text, /未通过客服审核/);

  const again = await upload(claimant.agent, good());
  assert.equal(again.status, 200, 'after a rejection the person may submit again');
  const second = await caseOf(wang, '褚二');
  await wang.submit(`/console/reviews/${second}/claim`, {});
  const approved = await decide(wang, second, { decision: 'approve', note: '三张照片清晰，信息一致' });
  assert.equal(approved.status, 303);
  assert.match((await claimant.agent.get('/account/resolution')).text, /身份核验已于 .* 通过（客服协助验证）/);
  const old = await t.db
    .selectFrom('released_contacts')
    .innerJoin('accounts', 'accounts.id', 'released_contacts.account_id')
    .select('accounts.state')
    .where('released_contacts.value', '=', owner.phone)
    .executeTakeFirstOrThrow();
  assert.equal(old.state, 'deregistered');
  const decided = await t.db
    .selectFrom('audit_events')
    .select(['actor_kind', 'actor_id', 'detail'])
    .where('action', '=', 'review.approved')
    .executeTakeFirstOrThrow();
  assert.deepEqual({ actor_kind: decided.actor_kind, actor_id: decided.actor_id }, { actor_kind: 'staff', actor_id: 'reviewer.wang' });
  assert.equal((decided.detail as { note: string }).note, '三张照片清晰，信息一致', 'what the reviewer checked is kept');
});

test('a person cannot reach the console: their session is no key to it', async () => {
  const person = await register({ name: '卫三', idNumber: id(3) });
  await person.agent.get('/account');
  for (const url of ['/console', '/console/reviews', '/console/accounts', '/console/staff']) {
    const res = await person.agent.get(url);
    assert.equal(res.status, 303, url);
    assert.equal(res.location, '/console/login');
  }
  const post = await person.agent.submit('/console/reviews/00000000-0000-4000-8000-000000000000/claim', {});
  assert.equal(post.status, 401);
  assert.match(post.text, /请先以客服身份登录/);
  const token = await t.apiToken(person.phone, PASSWORD);
  const res = await t.app.inject({ method: 'GET', url: '/console/reviews', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 303);
});

test('a new submission made in the same instant as the last rejection shows as under review', async () => {
  await register({ name: '蒋四', idNumber: id(4) });
  const claimant = await register({ name: '蒋四', idNumber: id(4), reRegister: '1' });
  await upload(claimant.agent, good());
  const reviewId = await caseOf(wang, '蒋四');
  await wang.submit(`/console/reviews/${reviewId}/claim`, {});
  assert.equal((await decide(wang, reviewId, { decision: 'reject', reason: 'covered' })).status, 303);
  const again = await upload(claimant.agent, good());
  assert.equal(again.status, 200);
  assert.match(again.text, /审核中/);
  assert.doesNotMatch(again.text, /审核未通过/);
  const rejectionNotice = await t.latestMessageTo(claimant.phone);
  assert.doesNotMatch(rejectionNotice!.text, /找回密码/, 'a staff decision is not "someone else"');
});

test('a claimant support suspended meanwhile cannot be approved: the case says so and stays decidable', async () => {
  await register({ name: '沈五', idNumber: id(5) });
  const claimant = await register({ name: '沈五', idNumber: id(5), reRegister: '1' });
  await upload(claimant.agent, good());
  const accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', claimant.phone).executeTakeFirstOrThrow()).id;
  await t.db.updateTable('accounts').set({ state: 'suspended', state_before_suspension: 'needs_verification' }).where('id', '=', accountId).execute();
  const queue = await wang.get('/console/reviews');
  assert.match(/<tr data-review="[^"]+">(?:(?!<\/tr>).)*沈五.*?<\/tr>/s.exec(queue.body)![0], /已停用/);
  const reviewId = await caseOf(wang, '沈五');
  await wang.submit(`/console/reviews/${reviewId}/claim`, {});
  const refused = await decide(wang, reviewId, { decision: 'approve' });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /该帐号已被客服停用，不能审核通过/);
  assert.match(refused.body, /id="reject-form"/, 'the case is shown again, rejection still possible');
  assert.equal((await t.db.selectFrom('photo_reviews').select('state').where('id', '=', reviewId).executeTakeFirstOrThrow()).state, 'pending');
  assert.equal((await decide(wang, reviewId, { decision: 'reject', reason: 'mismatch' })).status, 303);
});

test('the photos ask their own consent with the purpose stated; without it nothing is stored, with it the consent is recorded', async () => {
  await register({ name: '冯同意', idNumber: id(90) });
  const claimant = await register({ name: '冯同意', idNumber: id(90), reRegister: '1' });
  const form = await claimant.agent.get('/account/resolution/photo');
  assert.match(form.text, /我同意通行处理我上传的证件照片（敏感个人信息），仅用于工作人员核对/);
  const before = await reviewCount();
  const refused = await claimant.agent.submitMultipart('/account/resolution/photo', { acknowledge: '1' }, good(), { consent: false });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /请先勾选同意处理这项敏感个人信息/);
  assert.match(refused.body, /name="acknowledge" value="1" checked/, 'the other tick is kept');
  assert.equal(await reviewCount(), before, 'no review, no photo');

  await claimant.agent.get('/account/resolution/photo');
  const sent = await claimant.agent.submitMultipart('/account/resolution/photo', { acknowledge: '1', agreeSensitive: '1' }, good(), { consent: false });
  assert.equal(sent.status, 200, sent.text);
  const consents = await t.db
    .selectFrom('consent_records')
    .select(['document', 'version'])
    .where('account_id', '=', claimant.accountId)
    .where('document', '=', 'sensitive:id_photo')
    .execute();
  assert.deepEqual(consents, [{ document: 'sensitive:id_photo', version: '1' }]);
});

test('withdrawn before the review: the case closes, the photos are erased at once, and new ones may be sent', async () => {
  await register({ name: '韩撤回', idNumber: id(91) });
  const claimant = await register({ name: '韩撤回', idNumber: id(91), reRegister: '1' });
  await claimant.agent.get('/account/resolution/photo');
  assert.equal((await upload(claimant.agent, good())).status, 200);
  const pending = await claimant.agent.get('/account/resolution/photo');
  assert.match(pending.body, /id="photo-withdraw"/);

  const withdrawn = await claimant.agent.submit('/account/resolution/photo/withdraw', {});
  assert.equal(withdrawn.status, 200);
  assert.match(withdrawn.text, /申请已撤回，照片已删除。/);
  const review = await t.db.selectFrom('photo_reviews').select(['id', 'state']).where('account_id', '=', claimant.accountId).executeTakeFirstOrThrow();
  assert.equal(review.state, 'closed');
  const files = await t.db.selectFrom('photo_files').select(['cipher', 'erased_at']).where('review_id', '=', review.id).execute();
  assert.equal(files.length, 3);
  assert.ok(
    files.every((f) => f.cipher === null && f.erased_at !== null),
    'every photo erased now, not after the retention',
  );
  assert.match((await claimant.agent.get('/account/security')).text, /撤回证件照片审核申请，照片已删除/);
  // Nothing is left for staff, and a second withdrawal has nothing to take back.
  assert.match(
    (await claimant.agent.submit('/account/resolution/photo/withdraw', {}, { from: '/account/resolution/photo' })).text,
    /没有等待审核的申请可以撤回/,
  );
  // The form is offered again.
  assert.match((await claimant.agent.get('/account/resolution/photo')).body, /id="photo-form"/);
});
