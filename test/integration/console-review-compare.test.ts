// What a photo reviewer compares: the claimant's name and full ID number (shown only to the
// reviewer holding the claim, every showing audited), the names the other holders of the number
// entered, and each photo at full size through a link (the browser zooms it; no script). The
// rejection the person receives has no doubled punctuation, whatever the reviewer typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { makeJpeg, makePng } from '../helpers/images.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';

let t: TestInstance;
let zhou: Agent;
let wu: Agent;
const PASSWORD = 'review compare password';
const id = (seq: number) => {
  const body = `51010419950505${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
  zhou = await signInStaff(t, await createStaff(t, 'reviewer.zhou', ['reviewer']));
  wu = await signInStaff(t, await createStaff(t, 'reviewer.wu', ['reviewer']), '192.0.2.52');
});
after(() => t.close());

const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

async function submitPhotos(agent: Agent) {
  await agent.get('/account/resolution/photo');
  const page = await agent.submitMultipart(
    '/account/resolution/photo',
    { acknowledge: '1' },
    {
      handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(6, 6) },
      front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg() },
      back: { filename: 'back.png', contentType: 'image/png', data: makePng(3, 3) },
    },
  );
  assert.equal(page.status, 200, page.text);
}

async function waitingCase(reviewer: Agent, name: string): Promise<string> {
  const queue = await reviewer.get('/console/reviews');
  const row = [...queue.body.matchAll(/<tr data-review="([0-9a-f-]{36})">(.*?)<\/tr>/gs)].find((m) => m[2]!.includes(name));
  assert.ok(row, `${name} waits in the queue`);
  return row[1]!;
}

test('the claimant reviewer sees the full number (audited), both names side by side, and full-size photo links', async () => {
  const holder = await register({ name: '周大海', idNumber: id(1) });
  const claimant = await register({ name: '周大海', idNumber: id(1), reRegister: '1' });
  await submitPhotos(claimant.agent);
  const reviewId = await waitingCase(zhou, '周大海');

  // Before the claim: the queue masks the number; nobody sees the case page.
  assert.doesNotMatch((await zhou.get('/console/reviews')).body, new RegExp(id(1)));
  assert.equal((await zhou.get(`/console/reviews/${reviewId}`)).status, 403);

  await zhou.get('/console/reviews');
  assert.equal((await zhou.submit(`/console/reviews/${reviewId}/claim`, {})).status, 303);
  const page = await zhou.get(`/console/reviews/${reviewId}`);
  assert.equal(page.status, 200, page.text);
  assert.match(page.body, new RegExp(`id="case-id-number">${id(1)}<`), 'the full number for the reviewer holding the claim');
  assert.match(page.text, /每次显示都记入审计日志/);
  const compare = /<table [^>]*class="grid" id="compare-holders">.*?<\/table>/s.exec(page.body)![0];
  const rows = [...compare.matchAll(/<tr data-holder="(claimant|other)">(.*?)<\/tr>/gs)];
  assert.deepEqual(
    rows.map((r) => r[1]),
    ['claimant', 'other'],
  );
  assert.match(rows[0]![2]!, /周大海/);
  assert.match(rows[1]![2]!, /周大海/);
  assert.match(rows[1]![2]!, new RegExp(`${holder.phone.slice(0, 3)}\\*{4}${holder.phone.slice(7)}`), 'the other holder, masked');
  assert.doesNotMatch(compare, new RegExp(holder.phone));
  for (const kind of ['handheld', 'front', 'back']) {
    assert.match(page.body, new RegExp(`<a href="/console/reviews/${reviewId}/photos/${kind}" target="_blank" rel="noopener" id="photo-${kind}-full">`));
    const full = await zhou.get(`/console/reviews/${reviewId}/photos/${kind}`);
    assert.equal(full.status, 200);
    assert.match(String(full.headers['content-type']), /^image\//);
  }

  // Every showing of the number is in the audit trail, under the reviewer, on the claimant's account.
  await zhou.get(`/console/reviews/${reviewId}`);
  const shown = await t.db
    .selectFrom('audit_events')
    .select(['actor_id', 'account_id', 'detail'])
    .where('action', '=', 'identity.decrypted')
    .where('actor_id', '=', 'reviewer.zhou')
    .execute();
  assert.equal(shown.length, 2);
  assert.ok(shown.every((s) => s.account_id === claimant.accountId && JSON.stringify(s.detail).includes(reviewId)));
  assert.ok(!JSON.stringify(shown).includes(id(1)), 'the number itself is not in the trail');

  // Another reviewer sees neither the page nor the number.
  const other = await wu.get(`/console/reviews/${reviewId}`);
  assert.equal(other.status, 403);
  assert.doesNotMatch(other.body, new RegExp(id(1)));
});

test('a case whose number no one else holds says so', async () => {
  const claimant = await register({ name: '吴小溪', idNumber: id(2) });
  const other = await register({ name: '吴小溪', idNumber: id(2), reRegister: '1' });
  await submitPhotos(other.agent);
  const reviewId = await waitingCase(wu, '吴小溪');
  await wu.get('/console/reviews');
  await wu.submit(`/console/reviews/${reviewId}/claim`, {});
  // Support deregisters the first holder meanwhile: only live holders are compared.
  await t.db.updateTable('accounts').set({ state: 'deregistered' }).where('id', '=', claimant.accountId).execute();
  const page = await wu.get(`/console/reviews/${reviewId}`);
  assert.match(page.text, /没有其他未注销的帐号使用这个证件号码/);
});

test('a rejection note with its own punctuation reaches the person with one full stop', async () => {
  await register({ name: '郑一鸣', idNumber: id(3) });
  const claimant = await register({ name: '郑一鸣', idNumber: id(3), reRegister: '1' });
  await submitPhotos(claimant.agent);
  const reviewId = await waitingCase(zhou, '郑一鸣');
  await zhou.get('/console/reviews');
  await zhou.submit(`/console/reviews/${reviewId}/claim`, {});
  await zhou.get(`/console/reviews/${reviewId}`);
  const done = await zhou.submit(`/console/reviews/${reviewId}/decision`, { decision: 'reject', reason: 'blurry', note: '：正面反光。' });
  assert.equal(done.status, 303);
  const text = (await t.latestMessageTo(claimant.phone))!.text;
  assert.match(text, /未通过客服审核（.*）：照片不清晰，证件信息无法辨认：正面反光。请登录后重新上传。/);
  assert.doesNotMatch(text, /。。|：：|\.\./);
});
