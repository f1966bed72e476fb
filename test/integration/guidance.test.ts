// Guidance a person gets on their account pages (issue 14 §2): every line of 安全记录 named in
// both languages, the next step after a resolution, the left-hand account menu, 途径1 on a phone,
// what a classmate request says and the inbox badge, and the customer-service contacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { AUDIT_ACTIONS, PERSONAL_AUDIT_ACTIONS } from '../../src/audit/actions.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { Agent, codeIn } from '../helpers/agent.ts';

let t: TestInstance;
const PASSWORD = 'guidance test password';
const id = (seq: number) => {
  const body = `44030419960606${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    env: {
      LIVENESS_SECRET: 'g'.repeat(40),
      SUPPORT_PHONE: '010-8219 9588',
      SUPPORT_EMAIL: 'kefu@tongxing.example',
      SUPPORT_HOURS: '工作日 9:00–17:00',
      APP_LINK: 'tongxing://verify?token={token}',
      APP_DOWNLOAD_URL: 'https://tongxing.example/app',
    },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
  const file = [`学籍,中山大学,2014000001,2014,本科,郑一,,${id(1)}`, `学籍,中山大学,2014000007,2014,本科,何七,,${id(7)}`].join('\n');
  await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

test('every audit action is either shown in a person’s 安全记录 with its own label in both languages, or staff-only', () => {
  const generic = /^(其他帐号变更|other account change)$/i;
  const seen = { 'zh-CN': new Map<string, string>(), en: new Map<string, string>() };
  for (const [action, info] of Object.entries(AUDIT_ACTIONS) as [string, { label: Record<'zh-CN' | 'en', string>; personal?: true; staffOnly?: true }][]) {
    assert.ok(Boolean(info.personal) !== Boolean(info.staffOnly), `${action}: decide whether a person's security log shows it (personal or staffOnly)`);
    if (!info.personal) continue;
    for (const lang of ['zh-CN', 'en'] as const) {
      const label = info.label[lang].trim();
      assert.ok(label.length > 1 && !generic.test(label), `${action} has a specific ${lang} label`);
      assert.equal(seen[lang].get(label), undefined, `${action} and ${seen[lang].get(label)} read the same in ${lang}`);
      seen[lang].set(label, action);
    }
    assert.match(info.label['zh-CN'], /[\u4e00-\u9fff]/, `${action}: the zh-CN label is Chinese`);
    assert.doesNotMatch(info.label.en, /[\u4e00-\u9fff]/, `${action}: the en label is English`);
  }
  assert.ok(PERSONAL_AUDIT_ACTIONS.includes('resolution.app_started') && PERSONAL_AUDIT_ACTIONS.includes('resolution.records_tried'));
});

test('安全记录 names a claimant’s tries in both languages, with no nameless “other change”', async () => {
  await register({ name: '郑一', idNumber: id(1) });
  const claimant = await register({ name: '郑一', idNumber: id(1), reRegister: '1' });
  const wrong = await claimant.agent.submit(
    '/account/resolution/records',
    { kind: 'enrolment', school: '中山大学', number: '2014999999', year: '2014', level: 'bachelor', acknowledge: '1' },
    { from: '/account/resolution/records' },
  );
  assert.equal(wrong.status, 422);
  const started = await claimant.agent.submit('/account/resolution/app', { acknowledge: '1' }, { from: '/account/resolution/app' });
  assert.equal(started.status, 200);

  const zh = await claimant.agent.get('/account/security');
  for (const label of ['提交学籍或学历信息核验（途径4）', '开始 APP 自助验证', '填写基本信息', '注册帐号', '登录']) assert.match(zh.text, new RegExp(label));
  assert.doesNotMatch(zh.text, /其他帐号变更/);

  await claimant.agent.get('/lang/en?next=/account/security');
  const en = await claimant.agent.get('/account/security');
  for (const label of ['Student or degree record submitted for checking', 'App verification started', 'Basic information saved', 'Account registered'])
    assert.match(en.text, new RegExp(label));
  assert.doesNotMatch(en.text, /Other account change/i);
});

test('customer service: the configured phone, email and hours stand where a page says 请联系客服, and always the online request', async () => {
  const recover = await new Agent(t.app).get('/recover');
  assert.match(
    recover.text,
    /可联系客服协助处理。\s*客服联系方式：\s*电话 010-8219 9588\s*邮箱 kefu@tongxing.example\s*（工作日 9:00–17:00）\s*；\s*也可在线提交工单/,
  );
  assert.match(recover.body, /href="tel:01082199588"/);
  assert.match(recover.body, /<a href="\/support\/new">也可在线提交工单<\/a>/);
  assert.match(recover.body, /href="mailto:kefu@tongxing.example"/);
  const english = new Agent(t.app);
  await english.get('/lang/en?next=/recover');
  assert.match((await english.get('/recover')).text, /Customer service:\s*phone 010-8219 9588\s*email kefu@tongxing.example\s*\(工作日 9:00–17:00\)/);

  const bare = await getTestInstance();
  try {
    const plain = await new Agent(bare.app).get('/recover');
    assert.match(plain.text, /可联系客服协助处理。/);
    assert.doesNotMatch(plain.text, /客服联系方式/);
    // Without a configured phone or address the sentence still leads to a person: the request form.
    assert.match(plain.body, /<a href="\/support\/new">请在线提交工单，客服会答复您<\/a>/);
  } finally {
    await bare.close();
  }

  // A notice that says 联系客服 carries the phone (SMS) or every configured way (email).
  const person = await t.registerPhone({ password: PASSWORD });
  const changed = await person.agent.submit(
    '/account/password',
    { currentPassword: PASSWORD, password: 'guidance new password', password2: 'guidance new password' },
    { from: '/account/password' },
  );
  assert.equal(changed.status, 303);
  const sms = await t.latestMessageTo(person.phone);
  assert.match(sms!.text, /请立即找回密码并联系客服（电话 010-8219 9588）。/);

  const base = { NODE_ENV: 'test' };
  assert.throws(
    () => loadConfig({ ...base, SUPPORT_EMAIL: 'not an address' }),
    (e: Error) => e instanceof ConfigError && /SUPPORT_EMAIL/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ...base, SUPPORT_PHONE: 'call us' }),
    (e: Error) => e instanceof ConfigError && /SUPPORT_PHONE/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ...base, APP_LINK: 'javascript:alert({token})' }),
    (e: Error) => e instanceof ConfigError && /APP_LINK/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ...base, APP_LINK: 'tongxing://verify' }),
    (e: Error) => e instanceof ConfigError && /APP_LINK/.test(e.message),
  );
  assert.deepEqual(loadConfig(base).support, { phone: undefined, email: undefined, hours: undefined });
});

test('途径1 offers the app’s own link and the download page beside the QR code (CSS shows a phone the link)', async () => {
  await register({ name: '冯二', idNumber: id(2) });
  const claimant = await register({ name: '冯二', idNumber: id(2), reRegister: '1' });
  const page = await claimant.agent.submit('/account/resolution/app', { acknowledge: '1' }, { from: '/account/resolution/app' });
  assert.equal(page.status, 200);
  const token = /\/dev\/liveness\?token=([A-Za-z0-9_-]{43})/.exec(page.body)?.[1];
  assert.ok(token);
  assert.match(page.body, new RegExp(`<a class="button" href="tongxing://verify\\?token=${token}" id="app-open-link">在 APP 中打开</a>`));
  assert.match(page.body, /class="app-verification has-app-link"/, 'the stylesheet picks QR or link by the screen');
  assert.match(page.body, /id="app-qr"/, 'the QR code is still there for a desktop');
  assert.match(page.text, /还没有安装通行 APP？\s*下载 APP/);
  assert.match(page.body, /<a href="https:\/\/tongxing.example\/app" id="app-download-link"/);
  const css = (await claimant.agent.get('/static/app.css')).body;
  assert.match(css, /@media \(pointer: coarse\), \(max-width: 40em\) \{\s*\.app-verification\.has-app-link \.app-by-qr \{\s*display: none;/);
});

test('a classmate request says what confirming does and who asks; the badge counts it until answered; deciding answers 303', async () => {
  const classmate = await t.registerPhone({ password: PASSWORD, fields: { name: '韩同学', idType: 'resident_id', idNumber: id(3) } });
  const requester = await t.registerEmail('guidance-binding@example.com', { password: PASSWORD });
  await t.saveRealName(requester.agent, { name: '蔡需要', idNumber: id(4) });
  const sent = await requester.agent.submit(
    '/account/binding/classmate',
    { classmateName: '韩同学', classmatePhone: classmate.phone, ownPhone: '13912345678' },
    { from: '/account/binding' },
  );
  assert.equal(sent.status, 200, sent.text);

  const badge = (body: string) => /aria-label="收件箱 (\d+) 条待处理"/.exec(body)?.[1];
  assert.equal(badge((await classmate.agent.get('/account')).body), '1');
  const inbox = await classmate.agent.get('/inbox');
  assert.match(inbox.text, /同学 蔡需要（手机号 139\*{4}5678）请求您协助完成实名信息绑定。确认后，对方的帐号即完成实名绑定/);
  assert.equal(badge(inbox.body), '1', 'opening the inbox does not answer the request');
  assert.equal(badge((await classmate.agent.get('/account')).body), '1');
  await classmate.agent.get('/lang/en?next=/inbox');
  assert.match((await classmate.agent.get('/inbox')).text, /Confirming completes it for their account/);
  await classmate.agent.get('/lang/zh-CN?next=/inbox');

  const itemId = /data-item="([^"]+)"/.exec(inbox.body)![1]!;
  const decided = await classmate.agent.submit(`/inbox/${itemId}/accept`, {}, { from: '/inbox' });
  assert.equal(decided.status, 303);
  assert.equal(decided.location, '/inbox?done=accept');
  const after = await classmate.agent.get(decided.location!);
  assert.match(after.text, /已确认协助，谢谢！/);
  assert.equal(badge(after.body), '0');
  assert.doesNotMatch(after.body, /class="badge"/);
  const again = await classmate.agent.submit(`/inbox/${itemId}/decline`, {}, { from: '/inbox' });
  assert.equal(again.location, '/inbox?error=already_decided');
  assert.match((await classmate.agent.get(again.location!)).text, /该请求已经处理过了/);
  assert.doesNotMatch((await classmate.agent.get('/inbox?done=<b>x</b>&error=nope')).text, /已确认协助|<b>/, 'only known outcomes are shown');
});

const menuOf = (body: string) => {
  const nav = /<nav class="account-menu"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1];
  if (!nav) return undefined;
  return [...nav.matchAll(/<a href="([^"]+)"( aria-current="page")?>([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, current: Boolean(m[2]), text: m[3]! }));
};

test('the account menu: entries that apply, the current page marked, in both languages', async () => {
  const plain = await t.registerPhone({ password: PASSWORD, fields: { name: '许平', idType: 'resident_id', idNumber: id(5) } });
  const home = menuOf((await plain.agent.get('/account')).body)!;
  assert.deepEqual(
    home.map((e) => e.text),
    ['基本信息', '实名信息绑定', '帐号管理', '安全记录', '登录设备', '已授权的平台', '收件箱', '客服工单', '下载个人信息', '注销帐号'],
    'no review and no classmate request: neither 证件重复 entry',
  );
  assert.deepEqual(
    home.filter((e) => e.current).map((e) => e.text),
    ['帐号管理'],
  );
  for (const [path, current] of [
    ['/account/security', '安全记录'],
    ['/account/sessions', '登录设备'],
    ['/account/platforms', '已授权的平台'],
    ['/account/identity', '基本信息'],
    ['/account/binding', '实名信息绑定'],
    ['/account/password', '帐号管理'],
    ['/inbox', '收件箱'],
    ['/account/support', '客服工单'],
    ['/account/export', '下载个人信息', '注销帐号'],
  ] as const) {
    const menu = menuOf((await plain.agent.get(path)).body);
    assert.deepEqual(
      menu?.filter((e) => e.current).map((e) => e.text),
      [current],
      `${path} marks ${current}`,
    );
  }
  assert.equal(menuOf((await new Agent(t.app).get('/login')).body), undefined, 'no menu for someone signed out');

  await register({ name: '许审', idNumber: id(6) });
  const claimant = await register({ name: '许审', idNumber: id(6), reRegister: '1' });
  const before = menuOf((await claimant.agent.get('/account/resolution')).body)!;
  assert.deepEqual(
    before.map((e) => e.text),
    ['基本信息', '实名信息绑定', '证件重复-用户协助', '帐号管理', '安全记录', '登录设备', '已授权的平台', '收件箱', '客服工单', '下载个人信息', '注销帐号'],
    'a claimant may ask classmates; no review yet',
  );
  assert.deepEqual(
    before.filter((e) => e.current).map((e) => e.text),
    ['基本信息'],
    '解决办法 belongs to 基本信息',
  );
  // A review as the photo path leaves it (uploading real photos is resolution-photo.test.ts's part).
  await t.db.insertInto('photo_reviews').values({ account_id: claimant.accountId, state: 'pending', submitted_at: t.clock.now() }).execute();
  const withReview = menuOf((await claimant.agent.get('/account/resolution/photo')).body)!;
  assert.deepEqual(
    withReview.map((e) => e.text),
    [
      '基本信息',
      '实名信息绑定',
      '证件重复-客服审核',
      '证件重复-用户协助',
      '帐号管理',
      '安全记录',
      '登录设备',
      '已授权的平台',
      '收件箱',
      '客服工单',
      '下载个人信息',
      '注销帐号',
    ],
  );
  assert.deepEqual(
    withReview.filter((e) => e.current).map((e) => e.href),
    ['/account/resolution/photo'],
  );

  await claimant.agent.get('/lang/en?next=/account');
  const english = menuOf((await claimant.agent.get('/account')).body)!;
  assert.deepEqual(
    english.map((e) => e.text),
    [
      'Basic information',
      'Real-name binding',
      'Duplicate ID: staff review',
      'Duplicate ID: classmate help',
      'Account management',
      'Security log',
      'Signed-in devices',
      'Authorised platforms',
      'Inbox',
      'Support requests',
      'Download my data',
      'Deregister account',
    ],
  );
});

test('after a resolution passes: “1 other account” reads right, and the next step is 实名信息绑定, also in 待办事项; once bound, nothing is left', async () => {
  await register({ name: '何七', idNumber: id(7) });
  const claimant = await t.registerEmail('guidance-claimant@example.com', { password: PASSWORD });
  await t.saveRealName(claimant.agent, { name: '何七', idNumber: id(7), reRegister: '1' });
  const passed = await claimant.agent.submit(
    '/account/resolution/records',
    { kind: 'enrolment', school: '中山大学', number: '2014000007', year: '2014', level: 'bachelor', acknowledge: '1' },
    { from: '/account/resolution/records' },
  );
  assert.equal(passed.status, 303);
  const done = await claimant.agent.get(passed.location!);
  assert.match(done.text, /身份核验已通过，使用该证件号码的其他 1 个帐号已注销。/);
  assert.match(done.body, /<a class="button primary" href="\/account\/binding">下一步：绑定实名信息/);
  const todo = /<ul class="todo" id="todo">([\s\S]*?)<\/ul>/.exec((await claimant.agent.get('/account')).body)![1]!;
  assert.match(todo, /<a href="\/account\/binding">绑定实名信息：/);
  assert.doesNotMatch(todo, /解决方法/, 'the resolved duplicate is no longer listed');

  await claimant.agent.get(`/lang/en?next=${encodeURIComponent(passed.location!)}`);
  const english = await claimant.agent.get(passed.location!);
  assert.match(english.text, /Identity verified; 1 other account using this ID number was deregistered\./);
  assert.match(english.text, /Next step: bind your real-name information/);

  // A phone proved binds the real-name information: 待办事项 then says so instead of an empty list.
  const phone = '13377778888';
  const sent = await claimant.agent.submit('/account/binding/phone/code', { phone }, { from: '/account/binding' });
  assert.ok(sent.status < 400, sent.text);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  assert.equal((await claimant.agent.submit('/account/binding/phone', { phone, code }, { from: '/account/binding' })).location, '/account/binding?bound=phone');
  const bound = await claimant.agent.get('/account');
  assert.doesNotMatch(bound.body, /<ul class="todo"/, 'no empty list');
  assert.match(bound.body, /<p id="todo-none">Nothing left to do\.<\/p>/);
  await claimant.agent.get('/lang/zh-CN?next=/account');
  assert.match((await claimant.agent.get('/account')).body, /<p id="todo-none">没有待办事项了。<\/p>/);
});
