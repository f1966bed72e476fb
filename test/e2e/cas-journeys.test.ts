// CAS in Chromium: platforms written against a stock CAS client (examples/cas-platform, with
// http-cas-client) sign a person in through Tongxing's pages. 学籍档案 with the password; 研招网
// then without it; a portal that always asks again (renew); a page that only looks (gateway); the
// portal calling 研招网 for the person with a proxy ticket; and signing out at one platform ending
// the sessions at both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { ServedInstance } from '../helpers/browser.ts';
import { closeJourneys, follow, path, phoneSequence, registerPhoneAccount, startJourneys, submitWith } from '../helpers/journey.ts';
import { startCasPlatform, type CasPlatformOptions, type RunningCasPlatform } from '../../examples/cas-platform/platform.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';

const PASSWORD = 'juniper lantern harbour';
const freshPhone = phoneSequence('166', 40_000_000, 7_919);

let t: ServedInstance;
let browser: Browser;
const platforms: RunningCasPlatform[] = [];

before(async () => {
  ({ t, browser } = await startJourneys());
});
after(async () => {
  for (const p of platforms) await p.close();
  await closeJourneys({ t, browser });
});

/** A running example platform, registered as an operator would (`client add --protocol cas`). */
async function casPlatform(name: string, options: Omit<CasPlatformOptions, 'casUrl' | 'name'> = {}, scopes: Array<'profile' | 'phone'> = ['phone']) {
  const running = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name, ...options });
  platforms.push(running);
  await addCasPlatform(
    { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
    { name, services: [`^${running.url.replace(/[.]/g, '\\.')}/.*$`], proxy: Boolean(options.proxy), requiresRealname: false, scopes, idNumberAccess: 'none' },
    true,
  );
  return running;
}

/** On Tongxing's 授权登录 page: 同意并登录. */
async function allow(page: Page) {
  assert.equal(await page.locator('#consent-intro').count(), 1, `the consent page, at ${page.url()}`);
  await submitWith(page, page.locator('#consent-allow-submit'));
}

describe('CAS platforms in a browser', () => {
  it('signs in at one platform, reaches the next without a password, proxies, and signs out of both', async () => {
    const xueji = await casPlatform('学籍档案', { proxy: true }, ['profile', 'phone']);
    const yanzhao = await casPlatform('研招网', { acceptProxyTickets: true });
    const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
    const context = await browser.newContext({ baseURL: t.baseURL });
    const page = await context.newPage();

    await page.goto(`${xueji.url}/`);
    assert.equal(path(page), '/login', 'the platform sends the person to Tongxing to sign in');
    assert.match(await page.locator('#signin-platform').innerText(), /学籍档案/, 'the sign-in page names the platform');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    assert.match(await page.locator('#consent-intro').innerText(), /学籍档案/);
    await allow(page);
    assert.equal(new URL(page.url()).origin, xueji.url);
    assert.equal(await page.locator('h1').innerText(), '学籍档案');
    assert.match(await page.locator('#attributes').innerText(), new RegExp(`\\+86${phone}`));
    const user = await page.locator('#user').innerText();

    await page.goto(`${yanzhao.url}/`);
    await allow(page); // its own consent, but no password
    assert.equal(await page.locator('h1').innerText(), '研招网');
    assert.equal(await page.locator('#user').innerText(), user);

    await page.goto(`${xueji.url}/via?target=${encodeURIComponent(`${yanzhao.url}/`)}`);
    assert.equal(await page.locator('#proxied h1').innerText(), '研招网', '学籍档案 read 研招网 for the person with a proxy ticket');

    // 退出 at 学籍档案: CAS logout, then single logout reaches 研招网 as well.
    await follow(page, page.locator('#logout'));
    await waitFor(
      async () => (await t.db.selectFrom('outbox').select('id').where('channel', '=', 'cas_logout').where('state', '=', 'sent').execute()).length >= 2,
    );
    await page.goto(`${yanzhao.url}/`);
    assert.equal(path(page), '/login', '研招网 has let the session go');
    await context.close();
  });

  it('renew asks for the password inside a live session; gateway never shows a sign-in page', async () => {
    const portal = await casPlatform('门户', { renew: true });
    const lookOnly = await casPlatform('公告', { gateway: true });
    const { phone } = await registerPhoneAccount(t.baseURL, freshPhone(), PASSWORD);
    const context = await browser.newContext({ baseURL: t.baseURL });
    const page = await context.newPage();

    const atGateway = await page.goto(`${lookOnly.url}/`);
    assert.equal(new URL(page.url()).origin, lookOnly.url, 'back at the platform, not on a sign-in page');
    assert.equal(atGateway?.status(), 403, 'the platform learnt nobody is signed in');
    assert.equal(await page.locator('#anonymous').count(), 1);

    await page.goto('/login');
    await page.locator('input[name=username]').fill(phone);
    await page.locator('input[name=password]').fill(PASSWORD);
    await submitWith(page, page.locator('#login-submit'));
    await page.goto(`${portal.url}/`);
    assert.equal(path(page), '/account/confirm-password', 'renew: the password again, though signed in');
    await page.locator('input[name=currentPassword]').fill(PASSWORD);
    await submitWith(page, page.locator('#confirm-password-submit'));
    await allow(page);
    assert.equal(await page.locator('h1').innerText(), '门户');
    assert.match(await page.locator('#attributes').innerText(), /"isFromNewLogin":"true"/);
    await context.close();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
