// Browser journeys of single sign-on as a person meets it: the example platform of
// examples/platform/platform.ts (openid-client, plain node:http) on its own loopback port signs
// people in and out through the real Tongxing service in a real Chromium. Signing in (Tongxing's
// sign-in page, the consent page naming the platform and what it asks for, the claims back at the
// platform), signing out (the provider's confirmation page, back at the platform), signing in
// again; a platform that requires a verified real name refusing an account without one and
// sending the person back; an account deregistered by a duplicate-ID resolution, which the
// platform hears of (a signed webhook and a back-channel logout token) and shows; and a delivered
// webhook replayed, or sent with an old timestamp, refused by the platform. Each saves full-page
// screenshots to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { openPage, screenshot, type OpenedPage, type ServedInstance } from '../helpers/browser.ts';
import {
  closeJourneys,
  follow,
  path,
  phoneSequence,
  registerPhoneAccount,
  residentId,
  startJourneys,
  submitWith,
  textOf,
  type PhoneAccount,
} from '../helpers/journey.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { verifyByRecords } from '../../src/resolution/records-path.ts';
import { verifyWebhook } from '../../examples/platform/platform.ts';
import { freePort, startExamplePlatform, type ExamplePlatform, type ExamplePlatformOptions } from '../helpers/example-platform.ts';

const PASSWORD = 'willow harbour lantern';
const CLAIMANT_PASSWORD = 'cedar orchard evening';

let t: ServedInstance;
let browser: Browser;
/** 研招网: the platform of the sign-in, deregistration and replay journeys. */
let yanzhao: ExamplePlatform;
/** 兵役登记: a platform that accepts only accounts with a verified real name. */
let bingyi: ExamplePlatform;
const platforms: ExamplePlatform[] = [];

before(async () => {
  ({ t, browser } = await startJourneys());
  yanzhao = await examplePlatform('研招网');
  bingyi = await examplePlatform('兵役登记', { requiresRealname: true });
});
after(async () => {
  for (const p of platforms) await p.close();
  await closeJourneys({ t, browser });
});

const freshPhone = phoneSequence('188', 90_000_000, 6_007);

// ---------------------------------------------------------------------------------------------
// The example platform, registered with Tongxing as an operator registers one

/** A platform of this file, registered against this file's Tongxing (closed after the file). */
const examplePlatform = async (name: string, options: ExamplePlatformOptions = {}): Promise<ExamplePlatform> => {
  const platform = await startExamplePlatform(t, name, options);
  platforms.push(platform);
  return platform;
};

// ---------------------------------------------------------------------------------------------
// People and their browsers

/** A person registered by phone with real-name information, bound (made through the JSON API). */
const personWithRealName = (name: string, idNumber: string): Promise<PhoneAccount> =>
  registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD, { name, idType: 'resident_id', idNumber });

/**
 * A fresh zh-CN context whose relative URLs are Tongxing's. Requests that leave the machine are
 * refused: the provider's own logout page imports a web font from fonts.googleapis.com, and the
 * journeys must neither wait for nor depend on the internet.
 */
async function openBrowser(): Promise<OpenedPage> {
  const opened = await openPage(browser, t.baseURL);
  await opened.context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  return opened;
}

const origin = (page: Page) => new URL(page.url()).origin;

/**
 * A navigation that leaves a Tongxing page for the platform (a form whose answer redirects there).
 * Fails at once, rather than after the load timeout, when Chromium blocks it under Tongxing's
 * Content-Security-Policy, and says so.
 */
async function crossing<T>(page: Page, navigation: Promise<T>): Promise<T> {
  let listener!: (message: ConsoleMessage) => void;
  const blocked = new Promise<never>((_resolve, reject) => {
    listener = (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
        reject(new assert.AssertionError({ message: `Chromium blocked the way from ${page.url()} back to the platform: ${message.text()}` }));
      }
    };
    page.on('console', listener);
  });
  try {
    return await Promise.race([navigation, blocked]);
  } finally {
    page.off('console', listener);
  }
}

/** The claims the platform shows on its home page (its #claims block, JSON). */
const claimsOn = async (page: Page) => JSON.parse(await page.locator('#claims').innerText()) as Record<string, unknown>;

/** The platform's home page: #login, Tongxing's sign-in page, the person signs in. Answers at the consent (or next) page. */
async function signInAtPlatform(page: Page, platform: ExamplePlatform, phone: string): Promise<number> {
  await page.goto(`${platform.url}/`);
  assert.equal(await textOf(page.locator('#signed-out')), '未登录');
  await follow(page, page.locator('#login'));
  assert.equal(origin(page), t.baseURL, 'the platform sent the person to Tongxing');
  // Tongxing's sign-in page, shown at the platform sign-in's own address, continues it.
  assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/, 'signing in happens on Tongxing’s own page');
  assert.equal(await page.locator('#login input[name=next]').getAttribute('value'), path(page));
  await page.locator('input[name=username]').fill(phone);
  await page.locator('input[name=password]').fill(PASSWORD);
  return submitWith(page, page.locator('#login-submit'));
}

/** Signs in at the platform and allows on the consent page; answers the subject the platform shows. */
async function signInAndAllow(page: Page, platform: ExamplePlatform, phone: string): Promise<string> {
  assert.equal(await signInAtPlatform(page, platform, phone), 303);
  assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/, 'the consent page');
  assert.equal(await crossing(page, submitWith(page, page.locator('#consent-allow-submit'))), 303);
  assert.equal(page.url(), `${platform.url}/`);
  const { sub } = await claimsOn(page);
  assert.equal(typeof sub, 'string');
  return sub as string;
}

/**
 * Someone else takes the person's ID number with 我要重新注册 and passes 途径4 (a student-status
 * record imported as staff import them), at service level as test/integration/sso.test.ts does:
 * the person's account is deregistered and the platforms it used are told, through the outbox.
 */
async function deregisterByClaimant(name: string, idNumber: string, school: string, number: string): Promise<void> {
  const report = await importRecords(
    Readable.from([['kind,school,number,year,level,name,id_type,id_number', `学籍,${school},${number},2012,本科,${name},resident_id,${idNumber}`].join('\n')]),
    { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() },
  );
  assert.equal(report.accepted, 1, JSON.stringify(report.rejectedSample));
  const claimant = await registerPhoneAccount(t.baseURL, freshPhone(), CLAIMANT_PASSWORD, { name, idType: 'resident_id', idNumber, reRegister: true });
  const { deregistered } = await verifyByRecords(
    t.services.accounts,
    claimant.accountId,
    { kind: 'enrolment', school, number, year: '2012', level: '本科' },
    { ip: '127.0.0.1', userAgent: null },
  );
  assert.equal(deregistered.length, 1, 'one other account held the number');
}

/** Polls until `ready()` holds (the worker delivers on its own too; runOnce may find a pass already under way). */
async function eventually(what: string, ready: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------

test('sign in and out: Tongxing’s sign-in and consent pages, the claims at the platform, the provider’s logout page, and signing in again', async () => {
  const person = await personWithRealName('王思齐', residentId('11010519940312003'));
  const { context, page } = await openBrowser();
  try {
    // From the platform to Tongxing's sign-in page, then the consent page naming the platform.
    await page.goto(`${yanzhao.url}/`);
    assert.equal(await page.title(), '研招网');
    assert.equal(await textOf(page.locator('#signed-out')), '未登录');
    await screenshot(page, 'sso-a-platform-signed-out');
    assert.equal(await signInAtPlatform(page, yanzhao, person.phone), 303);
    assert.equal(origin(page), t.baseURL);
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/);
    assert.equal(await textOf(page.locator('#consent-intro')), '“研招网”请求使用您的通行帐号登录，并获取以下信息：');
    const scopes = page.locator('#consent-scopes > li');
    assert.deepEqual(await scopes.evaluateAll((items) => items.map((li) => li.getAttribute('data-scope'))), ['openid', 'profile', 'realname']);
    assert.deepEqual(
      (await scopes.allInnerTexts()).map((s) => s.trim()),
      ['帐号标识（不含手机号、邮箱等个人信息）', '姓名', '实名认证状态'],
    );
    assert.equal(await textOf(page.locator('#consent-allow-submit')), '同意并登录');
    assert.equal(await textOf(page.locator('#consent-deny-submit')), '拒绝');
    await screenshot(page, 'sso-a-consent');

    // Allowed: back on the platform, signed in, with the claims it was allowed.
    assert.equal(await crossing(page, submitWith(page, page.locator('#consent-allow-submit'))), 303);
    assert.equal(page.url(), `${yanzhao.url}/`);
    assert.equal(await textOf(page.locator('#signed-in')), '已登录：王思齐');
    const claims = await claimsOn(page);
    assert.match(String(claims.sub), /^[A-Za-z0-9_-]{22}$/, 'an opaque subject');
    assert.notEqual(claims.sub, person.accountId, 'never the internal account id');
    assert.deepEqual(claims, { sub: claims.sub, name: '王思齐', realname_status: 'verified', realname_verified: true });
    await screenshot(page, 'sso-a-platform-signed-in');
    const consents = await t.db.selectFrom('sso_consents').select('client_id').where('account_id', '=', person.accountId).execute();
    assert.deepEqual(consents, [{ client_id: yanzhao.clientId }], 'the consent is remembered');

    // 退出: the provider's confirmation page (its logoutSource: the provider's hidden form
    // op.logoutForm and a submit button name=logout value=yes bound to it), then back at the
    // platform. Only that markup is asserted, not the page's words: oidc-provider's default page
    // is in English and a page in Tongxing's look may replace it.
    await follow(page, page.locator('#logout'));
    assert.equal(origin(page), t.baseURL);
    assert.equal(path(page), '/oidc/session/end');
    const logoutForm = page.locator('form[id="op.logoutForm"]');
    assert.equal(new URL(String(await logoutForm.getAttribute('action')), page.url()).href, `${t.baseURL}/oidc/session/end/confirm`);
    assert.equal(await logoutForm.getAttribute('method'), 'post');
    await screenshot(page, 'sso-a-provider-logout');
    const signOut = page.locator('button[type=submit][name=logout][value=yes][form="op.logoutForm"]');
    assert.equal(await signOut.count(), 1, 'the confirmation button');
    const status = await crossing(page, submitWith(page, signOut));
    assert.ok(status >= 300 && status < 400, `the confirmation redirects (${status})`);
    assert.equal(page.url(), `${yanzhao.url}/`);
    assert.equal(await textOf(page.locator('#signed-out')), '未登录');
    assert.equal(await page.locator('#signed-in').count(), 0);
    // The provider also sent the platform a back-channel logout token before redirecting.
    assert.ok(yanzhao.running.loggedOut.includes(String(claims.sub)), 'a back-channel logout for the subject');
    await screenshot(page, 'sso-a-platform-signed-out-again');

    // Signing out at the platform signed out of Tongxing in this browser as well (single
    // sign-out): Tongxing's own pages ask to sign in again.
    await page.goto('/account/platforms');
    assert.equal(path(page), '/login', 'the Tongxing session ended with the provider’s sign-out');

    // Signing in again from the platform: Tongxing's sign-in page, then straight back — the
    // consent is remembered ("授权会被记住，可随时在“已授权的平台”中撤销。") even though the
    // provider ended the session's grant at sign-out.
    assert.equal(await crossing(page, signInAtPlatform(page, yanzhao, person.phone)), 303);
    assert.equal(page.url(), `${yanzhao.url}/`, 'no consent page the second time');
    await screenshot(page, 'sso-a-signing-in-again');
    assert.equal(await textOf(page.locator('#signed-in')), '已登录：王思齐');
    assert.equal((await claimsOn(page)).sub, claims.sub, 'the same subject');

    // In Tongxing the platform is listed as allowed.
    await page.goto('/account/platforms');
    assert.equal(path(page), '/account/platforms');
    assert.deepEqual(
      (await page.locator('#platforms > li strong').allInnerTexts()).map((n) => n.trim()),
      ['研招网'],
    );
    await screenshot(page, 'sso-a-account-platforms');
  } finally {
    await context.close();
  }
});

test('a platform that requires a verified real name refuses an account without one; 返回平台 goes back to the platform', async () => {
  const person = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const { context, page } = await openBrowser();
  try {
    assert.equal(await signInAtPlatform(page, bingyi, person.phone), 303);
    assert.equal(origin(page), t.baseURL);
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/);
    assert.match(await page.title(), /该平台要求实名认证/);
    assert.equal(
      await textOf(page.locator('main .notice-error')),
      '“兵役登记”只接受已完成实名认证的帐号。请先填写基本信息并完成实名信息绑定，然后回到该平台重新登录。',
    );
    const next = page.locator('#realname-next');
    assert.equal(await next.getAttribute('href'), '/account/identity');
    assert.equal(await textOf(next), '去完成实名认证');
    assert.equal(await page.locator('#consent-allow-submit').count(), 0, 'nothing to allow');
    await screenshot(page, 'sso-b-realname-required');

    // 返回平台: the platform hears access_denied and says so.
    const back = page.locator('#realname-back button[type=submit]');
    assert.equal(await textOf(back), '返回平台');
    assert.equal(await crossing(page, submitWith(page, back)), 303);
    assert.equal(origin(page), bingyi.url);
    assert.equal(path(page), '/callback');
    assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
    assert.equal(await page.title(), '兵役登记');
    assert.equal(await textOf(page.locator('#refused')), '登录未完成：the platform requires a verified real name');
    await screenshot(page, 'sso-b-platform-refused');
    await page.goto(`${bingyi.url}/`);
    assert.equal(await textOf(page.locator('#signed-out')), '未登录');
    assert.deepEqual(await t.db.selectFrom('sso_consents').select('client_id').where('account_id', '=', person.accountId).execute(), [], 'nothing consented');

    // The link of the refusal page leads to where the real name is entered (signed in at Tongxing).
    await page.goto('/account/identity');
    assert.equal(path(page), '/account/identity');
  } finally {
    await context.close();
  }
});

test('deregistration heard by the platform: a signed webhook and a back-channel logout, and the person’s platform page is signed out', async () => {
  const ID = residentId('44030519930718005');
  const person = await personWithRealName('陈立言', ID);
  const { context, page } = await openBrowser();
  try {
    const sub = await signInAndAllow(page, yanzhao, person.phone);
    assert.equal(await textOf(page.locator('#signed-in')), '已登录：陈立言');
    await screenshot(page, 'sso-c-signed-in');

    await deregisterByClaimant('陈立言', ID, '中山大学', '12330045');
    await t.worker.runOnce();
    await eventually('the platform accepted the account.deregistered webhook', () =>
      yanzhao.running.events.some((e) => e.type === 'account.deregistered' && e.sub === sub),
    );
    await eventually('the platform took the back-channel logout token', () => yanzhao.running.loggedOut.includes(sub));
    assert.deepEqual(
      yanzhao.running.events.filter((e) => e.sub === sub).map((e) => e.type),
      ['account.deregistered'],
      'one event for this subject',
    );
    const rows = await t.db
      .selectFrom('outbox')
      .select(['channel', 'state'])
      .where('platform_id', '=', yanzhao.clientId)
      .where((eb) => eb.or([eb('recipient', '=', sub), eb('body', 'like', `%"sub":"${sub}"%`)]))
      .execute();
    assert.deepEqual(rows.map((r) => `${r.channel}:${r.state}`).sort(), ['backchannel_logout:sent', 'webhook:sent'], 'the platform’s delivery log at Tongxing');

    // The person's browser: the platform page, reloaded, is signed out and lists the notice.
    await page.reload();
    assert.equal(await textOf(page.locator('#signed-out')), '未登录');
    assert.ok((await page.locator('#events > li').allInnerTexts()).map((s) => s.trim()).includes('account.deregistered'), 'the notice is listed');
    await screenshot(page, 'sso-c-platform-after-deregistration');

    // Signing in there again: Tongxing's session for the old account was revoked too, so it asks
    // for the sign-in, and the old account's phone no longer signs anyone in (its owner is told why).
    assert.equal(await signInAtPlatform(page, yanzhao, person.phone), 403);
    assert.equal(path(page), '/login');
    assert.match(await textOf(page.locator('main .notice-error')), /注销，不能再登录/);
  } finally {
    await context.close();
  }
});

test('a delivered webhook replayed, or sent with a timestamp older than 5 minutes, is refused', async () => {
  // A recorder in front of the platform's /webhooks keeps each delivery exactly as it arrived and
  // passes it on: the platform's port is chosen first so the recorder knows where to forward.
  const port = await freePort();
  const recorder = await startRecorder(`http://127.0.0.1:${port}/webhooks`);
  const xuejidangan = await examplePlatform('学籍档案', { port, webhookUrl: `${recorder.url}/webhooks` });
  const ID = residentId('51010719951103006');
  const person = await personWithRealName('李望舒', ID);
  const { context, page } = await openBrowser();
  try {
    const sub = await signInAndAllow(page, xuejidangan, person.phone);
    await deregisterByClaimant('李望舒', ID, '四川大学', '2013141001');
    await t.worker.runOnce();
    await eventually('a webhook was delivered through the recorder', () => recorder.received.some((r) => r.status === 204));
    const delivered = recorder.received.find((r) => r.status === 204)!;
    const event = JSON.parse(delivered.body) as { id: string; type: string; sub: string };
    assert.equal(event.type, 'account.deregistered');
    assert.equal(event.sub, sub);
    assert.deepEqual(xuejidangan.running.events, [event], 'accepted once');

    // The same request again, byte for byte: the signature is good and recent, the id is not new.
    const timestamp = Number(delivered.headers['tongxing-timestamp']);
    const replay = await postWebhook(xuejidangan, delivered.body, timestamp, String(delivered.headers['tongxing-signature']));
    assert.deepEqual(replay, { status: 401, text: 'replayed' });

    // A new event signed with the platform's secret, but 5 minutes and 1 second old: stale.
    const fresh = JSON.stringify({ id: randomUUID(), type: 'identity.verified', occurred_at: new Date().toISOString(), sub, data: {} });
    const now = Math.floor(Date.now() / 1000);
    const old = now - 301;
    assert.deepEqual(await postWebhook(xuejidangan, fresh, old, sign(xuejidangan.clientSecret, old, fresh)), {
      status: 401,
      text: 'stale or missing timestamp',
    });
    // A forged signature on a recent one, and one without a timestamp.
    assert.deepEqual(await postWebhook(xuejidangan, fresh, now, sign('not the secret', now, fresh)), { status: 401, text: 'bad signature' });
    assert.equal((await fetch(`${xuejidangan.url}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fresh })).status, 401);
    // The same event, recent and properly signed, is accepted once, and then is a replay.
    assert.deepEqual(await postWebhook(xuejidangan, fresh, now, sign(xuejidangan.clientSecret, now, fresh)), { status: 204, text: '' });
    assert.deepEqual(await postWebhook(xuejidangan, fresh, now, sign(xuejidangan.clientSecret, now, fresh)), { status: 401, text: 'replayed' });
    assert.deepEqual(
      xuejidangan.running.events.map((e) => e.type),
      ['account.deregistered', 'identity.verified'],
    );

    // verifyWebhook itself, at the edges of its 5-minute window (its clock given).
    const seen = new Set<string>();
    const body = JSON.stringify({ id: randomUUID(), type: 'account.contact_changed', sub });
    const at = 1_750_000_000;
    const headers = (ts: number, secret = xuejidangan.clientSecret): IncomingHttpHeaders => ({
      'tongxing-timestamp': String(ts),
      'tongxing-signature': sign(secret, ts, body),
    });
    assert.deepEqual(verifyWebhook(xuejidangan.clientSecret, headers(at - 301), body, seen, at), { ok: false, why: 'stale or missing timestamp' });
    assert.deepEqual(
      verifyWebhook(xuejidangan.clientSecret, headers(at + 301), body, seen, at),
      { ok: false, why: 'stale or missing timestamp' },
      'nor from the future',
    );
    assert.deepEqual(verifyWebhook(xuejidangan.clientSecret, headers(at - 300, 'another secret'), body, seen, at), { ok: false, why: 'bad signature' });
    assert.equal(seen.size, 0, 'nothing refused is remembered');
    assert.equal(verifyWebhook(xuejidangan.clientSecret, headers(at - 300), body, seen, at).ok, true, 'exactly 5 minutes old is still accepted');
    assert.deepEqual(verifyWebhook(xuejidangan.clientSecret, headers(at), body, seen, at), { ok: false, why: 'replayed' });
  } finally {
    await context.close();
    await recorder.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Webhooks by hand

/** The signature scheme of platform-delivery.ts, computed here independently: v1=hex(HMAC-SHA256(secret, "ts.body")). */
const sign = (secret: string, timestamp: number, body: string) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

async function postWebhook(platform: ExamplePlatform, body: string, timestamp: number, signature: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${platform.url}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tongxing-timestamp': String(timestamp), 'tongxing-signature': signature },
    body,
  });
  return { status: res.status, text: await res.text() };
}

interface Recorded {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the platform answered. */
  status: number;
}

/** An HTTP server that records each POST and forwards it, headers and body unchanged, to `target`. */
async function startRecorder(target: string): Promise<{ url: string; received: Recorded[]; close(): Promise<void> }> {
  const received: Recorded[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const forwarded: Record<string, string> = {};
    for (const name of ['content-type', 'tongxing-timestamp', 'tongxing-signature'])
      if (typeof req.headers[name] === 'string') forwarded[name] = req.headers[name];
    const answer = await fetch(target, { method: 'POST', headers: forwarded, body });
    const text = await answer.text();
    received.push({ headers: req.headers, body, status: answer.status });
    res.writeHead(answer.status).end(text);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
