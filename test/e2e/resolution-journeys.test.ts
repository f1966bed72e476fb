// Browser journeys of the duplicate-ID resolution centre (解决办法) and its four paths in a real
// Chromium against the real app on a loopback port. In each, an owner holds an ID number and a
// claimant took it with 我要重新注册: 途径4, a wrong student number and then the right degree
// details, after which the owner's browser is signed out, the owner cannot sign in and is told;
// 途径3, a classmate with a record at the school confirms from the inbox in another browser;
// 途径2, three photos through the real file inputs, a reviewer in a browser of their own who signs
// in to the staff console, claims the case, looks at the photos and rejects it, a second upload
// and an approval; 途径1, the QR code, a second browser playing the app, and the
// first page moving on by itself. Each asserts what the people see and what the database holds,
// and saves full-page screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import { createStaff } from '../helpers/staff.ts';
import { signInConsole } from '../helpers/console-browser.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';
import {
  closeJourneys,
  fillCodeAndPasswords,
  fillRealName,
  follow,
  latestMessageTo,
  mainText,
  maskPhone,
  path,
  phoneSequence,
  registerPhoneAccount,
  residentId,
  signIn,
  startJourneys,
  submitSignIn,
  submitWith,
  textOf,
  waitForMessageTo,
  type PhoneAccount,
} from '../helpers/journey.ts';
import { checkLandedPage } from '../helpers/page-checks.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { formatBeijing } from '../../src/lib/time-format.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { passDueCases } from '../../src/resolution/notice-period.ts';
import { claimOfAccount } from '../helpers/claims.ts';

const OWNER_PASSWORD = 'granite meadow sparrow';
const PASSWORD = 'lotus ferry morning';
/** The staff member who reviews the photos of 途径2 at the console. */
const REVIEWER = 'reviewer.liu';
/** What the reviewer adds to the reason of the rejection; the person is told both. */
const REJECTION_NOTE = '手持照片对焦模糊，请在光线充足处重拍';
/** The claimant of 途径4, with an in-school and a degree record; the classmate of 途径3, with a record at 武汉大学. */
const RECORDS_ID = residentId('32010619960315002');
const CLASSMATE_ID = residentId('42010619950620003');
/** The identity claimed on 途径3: studied at 武汉大学 from 2014, a year after the classmate. */
const CLASSMATE_CLAIMANT_ID = residentId('42010619950812004');

let t: ServedInstance;
let browser: Browser;

before(async () => {
  ({ t, browser } = await startJourneys({ env: { LIVENESS_SECRET: 'liveness-simulator-secret-of-the-resolution-journeys' } }));
  // The student-status and degree records the journeys rely on, imported as staff import them.
  const file = [
    'kind,school,number,year,level,name,id_type,id_number',
    `学籍,南京大学,161220033,2014,本科,林晓雨,resident_id,${RECORDS_ID}`,
    `学历,南京大学,102841201800123,2018,本科,林晓雨,resident_id,${RECORDS_ID}`,
    `学籍,武汉大学,2013301000123,2013,本科,周文斌,resident_id,${CLASSMATE_ID}`,
    `学籍,武汉大学,2014301000456,2014,本科,郑嘉怡,resident_id,${CLASSMATE_CLAIMANT_ID}`,
  ].join('\n');
  const report = await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
  assert.equal(report.accepted, 4, JSON.stringify(report.rejectedSample));
});
after(() => closeJourneys({ t, browser }));

const freshPhone = phoneSequence('186', 80_000_000, 7_213);

/** The first holder of an ID number, made through the JSON API (its real name is bound). */
const owner = (name: string, idNumber: string): Promise<PhoneAccount> =>
  registerPhoneAccount(t.baseURL, freshPhone(), OWNER_PASSWORD, { name, idType: 'resident_id', idNumber });

/** A second account claiming the number with 我要重新注册, made through the JSON API. */
const claimant = (name: string, idNumber: string): Promise<PhoneAccount> =>
  registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name, idType: 'resident_id', idNumber, reRegister: true });

/** A form's button by its exact visible text. */
const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });

const accountRow = (id: string) =>
  t.db.selectFrom('accounts').select(['id', 'state', 'phone', 'realname_bound_at']).where('id', '=', id).executeTakeFirstOrThrow();

const resolutionOf = (claimantId: string) =>
  t.db.selectFrom('resolutions').select(['path', 'deregistered_account_ids']).where('claimant_account_id', '=', claimantId).execute();

const claimOf = (accountId: string) => claimOfAccount(t.db, accountId);

/** After a path passed: the claimant owns the number and is active; the owner is deregistered. */
async function expectResolved(claimantId: string, ownerId: string, via: string): Promise<void> {
  const resolutions = await resolutionOf(claimantId);
  assert.deepEqual(resolutions, [{ path: via, deregistered_account_ids: [ownerId] }]);
  const claimantAccount = await accountRow(claimantId);
  assert.equal(claimantAccount.state, 'active');
  assert.ok(claimantAccount.realname_bound_at, 'a claimant with a proved phone is bound once resolved');
  const old = await accountRow(ownerId);
  assert.equal(old.state, 'deregistered');
  assert.equal(old.phone, null, 'the phone left the deregistered account');
  assert.deepEqual(await claimOf(claimantId), { state: 'registered', owner_account_id: claimantId });
}

/** The centre once resolved: 身份核验已于 <now> 通过（<path>）. */
async function expectCentreResolved(page: Page, pathName: string): Promise<void> {
  assert.equal(path(page), '/account/resolution');
  const state = page.locator('#resolution-state');
  assert.equal(await state.getAttribute('data-state'), 'resolved');
  assert.equal(await textOf(state), `身份核验已于 ${formatBeijing(t.clock.now())} 通过（${pathName}），证件号码重复问题已解决。`);
  assert.equal(await page.locator('#resolution-paths').count(), 0, 'no paths once resolved');
}

/** From the centre, 开始 of one path. */
async function openPath(page: Page, key: 'app' | 'photo' | 'classmate' | 'records'): Promise<void> {
  await page.goto('/account/resolution');
  await follow(page, page.locator(`#path-${key} a`, { hasText: '开始' }));
  assert.equal(path(page), `/account/resolution/${key}`);
}

const acknowledge = (form: Locator) => form.getByLabel('我已阅读上述提示，确认继续').check();

/** The header's inbox icon: its accessible name and its badge (null when there is none). */
async function inboxIcon(page: Page): Promise<{ label: string | null; badge: string | null }> {
  const icon = page.locator('header #inbox-icon');
  const badge = icon.locator('span.badge');
  return { label: await icon.getAttribute('aria-label'), badge: (await badge.count()) ? await textOf(badge) : null };
}

/** 三个工作日 counted in Beijing weekdays (Monday to Friday), as the page promises. */
function threeWorkingDaysAfter(from: Date): Date {
  let at = from.getTime();
  for (let left = 3; left > 0;) {
    at += 24 * 60 * MINUTE;
    const weekday = new Date(at + 8 * 60 * MINUTE).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date(at);
}

test('途径4 学籍学历: the claimant registers with 我要重新注册, misses once, passes with the degree; the owner is signed out and told', async () => {
  const ownerAccount = await owner('林晓雨', RECORDS_ID);
  const phone = freshPhone();
  const a = await openPage(browser, t.baseURL);
  const b = await openPage(browser, t.baseURL);
  try {
    await signIn(a.page, ownerAccount.phone, OWNER_PASSWORD);

    // B registers on the pages with the same number: refused once, then 我要重新注册.
    const page = b.page;
    await page.goto('/register/phone');
    await page.locator('input[name=phone]').fill(phone);
    assert.equal(await submitWith(page, page.locator('#send-code')), 200);
    const code = codeIn((await latestMessageTo(t.baseURL, phone)).text);
    await fillCodeAndPasswords(page, code, PASSWORD);
    await fillRealName(page.locator('fieldset.identity'), '林晓雨', RECORDS_ID);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 409);
    assert.equal(await textOf(page.locator('#f-idNumber-error')), '证件号码已被注册，查看【解决方法】');
    await page.locator('#case2-help input[name=reRegister]').check();
    await fillCodeAndPasswords(page, code, PASSWORD);
    assert.equal(await submitWith(page, page.locator('#register-submit')), 303);

    assert.equal(path(page), '/account');
    assert.equal(await textOf(page.locator('#state')), '待身份核验');
    const todo = page.locator('#todo a[href="/account/resolution"]');
    assert.match(await todo.innerText(), /您的证件号码与其他帐号重复，需要验证身份信息/);
    await screenshot(page, 'res-a-claimant-home');

    // The centre: four paths, 途径4 recommended, the warning naming the owner's account masked.
    await follow(page, todo);
    assert.equal(path(page), '/account/resolution');
    assert.equal(await textOf(page.locator('h1')), '解决身份证号重复');
    assert.equal(
      await textOf(page.locator('#resolution-state')),
      '当前注册的帐号因身份证号重复，需要验证身份信息，可通过以下途径验证，验证通过后即可正常使用。',
    );
    const paths = page.locator('#resolution-paths > li');
    assert.deepEqual(await paths.evaluateAll((items) => items.map((li) => li.id)), ['path-app', 'path-photo', 'path-classmate', 'path-records']);
    assert.deepEqual(
      (await paths.locator('h3').allInnerTexts()).map((h) => h.trim()),
      ['途径1 APP自助验证', '途径2 客服协助验证', '途径3 大学同班同学协助', '途径4 提供学籍或学历信息 推荐'],
    );
    assert.equal(await page.locator('#resolution-paths strong.badge').count(), 1, 'one path is recommended');
    assert.equal(await textOf(page.locator('#path-records strong.badge')), '推荐');
    const warning = page.locator('#resolution-warning');
    assert.equal(await textOf(warning.locator('h2')), '重要提示');
    assert.match(await warning.innerText(), /核验通过后，将会注销使用了您当前证件号码的其他帐号/);
    assert.equal(await textOf(page.locator('#resolution-others')), `将被注销的帐号：${maskPhone(ownerAccount.phone)}`);
    assert.equal(await textOf(page.locator('#resolution-platforms')), '未发现这些帐号在各平台的使用记录。');
    assert.equal(await textOf(page.locator('#path-records .progress')), '注：一个身份证，最多只能通过此种方式解决身份证重复 3 次，已请求 0 次');
    assert.ok(!(await page.content()).includes(ownerAccount.phone), 'the owner’s phone is shown only masked');
    await screenshot(page, 'res-a-centre');

    // 途径4, in school: a wrong student number counts as a try.
    await openPath(page, 'records');
    assert.equal(await textOf(page.locator('h1')), '提供学籍或学历信息');
    assert.equal(await textOf(page.locator('#record-tries')), '注：一个身份证，最多只能通过此种方式解决身份证重复 3 次，已请求 0 次');
    assert.equal(await textOf(page.locator('nav.tabs a[aria-current=page]')), '在校生学籍信息验证');
    const form = page.locator('#records-form');
    await form.getByLabel('院校名称').fill('南京大学');
    await form.getByLabel('学号').fill('161220034');
    await form.getByLabel('入学年份').fill('2014');
    await form.getByLabel('层次').selectOption({ label: '本科' });
    await acknowledge(form);
    assert.equal(await submitWith(page, page.locator('#records-submit')), 422);
    assert.equal(await textOf(page.locator('main .error-summary-form')), '学籍或学历信息核对不一致（已请求 1 次，最多 3 次）。请检查后重试，或选择其他途径。');
    assert.match(await textOf(page.locator('#record-tries')), /已请求 1 次$/);
    assert.equal(await form.getByLabel('学号').inputValue(), '161220034', 'what was typed stays');
    await screenshot(page, 'res-a-records-mismatch');

    // Graduated: the 学历 tab asks for the certificate and the graduation year.
    await follow(page, page.locator('nav.tabs a', { hasText: '毕业生学历信息验证' }));
    assert.equal(page.url(), `${t.baseURL}/account/resolution/records?kind=degree`);
    assert.equal(await textOf(page.locator('nav.tabs a[aria-current=page]')), '毕业生学历信息验证');
    await form.getByLabel('院校名称').fill('南京大学');
    await form.getByLabel('证书编号').fill('102841201800123');
    await form.getByLabel('毕业年份').fill('2018');
    await form.getByLabel('层次').selectOption({ label: '本科' });
    await acknowledge(form);
    await screenshot(page, 'res-a-records-degree-filled');
    const claimantRow = await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.equal(await submitWith(page, page.locator('#records-submit')), 303);

    assert.equal(page.url(), `${t.baseURL}/account/resolution?passed=1`);
    assert.equal(await textOf(page.locator('main .notice-success')), '身份核验已通过，使用该证件号码的其他 1 个帐号已注销。');
    await expectCentreResolved(page, '学籍或学历信息');
    await screenshot(page, 'res-a-passed');
    await page.goto('/account');
    assert.equal(await textOf(page.locator('#state')), '正常');
    assert.equal(await page.locator('#todo a[href="/account/resolution"]').count(), 0);

    await expectResolved(claimantRow.id, ownerAccount.accountId, 'records');
    const checks = await t.db.selectFrom('record_checks').select('matched').where('account_id', '=', claimantRow.id).orderBy('created_at').execute();
    assert.deepEqual(checks.map((c) => c.matched).sort(), [false, true], 'two tries counted, one matched');

    // The owner's browser, signed in before, is signed out.
    await a.page.reload();
    assert.equal(path(a.page), '/login');
    await screenshot(a.page, 'res-a-owner-signed-out');
    // Neither the phone (released) nor the ID number (now the claimant's) signs the owner in; the
    // phone with the right password says what happened and how to dispute it.
    assert.equal(await submitSignIn(a.page, ownerAccount.phone, OWNER_PASSWORD), 403);
    assert.match(await textOf(a.page.locator('main .notice-error')), /^您的帐号已于 .+ 注销，不能再登录。$/);
    assert.match(await textOf(a.page.locator('#deregistered-reason')), /另一位用户通过身份核验证明了该帐号登记的证件号码属于本人/);
    assert.equal(await a.page.locator('#dispute-link').count(), 1);
    await screenshot(a.page, 'res-a-owner-told-deregistered');
    assert.equal(await submitSignIn(a.page, RECORDS_ID, OWNER_PASSWORD), 401);
    assert.equal(await textOf(a.page.locator('main .error-summary-form')), '用户名或密码错误');

    const notice = await waitForMessageTo(t.baseURL, ownerAccount.phone, /该帐号已注销/, { sent: true });
    assert.equal(notice.channel, 'sms');
    assert.match(
      notice.text,
      new RegExp(
        `^【通行】有人以您的通行帐号 ${maskPhone(ownerAccount.phone).replace(/\*/g, '\\*')} 所用的证件号码重新注册，并于 .+通过了身份核验，因此该帐号已注销，不能再登录。如果您才是该证件号码的本人，请在 30 天内打开以下链接说明情况（这不是我本人操作），客服核实后可撤销注销：http://\\S+/dispute/[A-Za-z0-9_-]{43}$`,
      ),
    );
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('途径3 同班同学: a classmate of overlapping years confirms from the inbox; the holder is told, and the claimant passes after the notice period', async () => {
  const ID = CLASSMATE_CLAIMANT_ID;
  const classmate = await owner('周文斌', CLASSMATE_ID);
  const ownerAccount = await owner('郑嘉怡', ID);
  const requester = await claimant('郑嘉怡', ID);
  const c = await openPage(browser, t.baseURL);
  const b = await openPage(browser, t.baseURL);
  try {
    await signIn(c.page, classmate.phone, OWNER_PASSWORD);
    assert.deepEqual(await inboxIcon(c.page), { label: '收件箱 0 条待处理', badge: null });

    await signIn(b.page, requester.phone, PASSWORD);
    await openPath(b.page, 'classmate');
    assert.equal(await textOf(b.page.locator('h1')), '大学同班同学协助');
    assert.equal(await textOf(b.page.locator('#resolution-others')), `将被注销的帐号：${maskPhone(ownerAccount.phone)}`);
    const form = b.page.locator('#vouch-form');
    await form.getByLabel('同学姓名').fill('周文斌');
    await form.getByLabel('同学的用户名（手机号 / 邮箱 / 证件号码）').fill(classmate.phone);
    await form.getByLabel('院校名称').fill('武汉大学');
    await acknowledge(form);
    assert.equal(await submitWith(b.page, b.page.locator('#vouch-submit')), 200);
    assert.equal(await textOf(b.page.locator('main .notice-success')), '协助请求已发送，请提醒同学登录后在收件箱中确认。');
    assert.match(await textOf(b.page.locator('#vouch-progress')), /^已有 0 位同学确认，需要 1 位。\s*最近一次请求：等待同学确认。$/);
    await screenshot(b.page, 'res-b-request-sent');

    // The classmate's header counts the request; the icon opens the inbox.
    await c.page.reload();
    assert.deepEqual(await inboxIcon(c.page), { label: '收件箱 1 条待处理', badge: '1' });
    await follow(c.page, c.page.locator('#inbox-icon'));
    assert.equal(path(c.page), '/inbox');
    const items = c.page.locator('li[data-item]');
    assert.equal(await items.count(), 1);
    const item = items.first();
    assert.match(
      await item.innerText(),
      /郑嘉怡（帐号 1\d{2}\*{4}\d{4}）请求您协助解决证件号码重复问题，并称与您是 武汉大学 的同班同学（在校 \d{4}–\d{4} 年）。确认“是我的同学”后，如公示期内无人提出有效异议，使用该证件号码的其他帐号将被注销。请确认对方确实是您的同学，否则请选择“不是我的同学”。/,
    );
    assert.equal(await button(item, '不是我的同学').count(), 1);
    await screenshot(c.page, 'res-b-classmate-inbox');
    assert.equal(await submitWith(c.page, button(item, '是我的同学')), 303, 'a decision answers with a redirect');
    assert.equal(await textOf(c.page.locator('main .notice-success')), '已确认协助，谢谢！');
    const answered = c.page.locator('li[data-item]');
    assert.equal(await answered.getAttribute('data-state'), 'accepted');
    assert.match(await answered.innerText(), /已确认/);
    assert.equal(await answered.getByRole('button').count(), 0, 'answered once, no buttons left');
    assert.deepEqual(await inboxIcon(c.page), { label: '收件箱 0 条待处理', badge: null });
    await screenshot(c.page, 'res-b-classmate-confirmed');

    // Not yet: the holder is told at once and has 72 hours to object.
    await b.page.goto('/account/resolution/classmate');
    assert.match(await textOf(b.page.locator('#vouch-case')), /^同学已确认，公示期至 .*；期间无异议即完成验证。$/);
    assert.equal(await b.page.locator('#vouch-form').count(), 0, 'nothing more to ask');
    assert.equal((await accountRow(ownerAccount.accountId)).state, 'active');
    const told = await waitForMessageTo(t.baseURL, ownerAccount.phone, /大学同班同学协助/);
    assert.match(told.text, /\/account\/objection/);
    t.clock.advance(72 * HOUR + MINUTE);
    assert.equal(await passDueCases(t.services.accounts), 1);

    await signIn(b.page, requester.phone, PASSWORD);
    await b.page.goto('/account/resolution');
    await expectCentreResolved(b.page, '大学同班同学协助');
    await screenshot(b.page, 'res-b-passed');
    await b.page.goto('/account');
    assert.equal(await textOf(b.page.locator('#state')), '正常');

    await expectResolved(requester.accountId, ownerAccount.accountId, 'classmate');
    const requests = await t.db
      .selectFrom('inbox_items')
      .select(['recipient_account_id', 'state'])
      .where('sender_account_id', '=', requester.accountId)
      .execute();
    assert.deepEqual(requests, [{ recipient_account_id: classmate.accountId, state: 'accepted' }]);
    assert.equal((await accountRow(classmate.accountId)).state, 'active', 'the classmate is untouched');
  } finally {
    await c.context.close();
    await b.context.close();
  }
});

test('途径2 客服协助: three photos through the file inputs, 审核中, rejected by staff with the reason, uploaded again, approved', async () => {
  const ID = residentId('51010719930101005');
  const ownerAccount = await owner('吴海峰', ID);
  const person = await claimant('吴海峰', ID);
  const reviewer = await createStaff(t, REVIEWER, ['reviewer']);
  const { context, page } = await openPage(browser, t.baseURL);
  // The reviewer's own browser (a second context, with its own cookies), at the console.
  const { context: deskContext, page: desk } = await openPage(browser, t.baseURL);
  const upload = async (handheld: { name: string; mimeType: string; buffer: Buffer }) => {
    const form = page.locator('#photo-form');
    await form.getByLabel('手持身份证照片').setInputFiles(handheld);
    await form.getByLabel('身份证正面照片').setInputFiles({ name: 'front.jpg', mimeType: 'image/jpeg', buffer: makeJpeg(true) });
    await form.getByLabel('身份证背面照片').setInputFiles({ name: 'back.gif', mimeType: 'image/gif', buffer: SMALLEST_GIF });
    await form.locator('input[name=agreeSensitive]').check();
    await acknowledge(form);
    return submitWith(page, page.locator('#photo-submit'));
  };
  const handheldPng = { name: 'handheld.png', mimeType: 'image/png', buffer: makePng(4, 4, [['eXIf', GPS_EXIF]]) };

  /** The queue's row of a person's waiting case, found by the masked username it shows. */
  const queueRowOf = (phone: string) => desk.locator('#review-queue tr[data-review]').filter({ hasText: maskPhone(phone) });
  /** Where a decision lands: the queue, with its notice. */
  const expectQueue = (done: 'approved' | 'rejected') => assert.equal(desk.url(), `${t.baseURL}/console/reviews?done=${done}`);
  /**
   * From the console's 照片审核: the person's case in the queue (unclaimed, the number masked),
   * 领取, and the case page with its three photos. Answers the case's id and the photos as the
   * browser received and drew them.
   */
  const claimFromQueue = async (phone: string, name: string, idNumber: string, shot: string) => {
    await follow(desk, desk.locator('header nav a[href="/console/reviews"]'));
    assert.equal(path(desk), '/console/reviews');
    const row = queueRowOf(phone);
    assert.equal(await row.count(), 1, `one waiting case of ${maskPhone(phone)} in the queue`);
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(
      cells.slice(3, 7),
      [maskPhone(phone), name, `${idNumber.slice(0, 3)}${'*'.repeat(11)}${idNumber.slice(-4)}`, '—'],
      'unclaimed; staff see the number masked',
    );
    const id = await row.getAttribute('data-review');
    assert.ok(id);
    await screenshot(desk, shot);
    const received = new Map<string, Response>();
    const onResponse = (response: Response) => {
      const kind = new RegExp(`^/console/reviews/${id}/photos/(\\w+)$`).exec(new URL(response.url()).pathname)?.[1];
      if (kind) received.set(kind, response);
    };
    desk.on('response', onResponse);
    try {
      assert.equal(await submitWith(desk, button(row, '领取')), 303);
    } finally {
      desk.off('response', onResponse);
    }
    assert.equal(path(desk), `/console/reviews/${id}`);
    assert.equal(await textOf(desk.locator('main h1')), '审核证件照片');
    assert.equal(await textOf(desk.locator('#case-name')), name);
    const photos = [];
    for (const [kind, alt] of [
      ['handheld', '手持证件照'],
      ['front', '证件正面'],
      ['back', '证件反面'],
    ] as const) {
      const img = desk.locator(`#photo-${kind}`);
      assert.equal(await img.getAttribute('alt'), alt);
      // Resolves once the image is decoded (0 when the browser could not draw it).
      const naturalWidth = await img.evaluate((el: HTMLImageElement) =>
        el.decode().then(
          () => el.naturalWidth,
          () => 0,
        ),
      );
      assert.ok(naturalWidth > 0, `the ${kind} photo is shown`);
      const response = received.get(kind);
      assert.ok(response, `the browser fetched the ${kind} photo`);
      assert.equal(response.status(), 200);
      const headers = response.headers();
      photos.push({ kind, naturalWidth, mediaType: headers['content-type'], cacheControl: headers['cache-control'] ?? '', bytes: await response.body() });
    }
    return { id, photos };
  };

  try {
    await signIn(page, person.phone, PASSWORD);
    await openPath(page, 'photo');
    assert.equal(await textOf(page.locator('h1')), '客服协助验证（上传证件照片）');
    assert.match(await mainText(page), /仅支持 \.jpg \.jpeg \.png \.gif 的图片格式，图片大小不超过 300K。/);
    assert.equal(await page.locator('#photo-review').count(), 0, 'nothing submitted yet');

    // A text file named .jpg is judged by its content.
    assert.equal(await upload({ name: 'handheld.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is a note, not a photo') }), 400);
    assert.equal(await textOf(page.locator('#f-handheld-error')), '仅支持 jpg、jpeg、png、gif 格式的图片（按文件内容判断）');
    assert.equal(await page.locator('#f-front-error').count(), 0, 'the good files are not blamed');
    await screenshot(page, 'res-c-not-an-image');
    assert.equal((await t.db.selectFrom('photo_reviews').select('id').where('account_id', '=', person.accountId).execute()).length, 0);

    const submitted = t.clock.now();
    assert.equal(await upload(handheldPng), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), '照片已提交，等待客服审核。');
    const review = page.locator('#photo-review');
    assert.equal(await review.getAttribute('data-state'), 'pending');
    assert.equal(await textOf(review.locator('h2')), '证件重复-客服审核');
    const pendingText = `审核中：照片已于 ${formatBeijing(submitted)} 提交，客服将在三个工作日内（${formatBeijing(threeWorkingDaysAfter(submitted))} 前）处理完毕，请及时登录查看。`;
    assert.equal(await textOf(review.locator('p')), pendingText);
    assert.equal(await page.locator('#photo-form').count(), 0, 'no second submission while one waits');
    await screenshot(page, 'res-c-pending');
    await page.goto('/account/resolution');
    assert.equal(await textOf(page.locator('#path-photo .progress')), pendingText, 'the centre shows the progress too');
    await page.goto('/account/resolution/photo');

    // A reviewer, a while later, in a browser of their own: signs in to the console (enrolling the
    // authenticator), finds the case in the queue, claims it, looks at the three photos (the
    // handheld one without its GPS) and rejects it as blurry with a note. Time passes between the
    // steps as it would (the manual clock stands still otherwise): the pages tell the latest
    // review by its submission time.
    t.clock.advance(10 * MINUTE);
    await signInConsole(desk, t, reviewer);
    await screenshot(desk, 'res-c-console-signed-in');
    const { id: first, photos } = await claimFromQueue(person.phone, '吴海峰', ID, 'res-c-console-queue');
    assert.deepEqual(
      photos.map((p) => [p.kind, p.mediaType]),
      [
        ['handheld', 'image/png'],
        ['front', 'image/jpeg'],
        ['back', 'image/gif'],
      ],
    );
    const handheld = photos[0]!;
    assert.ok(handheld.bytes.subarray(0, 8).equals(handheldPng.buffer.subarray(0, 8)), 'a PNG');
    assert.ok(!handheld.bytes.includes('GPSLatitude') && !handheld.bytes.includes('eXIf'), 'the location was stripped before storing');
    assert.ok(
      photos.every((p) => /\bno-store\b/.test(p.cacheControl)),
      'the photos are never cached',
    );
    await desk.locator('#f-reason').selectOption('blurry');
    await desk.locator('#f-note').fill(REJECTION_NOTE);
    await screenshot(desk, 'res-c-console-case');
    assert.equal(await submitWith(desk, desk.locator('#reject')), 303);
    expectQueue('rejected');
    assert.equal(await textOf(desk.locator('main .notice-success')), '已驳回，申请人已收到原因。');
    assert.equal(await desk.locator(`tr[data-review="${first}"]`).count(), 0, 'a decided case leaves the queue');
    await screenshot(desk, 'res-c-console-rejected');

    await page.reload();
    assert.equal(await review.getAttribute('data-state'), 'rejected');
    assert.equal(await textOf(review.locator('p')), `审核未通过：照片不清晰，证件信息无法辨认：${REJECTION_NOTE}。请按要求重新上传。`);
    assert.equal(await page.locator('#photo-form').count(), 1, 'a rejected person may upload again');
    await screenshot(page, 'res-c-rejected');
    const told = await waitForMessageTo(t.baseURL, person.phone, /未通过客服审核/);
    assert.match(told.text, new RegExp(`照片不清晰，证件信息无法辨认：${REJECTION_NOTE}。请登录后重新上传。`));

    // Uploaded again; the reviewer, still at the desk, sees it arrive, claims it and approves.
    t.clock.advance(10 * MINUTE);
    assert.equal(await upload(handheldPng), 200);
    assert.equal(await review.getAttribute('data-state'), 'pending');
    await desk.reload();
    assert.equal(await queueRowOf(person.phone).count(), 1, 'the new submission is in the queue');
    t.clock.advance(10 * MINUTE);
    const { id: second } = await claimFromQueue(person.phone, '吴海峰', ID, 'res-c-console-queue-again');
    assert.notEqual(second, first);
    await screenshot(desk, 'res-c-console-second-case');
    assert.equal(await submitWith(desk, desk.locator('#approve')), 303);
    expectQueue('approved');
    assert.equal(await textOf(desk.locator('main .notice-success')), '已审核通过，申请人已收到通知。');
    assert.equal(await queueRowOf(person.phone).count(), 0, 'nothing of this person waits any more');
    await screenshot(desk, 'res-c-console-approved');

    await page.reload();
    await expectCentreResolved(page, '客服协助验证');
    await screenshot(page, 'res-c-passed');

    await expectResolved(person.accountId, ownerAccount.accountId, 'photo');
    const reviews = await t.db
      .selectFrom('photo_reviews')
      .select(['state', 'decided_by', 'reason'])
      .where('account_id', '=', person.accountId)
      .orderBy('submitted_at')
      .execute();
    assert.deepEqual(reviews, [
      { state: 'rejected', decided_by: REVIEWER, reason: `照片不清晰，证件信息无法辨认：${REJECTION_NOTE}` },
      { state: 'approved', decided_by: REVIEWER, reason: null },
    ]);
    const files = await t.db.selectFrom('photo_files').select(['kind', 'media_type']).where('review_id', '=', second).orderBy('kind').execute();
    assert.deepEqual(files, [
      { kind: 'back', media_type: 'image/gif' },
      { kind: 'front', media_type: 'image/jpeg' },
      { kind: 'handheld', media_type: 'image/png' },
    ]);
  } finally {
    await context.close();
    await deskContext.close();
  }
});

test('途径1 APP自助验证: the QR code, a second browser plays the app and passes, the first page moves on by itself', async () => {
  const ID = residentId('33010619970909006');
  const ownerAccount = await owner('黄思远', ID);
  const person = await claimant('黄思远', ID);
  const web = await openPage(browser, t.baseURL);
  const phoneApp = await openPage(browser, t.baseURL);
  try {
    const page = web.page;
    await signIn(page, person.phone, PASSWORD);
    await openPath(page, 'app');
    assert.equal(await textOf(page.locator('h1')), 'APP自助验证');
    const start = page.locator('#app-start');
    await start.locator('input[name=agreeSensitive]').check();
    await acknowledge(start);
    assert.equal(await submitWith(page, page.locator('#app-start-submit')), 200);

    const qr = page.locator('#app-qr');
    assert.equal(await qr.getAttribute('aria-label'), '实人验证二维码');
    assert.equal(await qr.locator('svg').count(), 1, 'a QR code drawn as SVG');
    const status = page.locator('#app-status');
    assert.equal(await textOf(status), '等待 APP 完成验证……');
    assert.match(await mainText(page), /请用通行 APP 扫描下方二维码（.+ 前有效，只能使用一次）。/);
    await screenshot(page, 'res-d-qr');

    // From here on the page is not touched: what it requests and where it goes is recorded.
    const polls: string[] = [];
    const navigations: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/account/resolution/app/status.json') polls.push(url.search);
      else if (request.isNavigationRequest()) navigations.push(`${request.method()} ${url.pathname}`);
    });

    // The "phone": opens the simulator link and passes.
    const simulatorLink = await page.locator('#app-simulator-link').getAttribute('href');
    assert.match(simulatorLink ?? '', /^\/dev\/liveness\?token=[\w-]{43}$/);
    await phoneApp.page.goto(simulatorLink!);
    assert.equal(await textOf(phoneApp.page.locator('h1')), '模拟 APP 实人验证（仅开发环境）');
    assert.equal(await submitWith(phoneApp.page, phoneApp.page.locator('#simulate-pass')), 200);
    assert.equal(await textOf(phoneApp.page.locator('main .notice-success')), 'APP 已提交验证结果：passed。可以回到网页查看。');
    await screenshot(phoneApp.page, 'res-d-phone-passed');

    await page.waitForURL((url) => url.pathname === '/account/resolution', { timeout: 10_000 });
    await checkLandedPage(page);
    assert.ok(polls.length >= 1, 'the page asked for its status');
    assert.deepEqual(navigations, ['GET /account/resolution'], 'the page moved on by itself, without a reload');
    await expectCentreResolved(page, 'APP自助验证');
    await screenshot(page, 'res-d-passed');

    // The code was single use.
    await phoneApp.page.goto(simulatorLink!);
    assert.equal(await submitWith(phoneApp.page, phoneApp.page.locator('#simulate-pass')), 410);
    assert.equal(await textOf(phoneApp.page.locator('main .notice-error')), '二维码无效或已过期，请在网页上重新开始验证。');

    await expectResolved(person.accountId, ownerAccount.accountId, 'app');
    const sessions = await t.db.selectFrom('liveness_sessions').select(['state', 'provider']).where('account_id', '=', person.accountId).execute();
    assert.deepEqual(sessions, [{ state: 'passed', provider: 'simulator' }]);
  } finally {
    await web.context.close();
    await phoneApp.context.close();
  }
});
