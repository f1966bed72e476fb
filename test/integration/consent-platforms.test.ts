// A new user agreement published while a platform's sign-in waits: what the platform hears. Over
// real HTTP, with openid-client as the OpenID Connect platform and the stock http-cas-client as the
// CAS ones (examples/cas-platform). Declining at /consent ends the waiting sign-in the protocol's
// way (access_denied at the redirect_uri; no ticket), prompt=none and gateway=true never show
// /consent, and in every case nothing is granted: no sso_consents row, no code, no ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServedInstance } from '../helpers/browser.ts';
import {
  Browserless,
  PASSWORD,
  REDIRECT,
  authUrl,
  oidc,
  platform,
  registerPerson,
  signInPageNext,
  signInThroughTongxing,
  start,
  tongxingLogin,
} from '../helpers/sso-flow.ts';
import { browse } from '../helpers/browserless.ts';
import { startCasPlatform, type RunningCasPlatform } from '../../examples/cas-platform/platform.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { LEGAL_ROOT, loadLegalDocuments, type LegalLibrary } from '../../src/consent/documents.ts';

let t: ServedInstance;
let shipped: LegalLibrary;
let casA: RunningCasPlatform;
let casGateway: RunningCasPlatform;

before(async () => {
  t = await start();
  shipped = t.services.accounts.legal;
  casA = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name: '学籍档案' });
  casGateway = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name: '征兵网', gateway: true });
  const deps = { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys };
  const pattern = (url: string) => `^${url.replace(/[.]/g, '\\.')}/.*$`;
  for (const [name, running] of [
    ['学籍档案', casA],
    ['征兵网', casGateway],
  ] as const) {
    await addCasPlatform(
      deps,
      { name, services: [pattern(running.url)], proxy: false, requiresRealname: false, scopes: ['phone'], idNumberAccess: 'none' },
      true,
    );
  }
});

after(async () => {
  t.services.accounts.legal = shipped;
  await casA?.close();
  await casGateway?.close();
  await t?.close();
});

let versions = 0;
/** The operator publishes a new user agreement (a copy of the shipped documents, terms raised). */
function publishNewTerms(): string {
  const version = `2027-06-${String(++versions).padStart(2, '0')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-legal-'));
  cpSync(LEGAL_ROOT, dir, { recursive: true });
  for (const lang of ['zh-CN', 'en']) {
    const file = join(dir, lang, 'terms.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  }
  t.services.accounts.legal = loadLegalDocuments(dir);
  return version;
}

const accountOf = async (phone: string) => (await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
const platformConsents = async (accountId: string) =>
  (await t.db.selectFrom('sso_consents').select('client_id').where('account_id', '=', accountId).execute()).map((r) => r.client_id);
const casTickets = async (accountId: string) => (await t.db.selectFrom('cas_tickets').select('kind').where('account_id', '=', accountId).execute()).length;
/** Codes and grants the provider holds for the platform. */
const codesFor = async (clientId: string) =>
  (
    await t.db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('model', 'in', ['AuthorizationCode', 'Grant'])
      .where('payload', '@>', JSON.stringify({ clientId }))
      .execute()
  ).length;

const hiddenFields = (body: string, formId: string) => {
  const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(body)?.[1] ?? '';
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
};
const actionOf = (body: string, formId: string) => new RegExp(`<form[^>]*action="([^"]+)"[^>]*id="${formId}"`).exec(body)?.[1]?.replace(/&amp;/g, '&');

test('OpenID Connect: declining the new version at /consent sends access_denied to the platform and grants nothing', async () => {
  const phone = await registerPerson(t);
  const accountId = await accountOf(phone);
  const p = await platform(t, { name: '研招网' });
  publishNewTerms();
  const browser = new Browserless();
  const { url, verifier, state } = await authUrl(p, 'openid profile');
  const atLogin = await browser.follow(url.toString(), t.baseURL);
  const next = signInPageNext(atLogin, browser.lastBody);
  assert.ok(next, `the sign-in page: ${atLogin.url}`);
  const held = await browser.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD, next } });
  assert.equal(new URL(held.url).pathname, '/consent', 'the new version is asked before the platform');
  assert.equal(held.response.status, 200);
  const page = browser.lastBody;
  assert.match(page, /协议已更新/);
  const uid = /^\/sso\/interaction\/([^/?]+)$/.exec(next)![1]!;
  assert.equal(actionOf(page, 'consent-decline'), `/sso/interaction/${uid}/abort`);
  // The platform's redirect_uri is allowed as the target of the page's forms (browsers check it).
  assert.match(held.response.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' ${new URL(REDIRECT).origin}`));

  const declined = await browser.follow(`${t.baseURL}${actionOf(page, 'consent-decline')}`, t.baseURL, { form: hiddenFields(page, 'consent-decline') });
  assert.ok(declined.url.startsWith(REDIRECT), declined.url);
  const callback = new URL(declined.url);
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.match(callback.searchParams.get('error_description') ?? '', /did not agree to the updated user agreement/);
  assert.equal(callback.searchParams.get('code'), null);
  await assert.rejects(
    oidc.authorizationCodeGrant(p.config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    (error: unknown) => error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied',
  );
  assert.deepEqual(await platformConsents(accountId), []);
  assert.equal(await codesFor(p.clientId), 0);
  // Declining signs out of Tongxing, as it always does; nothing new was agreed to.
  assert.equal((await browser.request(`${t.baseURL}/account`)).headers.get('location'), '/login?next=%2Faccount');
  const terms = await t.db.selectFrom('consent_records').select('version').where('account_id', '=', accountId).where('document', '=', 'terms').execute();
  assert.deepEqual(
    terms.map((r) => r.version),
    [shipped.versions.terms],
  );
});

test('OpenID Connect: prompt=none with the new version due answers interaction_required without showing /consent; agreeing goes on', async () => {
  const phone = await registerPerson(t);
  const accountId = await accountOf(phone);
  const known = await platform(t, { name: '学信档案' });
  const other = await platform(t, { name: '兵役登记' });
  // Signed in to one platform before the new version: the provider's session and a consent exist.
  const browser = new Browserless();
  const first = await authUrl(known, 'openid profile');
  const signedIn = await signInThroughTongxing(t, browser, first.url, phone);
  assert.ok(new URL(signedIn.url).searchParams.get('code'), signedIn.url);
  const before = await platformConsents(accountId);
  assert.deepEqual(before, [known.clientId]);
  assert.ok((await codesFor(known.clientId)) > 0, 'the count below sees what a platform was given');

  publishNewTerms();
  // Signed in to Tongxing again in the same browser: this session is held at /consent.
  const again = await tongxingLogin(t, browser, phone);
  assert.equal(new URL(again.url).pathname, '/consent');

  for (const p of [known, other]) {
    const silent = await authUrl(p, 'openid profile', { prompt: 'none' });
    const answer = await browser.follow(silent.url.toString(), t.baseURL);
    assert.ok(answer.url.startsWith(REDIRECT), `the platform hears back at once, not /consent: ${answer.url}`);
    const callback = new URL(answer.url);
    assert.equal(callback.searchParams.get('error'), 'interaction_required');
    assert.equal(callback.searchParams.get('code'), null);
    await assert.rejects(
      oidc.authorizationCodeGrant(p.config, callback, { pkceCodeVerifier: silent.verifier, expectedState: silent.state }),
      (error: unknown) => error instanceof oidc.AuthorizationResponseError && error.error === 'interaction_required',
    );
  }
  assert.deepEqual(await platformConsents(accountId), before, 'no consent given to the other platform');
  assert.equal(await codesFor(other.clientId), 0);

  // Without prompt=none the person is asked first, and agreeing continues to the platform.
  const asked = await authUrl(known, 'openid profile');
  const held = await browser.follow(asked.url.toString(), t.baseURL);
  assert.equal(new URL(held.url).pathname, '/consent');
  const page = browser.lastBody;
  const agreed = await browser.follow(`${t.baseURL}/consent`, t.baseURL, { form: hiddenFields(page, 'consent-renew') });
  const code = new URL(agreed.url);
  assert.ok(code.searchParams.get('code'), agreed.url);
  const tokens = await oidc.authorizationCodeGrant(known.config, code, { pkceCodeVerifier: asked.verifier, expectedState: asked.state });
  assert.ok(tokens.access_token);
});

test('CAS: declining at /consent gives the platform no ticket and says so; gateway=true with the version due returns without one', async () => {
  const phone = await registerPerson(t);
  const accountId = await accountOf(phone);
  publishNewTerms();
  const browser = new Browserless();
  let step = await browse(browser, `${casA.url}/`);
  assert.equal(new URL(step.url).pathname, '/login');
  const next = new URL(step.url).searchParams.get('next')!;
  step = await browse(browser, `${t.baseURL}/login`, { form: { username: phone, password: PASSWORD, next } });
  assert.equal(new URL(step.url).pathname, '/consent');
  assert.match(new URL(step.url).searchParams.get('next') ?? '', /^\/cas\/login\?service=/);
  assert.equal(actionOf(step.body, 'consent-decline'), '/cas/decline');
  const declined = await browse(browser, `${t.baseURL}/cas/decline`, { form: hiddenFields(step.body, 'consent-decline') });
  assert.equal(declined.response.status, 200);
  assert.match(declined.body, /您没有同意新版本的《用户协议》《个人信息保护政策》，已退出通行帐号，也没有登录“学籍档案”/);
  assert.match(declined.body, new RegExp(`href="${casA.url}/"[^>]*id="cas-consent-declined-back"`));
  assert.equal(await casTickets(accountId), 0);
  assert.deepEqual(await platformConsents(accountId), []);

  // Signed in again (held), a platform that asks with gateway=true gets the person back, unsigned.
  const again = await tongxingLogin(t, browser, phone);
  assert.equal(new URL(again.url).pathname, '/consent');
  const gateway = await browse(browser, `${casGateway.url}/`);
  assert.ok(!gateway.visited.some((u) => new URL(u).pathname === '/consent'), gateway.visited.join(' → '));
  assert.ok(
    gateway.visited.some((u) => u.startsWith(`${t.baseURL}/cas/login`) && new URL(u).searchParams.get('gateway') === 'true'),
    gateway.visited.join(' → '),
  );
  assert.match(gateway.body, /<p id="anonymous">未登录<\/p>/);
  assert.ok(!gateway.visited.some((u) => new URL(u).searchParams.has('ticket')), 'no ticket in any redirect');
  assert.equal(await casTickets(accountId), 0);
  assert.deepEqual(await platformConsents(accountId), []);

  // Without gateway the held session is asked first, not given a ticket.
  const plain = await browse(browser, `${casA.url}/`);
  assert.equal(new URL(plain.url).pathname, '/consent');
  assert.equal(await casTickets(accountId), 0);
});
