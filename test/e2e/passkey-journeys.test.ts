// Passkeys as a person meets them, in a real Chromium whose virtual authenticator (DevTools'
// WebAuthn domain: CTAP2, an internal platform authenticator with resident keys and user
// verification) stands for the phone or laptop: 帐号管理 → 通行密钥 → 添加 (named, listed), signing
// out and in again with 使用通行密钥登录 and with the username field's autofill, signing in to a
// platform (the example OIDC platform of examples/platform/) with a passkey, and a removed
// passkey refused with a clear message. Tongxing is served as http://localhost:PORT: WebAuthn's
// RP ID must be a domain (never an IP address), and localhost is a secure context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import {
  closeJourneys,
  follow,
  latestMessageTo,
  path,
  phoneSequence,
  registerPhoneAccount,
  signIn,
  startJourneys,
  submitWith,
  textOf,
} from '../helpers/journey.ts';
import { hmacSha256 } from '../../src/lib/crypto.ts';
import { addClient } from '../../src/sso/clients.ts';
import { startPlatform, type RunningPlatform } from '../../examples/platform/platform.ts';

const PASSWORD = 'heron meadow lantern';

let t: ServedInstance;
let browser: Browser;
let platform: { running: RunningPlatform; url: string };

before(async () => {
  ({ t, browser } = await startJourneys({ publicHost: 'localhost' }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { clientId, clientSecret } = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: '研招网',
      redirectUris: [`${url}/callback`],
      postLogoutRedirectUris: [`${url}/`],
      requiresRealname: false,
      scopes: ['profile', 'realname'],
      idNumberAccess: 'none',
    },
  );
  platform = {
    running: await startPlatform({ issuer: `${t.baseURL}/oidc`, clientId, clientSecret, baseUrl: url, allowHttp: true, name: '研招网' }, port),
    url,
  };
});
after(async () => {
  await platform?.running.close();
  await closeJourneys({ t, browser });
});

const freshPhone = phoneSequence('166', 40_000_000, 7_013);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Device {
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  close(): Promise<void>;
}

/** A fresh browser with a virtual platform authenticator that holds passkeys and verifies its person. */
async function browserWithAuthenticator(): Promise<Device> {
  const { context, page } = await openPage(browser, t.baseURL);
  // Only Tongxing (localhost) and the platform (127.0.0.1) are reached: nothing leaves the machine.
  await context.route(
    (url) => url.hostname !== 'localhost' && url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { page, cdp, authenticatorId, close: () => context.close() };
}

/**
 * Whether the virtual authenticator answers at once, as if the person touched it: with it on, a
 * pending autofill request (conditional mediation) is answered too, as if the person picked the
 * passkey from the username's suggestions.
 */
const presence = (device: Device, enabled: boolean) =>
  device.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: device.authenticatorId, enabled });

/** A person registered through the API, signed in in a new device that adds a passkey named `name`. */
async function personWithPasskey(name: string) {
  const person = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const device = await browserWithAuthenticator();
  await signIn(device.page, person.phone, PASSWORD);
  assert.equal(await addPasskey(device.page, name), 200);
  return { ...person, device };
}

/** 帐号管理 → 通行密钥 → 添加通行密钥, named; answers the list page's status. */
async function addPasskey(page: Page, name: string): Promise<number> {
  await page.goto('/account');
  await follow(page, page.locator('#settings-links a[href="/account/passkeys"]'));
  await follow(page, page.locator('#passkey-add-link'));
  assert.equal(path(page), '/account/passkeys/new');
  await page.locator('input[name=name]').fill(name);
  return submitWith(page, page.locator('#passkey-add-submit'));
}

/**
 * Lands on the sign-in page by `navigate` with the authenticator waiting for a touch, so the
 * autofill's request stays pending (as it does until a person picks a passkey there); then the
 * authenticator answers again, for the button.
 */
async function onSignInPageWithoutAutofill(device: Device, navigate: () => Promise<unknown>): Promise<void> {
  await presence(device, false);
  await navigate();
  // The sign-in page: /login, or a platform's sign-in at the interaction's own address.
  assert.match(path(device.page), /^\/login$|^\/sso\/interaction\/[\w-]+$/, `${device.page.url()}: ${await device.page.locator('body').innerText()}`);
  await device.page.locator('#passkey-login[data-autofill=ready]').waitFor({ state: 'attached' });
  await presence(device, true);
}

const signOut = (page: Page) => submitWith(page, page.locator('form[action="/logout"] button'));

/** The methods of the session this browser holds now. */
async function methodsOfThisSession(page: Page, accountId: string) {
  const token = (await page.context().cookies()).find((c) => c.name === 'tx_session')?.value;
  assert.ok(token, 'signed in');
  const rows = await t.db.selectFrom('sessions').select(['token_hash', 'auth_methods']).where('account_id', '=', accountId).execute();
  const hash = hmacSha256(t.services.sessions.sessionKey, token);
  return rows.find((r) => Buffer.from(r.token_hash).equals(hash))?.auth_methods;
}

test('添加通行密钥 in 帐号管理 (named, listed), then sign out and in again with 使用通行密钥登录', async () => {
  const person = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
  const device = await browserWithAuthenticator();
  const { page, cdp, authenticatorId } = device;
  try {
    await signIn(page, person.phone, PASSWORD);
    await page.goto('/account/passkeys');
    assert.equal(await textOf(page.locator('#passkeys-none')), '您还没有添加通行密钥。');
    assert.equal(await addPasskey(page, '我的电脑'), 200);
    assert.equal(path(page), '/account/passkeys');
    assert.equal(await textOf(page.locator('main .notice-success')), '已添加通行密钥“我的电脑”，下次可以用它登录。');
    assert.deepEqual(await page.locator('#passkeys .passkey-name').allInnerTexts(), ['我的电脑']);
    assert.match(await textOf(page.locator('#passkeys tbody tr')), /尚未使用/);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential');
    assert.equal(credentials[0]!.rpId, 'localhost');
    await screenshot(page, 'passkeys-listed');

    await onSignInPageWithoutAutofill(device, () => signOut(page));
    const button = page.locator('#passkey-login-submit');
    assert.equal(await textOf(button), '使用通行密钥登录');
    assert.equal(await page.locator('input[name=username]').getAttribute('autocomplete'), 'username webauthn');
    await screenshot(page, 'passkeys-login');
    assert.equal(await submitWith(page, button), 303);
    assert.equal(path(page), '/account');
    assert.deepEqual(await methodsOfThisSession(page, person.accountId), ['passkey']);
    await page.goto('/account/security');
    assert.match(await textOf(page.locator('#security-log tbody tr').first()), /登录（通行密钥）/);
    await page.goto('/account/passkeys');
    assert.doesNotMatch(await textOf(page.locator('#passkeys tbody tr')), /尚未使用/, 'its last use is shown');
  } finally {
    await device.close();
  }
});

test('the username field’s autofill offers the passkey (conditional mediation): picking it signs in', async () => {
  const { device, accountId } = await personWithPasskey('手机');
  const { page } = device;
  try {
    // Signed out, the sign-in page asks the browser for the site's passkeys in the username's
    // autofill; the virtual authenticator picks the one it holds, and the page signs in with it.
    await Promise.all([page.waitForURL((url) => url.pathname === '/account', { waitUntil: 'load' }), signOut(page).catch(() => 0)]);
    assert.deepEqual(await methodsOfThisSession(page, accountId), ['passkey']);
    assert.equal(await textOf(page.locator('h1')), '帐号管理');
  } finally {
    await device.close();
  }
});

test('signing in to a platform (OIDC) with a passkey: Tongxing’s sign-in page, the passkey, the consent, back at the platform', async () => {
  const { device, accountId } = await personWithPasskey('平板');
  const { page } = device;
  try {
    // Another day: the browser holds no Tongxing session any more, only the passkey.
    await page.context().clearCookies();
    await page.goto(`${platform.url}/`);
    await onSignInPageWithoutAutofill(device, () => follow(page, page.locator('#login')));
    assert.equal(new URL(page.url()).origin, t.baseURL);
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/);
    assert.equal(await page.locator('#passkey-login input[name=next]').getAttribute('value'), path(page));
    assert.equal(await textOf(page.locator('#signin-platform')), '登录后将进入“研招网”');
    assert.equal(await submitWith(page, page.locator('#passkey-login-submit')), 303);
    assert.match(path(page), /^\/sso\/interaction\/[\w-]+$/, 'the consent page');
    assert.deepEqual(await methodsOfThisSession(page, accountId), ['passkey']);
    await submitWith(page, page.locator('#consent-allow-submit'));
    assert.equal(page.url(), `${platform.url}/`);
    assert.match(await textOf(page.locator('#signed-in')), /^已登录：/);
    await screenshot(page, 'passkeys-platform-signed-in');
  } finally {
    await device.close();
  }
});

test('a removed passkey no longer signs in, and the sign-in page says why', async () => {
  const { device, phone } = await personWithPasskey('旧手机');
  const { page } = device;
  try {
    await page.goto('/account/passkeys');
    assert.equal(await submitWith(page, page.getByRole('button', { name: '删除通行密钥“旧手机”' })), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), '已删除通行密钥“旧手机”，它不能再用于登录。');
    assert.equal(await textOf(page.locator('#passkeys-none')), '您还没有添加通行密钥。');
    const notice = await latestMessageTo(t.baseURL, phone);
    assert.match(notice.text, /删除通行密钥“旧手机”/);

    // The device still holds it; the service refuses it.
    await onSignInPageWithoutAutofill(device, () => signOut(page));
    assert.equal(await submitWith(page, page.locator('#passkey-login-submit')), 401);
    assert.equal(await textOf(page.locator('#error-summary .error-summary-form')), '这个通行密钥已被删除，或不属于任何通行帐号，不能用于登录。请使用密码登录');
    assert.equal(await page.locator('#passkey-login-block').getAttribute('data-autofill'), 'off', 'the autofill is not offered again at once');
    await screenshot(page, 'passkeys-removed-refused');
  } finally {
    await device.close();
  }
});

test('a passkey as the second step: turned on in 两步验证 without an app, then a password sign-in finishes with 使用通行密钥验证', async () => {
  const { device, accountId, phone } = await personWithPasskey('笔记本');
  const { page } = device;
  try {
    await page.goto('/account/two-factor');
    assert.equal(await submitWith(page, page.locator('#passkey-way-enable-submit')), 200);
    assert.equal(await textOf(page.locator('main .notice-success')), '两步验证已开启：登录时将需要您的通行密钥。');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    assert.match((await latestMessageTo(t.baseURL, phone)).text, /还需使用您的通行密钥确认/);

    // Signed out, with the authenticator waiting for a touch (so the autofill does not sign in), the password first.
    await presence(device, false);
    await signOut(page);
    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill(PASSWORD);
    assert.equal(await submitWith(page, page.locator('#login-submit')), 303);
    assert.equal(path(page), '/login/second-factor');
    const button = page.locator('#passkey-second-factor-submit');
    await button.waitFor({ state: 'visible' });
    assert.equal(await textOf(button), '使用通行密钥验证');
    await screenshot(page, 'second-factor-passkey-step');
    await presence(device, true);
    assert.equal(await submitWith(page, button), 303);
    assert.equal(path(page), '/account');
    assert.deepEqual(await methodsOfThisSession(page, accountId), ['password', 'passkey']);

    // The last passkey stays while it is the only second factor.
    await page.goto('/account/passkeys');
    assert.equal(await submitWith(page, page.locator('#passkeys form[action$="/remove"] button').first()), 409);
    assert.match(await textOf(page.locator('main')), /这是您唯一的第二步验证方式所用的最后一个通行密钥，现在不能删除/);
  } finally {
    await device.close();
  }
});
