// The console's account list: every account newest first, 50 a page with a link to the next
// (keyset on registration time and id: no account skipped or shown twice, even among accounts
// registered in the same instant), narrowed by state, real-name status, registration date and
// platform through a GET query kept in the form; a wrong filter value gets a message and a 400,
// never a 5xx; the look-up by phone, email or ID number stays a POST; only support and admins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServedInstance } from '../helpers/browser.ts';
import type { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff, type TestStaff } from '../helpers/staff.ts';
import { Browserless, authUrl, idNo, platform, registerPerson, signInThroughTongxing, start } from '../helpers/sso-flow.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: ServedInstance;
let support: Agent;
let supportStaff: TestStaff;

before(async () => {
  t = await start();
  supportStaff = await createStaff(t, 'support.list', ['support']);
  support = await signInStaff(t, supportStaff);
});
after(() => t.close());

/** The accounts a list page shows, by id, in order. */
const idsOn = (body: string) => [...body.matchAll(/<tr data-account="([0-9a-f-]{36})">/g)].map((m) => m[1]!);
const beijingDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const decode = (href: string) => href.replace(/&amp;/g, '&');

test('pages of 50, newest first, through every account once; the next page is a link', async () => {
  // 53 accounts registered in one instant of the manual clock: only the id orders them.
  const made: string[] = [];
  for (let i = 0; i < 53; i++) made.push((await t.registerPhone()).accountId);
  const all = (await t.db.selectFrom('accounts').select('id').execute()).map((r) => r.id);

  const first = await support.get('/console/accounts/list');
  assert.equal(first.status, 200, first.text);
  assert.match(first.text, /每页 50 个，按注册时间从新到旧排列/);
  const page1 = idsOn(first.body);
  assert.equal(page1.length, 50);
  const next = /<a href="([^"]+)" id="list-next"/.exec(first.body)?.[1];
  assert.ok(next, 'a link to the next page');
  const second = await support.get(decode(next));
  assert.equal(second.status, 200);
  const page2 = idsOn(second.body);
  assert.equal(page1.length + page2.length, all.length);
  assert.deepEqual(new Set([...page1, ...page2]), new Set(all), 'every account once');
  assert.ok(made.every((id) => page1.includes(id) || page2.includes(id)));
  assert.doesNotMatch(second.body, /id="list-next"/, 'the last page has no next');
  assert.match(second.body, /id="list-first"/);

  const listed = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', 'staff.account_lookup')
    .where('actor_id', '=', 'support.list')
    .execute();
  assert.ok(
    listed.some((r) => JSON.stringify(r.detail).includes('"by":"list"')),
    'listing is audited',
  );
});

test('filters by state, real-name status, registration date and platform; kept in the form', async () => {
  t.clock.advance(3 * DAY);
  // A console session lasts hours, not days: sign in again on the new day.
  support = await signInStaff(t, supportStaff);
  const today = beijingDate(t.clock.now());
  const named = await t.registerPhone({ fields: { idType: 'resident_id', name: '冯列表', idNumber: idNo(701) } });
  const plain = await t.registerPhone();
  await support.get(`/console/accounts/${plain.accountId}`);
  assert.equal((await support.submit(`/console/accounts/${plain.accountId}/suspend`, { reason: '测试停用帐号' })).status, 303);

  const list = (query: string) => support.get(`/console/accounts/list?${query}`);
  const byDay = await list(`from=${today}&to=${today}`);
  assert.deepEqual(new Set(idsOn(byDay.body)), new Set([named.accountId, plain.accountId]));
  assert.match(byDay.body, new RegExp(`name="from" type="date" value="${today}"`), 'the filter stays in the form');
  const yesterday = beijingDate(new Date(t.clock.now().getTime() - DAY));
  assert.ok(!idsOn((await list(`to=${yesterday}`)).body).includes(named.accountId));

  const suspended = await list(`state=suspended&from=${today}`);
  assert.deepEqual(idsOn(suspended.body), [plain.accountId]);
  assert.match(suspended.body, /<option value="suspended" selected/);
  const bound = await list(`realname=bound&from=${today}`);
  assert.deepEqual(idsOn(bound.body), [named.accountId]);
  assert.match(bound.text, /冯列表/);
  assert.doesNotMatch(bound.body, new RegExp(idNo(701)), 'the number is masked');
  assert.deepEqual(idsOn((await list(`realname=none&from=${today}`)).body), [plain.accountId]);
  const nothing = await list(`state=deregistered&from=${today}`);
  assert.equal(nothing.status, 200);
  assert.match(nothing.text, /没有符合条件的帐号/);

  // Platform: the person who signed in through it, and nobody else.
  const p = await platform(t, { name: '列表测试平台', scopes: ['profile'] });
  const phone = await registerPerson(t);
  const flow = await authUrl(p, 'openid profile');
  await signInThroughTongxing(t, new Browserless(), flow.url, phone);
  const user = (await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
  const viaPlatform = await list(`platform=${p.clientId}`);
  assert.deepEqual(idsOn(viaPlatform.body), [user]);
  assert.match(viaPlatform.body, new RegExp(`<option value="${p.clientId}" selected>列表测试平台</option>`));
});

test('a wrong filter value is named, with a 400 and nothing listed', async () => {
  for (const [query, field] of [
    ['state=everyone', '帐号状态'],
    ['realname=maybe', '实名状态'],
    ['from=2026-02-30', '注册日期从'],
    ['from=yesterday', '注册日期从'],
    ['from=2026-03-02&to=2026-03-01', '注册日期至'],
    ['platform=%27%20or%201%3D1', '授权或登录过的平台'],
    ['after=not-a-cursor!', '页码'],
    [`after=${Buffer.from('2026-01-01 00:00:00+00|x').toString('base64url')}`, '页码'],
  ] as const) {
    const page = await support.get(`/console/accounts/list?${query}`);
    assert.equal(page.status, 400, query);
    assert.match(page.text, new RegExp(`以下筛选条件无效，请改正后再试：${field}`), query);
    assert.deepEqual(idsOn(page.body), [], query);
  }
  const repeated = await support.get('/console/accounts/list?state=active&state=suspended');
  assert.notEqual(repeated.status, 500);
});

test('the ID-number look-up stays a POST; reviewers get the 403 page', async () => {
  const lookup = await support.get('/console/accounts');
  assert.match(lookup.body, /<form method="post" action="\/console\/accounts" id="account-search"/);
  assert.match(lookup.body, /href="\/console\/accounts\/list"/);
  const list = await support.get('/console/accounts/list');
  assert.doesNotMatch(list.body, /name="q"/, 'no free-text search in the GET form');
  const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.list', ['reviewer']));
  assert.equal((await reviewer.get('/console/accounts/list')).status, 403);
});
