// 途径2 over HTTP: uploads judged by content (a text file named .jpg, 301 KB, a PNG with GPS, a
// polyglot), the person's 审核中 / 未通过 / 通过, and the guarded staff API: claim, view (only
// the claimant reviewer; never cached; metadata gone), reject with a reason, approve → the other
// account is deregistered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn, latestMessageTo } from '../helpers/agent.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';

const STAFF_TOKEN = 's'.repeat(48);
let t: TestInstance;
const PASSWORD = 'photo path password';
let n = 0;
const nextPhone = () => `151${String(80_000_000 + ++n * 15_485_863).slice(-8)}`;
const id = (seq: number) => {
  const body = `44030419980808${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    env: { STAFF_API_TOKEN: STAFF_TOKEN },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
});
after(() => t.close());

async function register(identity: { name: string; idNumber: string; reRegister?: '1' }) {
  const phone = nextPhone();
  const agent = new Agent(t.app, { ip: `198.18.30.${n}` });
  await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
  const code = codeIn((await latestMessageTo(t.app, phone))!.text);
  const done = await agent.submit('/register/phone', { phone, code, password: PASSWORD, idType: 'resident_id', ...identity });
  assert.equal(done.status, 303, done.text);
  return { phone, agent };
}

const good = () => ({
  handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(4, 4, [['eXIf', GPS_EXIF]]) },
  front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg(true) },
  back: { filename: 'back.gif', contentType: 'image/gif', data: SMALLEST_GIF },
});

async function upload(agent: Agent, files: ReturnType<typeof good>, acknowledge = true) {
  await agent.get('/account/resolution/photo');
  return agent.submitMultipart('/account/resolution/photo', acknowledge ? { acknowledge: '1' } : {}, files);
}

const staff = (method: 'GET' | 'POST', url: string, options: { token?: string; staffId?: string; payload?: unknown } = {}) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${options.token ?? STAFF_TOKEN}`, 'x-staff-id': options.staffId ?? 'reviewer.wang' },
    ...(options.payload ? { payload: options.payload as Record<string, unknown> } : {}),
  });

const reviewCount = async () => Number((await t.db.selectFrom('photo_reviews').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('uploads are judged by content and size; bad ones change nothing', async () => {
  await register({ name: '冯一', idNumber: id(1) });
  const claimant = await register({ name: '冯一', idNumber: id(1), reRegister: '1' });
  const cases: Array<[string, ReturnType<typeof good>, RegExp]> = [
    ['a text file named .jpg', { ...good(), handheld: { filename: 'me.jpg', contentType: 'image/jpeg', data: Buffer.from('this is not a photo at all') } }, /仅支持 jpg、jpeg、png、gif 格式的图片（按文件内容判断）/],
    ['301 KB', { ...good(), front: { filename: 'big.png', contentType: 'image/png', data: makePng(4, 4, [], 301 * 1024) } }, /图片大小不能超过 300K/],
    ['a polyglot', { ...good(), back: { filename: 'back.gif', contentType: 'image/gif', data: Buffer.concat([SMALLEST_GIF, Buffer.from('<script>alert(1)</script>')]) } }, /图片文件末尾含有其他数据/],
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

  // The staff API: guarded, and a person's session is no key to it.
  assert.equal((await staff('GET', '/api/v1/staff/reviews', { token: 'x'.repeat(48) })).statusCode, 401);
  const list = (await staff('GET', '/api/v1/staff/reviews')).json() as { reviews: Array<{ id: string; name: string; idMasked: string; overdue: boolean }> };
  const review = list.reviews.find((r) => r.name === '褚二')!;
  assert.ok(review);
  assert.match(review.idMasked, /^440\*+/);
  assert.equal((await staff('GET', `/api/v1/staff/reviews/${review.id}/photos/handheld`)).statusCode, 403, 'claim first');
  const claimRes = await staff('POST', `/api/v1/staff/reviews/${review.id}/claim`);
  assert.equal(claimRes.statusCode, 204, claimRes.body);
  assert.equal((await staff('POST', `/api/v1/staff/reviews/${review.id}/claim`, { staffId: 'reviewer.li' })).statusCode, 409, 'two reviewers never hold one case');
  assert.equal((await staff('GET', `/api/v1/staff/reviews/${review.id}/photos/front`, { staffId: 'reviewer.li' })).statusCode, 403);

  const photo = await staff('GET', `/api/v1/staff/reviews/${review.id}/photos/handheld`);
  assert.equal(photo.statusCode, 200);
  assert.equal(photo.headers['content-type'], 'image/png');
  assert.equal(photo.headers['cache-control'], 'no-store');
  assert.equal(photo.rawPayload.indexOf('GPS'), -1, 'the GPS metadata is gone');
  assert.deepEqual(photo.rawPayload, makePng(4, 4));
  const stored = await t.db.selectFrom('photo_files').select('cipher').where('review_id', '=', review.id).execute();
  assert.ok(stored.every((row) => Buffer.from(row.cipher).indexOf(makePng(4, 4).subarray(0, 16)) === -1), 'stored encrypted');
  const views = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'review.photo_viewed').execute();
  assert.equal(views.length, 1, 'each view is audited');

  t.clock.advance(1_000);
  const rejected = await staff('POST', `/api/v1/staff/reviews/${review.id}/decision`, { payload: { decision: 'reject', reason: 'blurry', note: '正面反光' } });
  assert.equal(rejected.statusCode, 204);
  const page = await claimant.agent.get('/account/resolution/photo');
  assert.match(page.text, /审核未通过：照片不清晰，证件信息无法辨认：正面反光/);
  assert.match((await latestMessageTo(t.app, claimant.phone))!.text, /未通过客服审核/);

  const again = await upload(claimant.agent, good());
  assert.equal(again.status, 200, 'after a rejection the person may submit again');
  const second = ((await staff('GET', '/api/v1/staff/reviews')).json() as { reviews: Array<{ id: string; name: string }> }).reviews.find((r) => r.name === '褚二')!;
  await staff('POST', `/api/v1/staff/reviews/${second.id}/claim`);
  const approved = await staff('POST', `/api/v1/staff/reviews/${second.id}/decision`, { payload: { decision: 'approve' } });
  assert.equal(approved.statusCode, 204);
  assert.match((await claimant.agent.get('/account/resolution')).text, /身份核验已于 .* 通过（客服协助验证）/);
  const old = await t.db.selectFrom('released_contacts').innerJoin('accounts', 'accounts.id', 'released_contacts.account_id').select('accounts.state').where('released_contacts.value', '=', owner.phone).executeTakeFirstOrThrow();
  assert.equal(old.state, 'deregistered');
  const decided = await t.db.selectFrom('audit_events').select(['actor_kind', 'actor_id']).where('action', '=', 'review.approved').executeTakeFirstOrThrow();
  assert.deepEqual(decided, { actor_kind: 'staff', actor_id: 'reviewer.wang' });
});

test('the staff API does not exist without a token configured, and a person cannot reach it', async () => {
  const bare = await getTestInstance({});
  try {
    const res = await bare.app.inject({ method: 'GET', url: '/api/v1/staff/reviews', headers: { authorization: `Bearer ${STAFF_TOKEN}`, 'x-staff-id': 'x' } });
    assert.equal(res.statusCode, 404);
  } finally {
    await bare.close();
  }
  const person = await register({ name: '卫三', idNumber: id(3) });
  const api = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', remoteAddress: '198.18.31.1', payload: { username: person.phone, password: PASSWORD } });
  const token = (api.json() as { token: string }).token;
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/staff/reviews', headers: { authorization: `Bearer ${token}`, 'x-staff-id': 'me' } });
  assert.equal(res.statusCode, 401);
});

test('a new submission made in the same instant as the last rejection shows as under review', async () => {
  await register({ name: '蒋四', idNumber: id(4) });
  const claimant = await register({ name: '蒋四', idNumber: id(4), reRegister: '1' });
  await upload(claimant.agent, good());
  const review = ((await staff('GET', '/api/v1/staff/reviews')).json() as { reviews: Array<{ id: string; name: string }> }).reviews.find((r) => r.name === '蒋四')!;
  await staff('POST', `/api/v1/staff/reviews/${review.id}/claim`);
  await staff('POST', `/api/v1/staff/reviews/${review.id}/decision`, { payload: { decision: 'reject', reason: 'covered' } });
  const again = await upload(claimant.agent, good());
  assert.equal(again.status, 200);
  assert.match(again.text, /审核中/);
  assert.doesNotMatch(again.text, /审核未通过/);
  const rejectionNotice = await latestMessageTo(t.app, claimant.phone);
  assert.doesNotMatch(rejectionNotice!.text, /找回密码/, 'a staff decision is not "someone else"');
});
