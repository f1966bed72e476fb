// What platforms hear of a sign-in with a second factor, over real HTTP: an OpenID Connect
// platform (openid-client) gets amr [pwd, otp, mfa] and acr urn:tongxing:acr:mfa in its ID token,
// and a CAS platform (the stock http-cas-client) gets authenticationMethod and authnContextClass
// saying the same; the same person without the second factor is one factor to both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServedInstance } from '../helpers/browser.ts';
import { Browserless, PASSWORD, authUrl, oidc, platform, registerPerson, signInPageNext, start } from '../helpers/sso-flow.ts';
import { Authenticator } from '../helpers/authenticator.ts';
import { startCasPlatform, type RunningCasPlatform } from '../../examples/cas-platform/platform.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { beginTotpSetup, confirmTotpSetup, disableSecondFactor } from '../../src/mfa/second-factor.ts';

const META = { ip: '127.0.0.1', userAgent: null };

describe('platforms hear the second factor', () => {
  let t: ServedInstance;
  let cas: RunningCasPlatform;
  let phone: string;
  let accountId: string;
  let app: Authenticator;

  before(async () => {
    t = await start();
    phone = await registerPerson(t);
    accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
    // Turned on through the service the settings page calls (the pages are tested in second-factor.test.ts).
    app = new Authenticator((await beginTotpSetup(t.services.accounts, accountId)).secret);
    await confirmTotpSetup(t.services.accounts, accountId, app.codeAt(t.clock.now()), META);
    cas = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name: '学籍档案' });
    await addCasPlatform(
      { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
      {
        name: '学籍档案',
        services: [`^${cas.url.replace(/[.]/g, '\\.')}/.*$`],
        proxy: false,
        requiresRealname: false,
        scopes: ['profile'],
        idNumberAccess: 'none',
      },
      true,
    );
  });

  after(async () => {
    await cas?.close();
    await t?.close();
  });

  /** A fresh code: the next 30-second step on the service's clock (each step is accepted once). */
  const freshCode = () => {
    t.clock.advance(30_000);
    return app.codeAt(t.clock.now());
  };

  /**
   * From wherever the platform sent the browser: the password on the sign-in page, then (when asked) the
   * code on /login/second-factor, then consent if asked; answers the first step off Tongxing.
   */
  async function signIn(browser: Browserless, start: string, options: { code?: boolean; origin?: string } = {}) {
    // Redirects are followed while they stay on `origin`: Tongxing's for OIDC (the callback is
    // the platform's), every loopback port for CAS (the platform's own pages and cookie).
    const origin = options.origin ?? t.baseURL;
    let step = await browser.follow(start, origin);
    const next = signInPageNext(step, browser.lastBody);
    assert.ok(next, `the sign-in page: ${step.url}`);
    step = await browser.follow(`${t.baseURL}/login`, origin, { form: { username: phone, password: PASSWORD, next } });
    if (options.code !== false) {
      assert.equal(new URL(step.url).pathname, '/login/second-factor', `the second step is asked: ${step.url}`);
      assert.equal(new URL(step.url).searchParams.get('next'), next, 'keeping where the sign-in was going');
      step = await browser.follow(`${t.baseURL}/login/second-factor`, origin, { form: { code: freshCode(), next } });
    }
    if (step.url.includes('/sso/interaction/') && step.response.status === 200) {
      const uid = /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
      step = await browser.follow(`${t.baseURL}/sso/interaction/${uid}/confirm`, origin, { form: {} });
    }
    if (browser.lastBody.includes('id="consent-allow"')) {
      const form = Object.fromEntries(
        [...browser.lastBody.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
      );
      step = await browser.follow(`${t.baseURL}/cas/consent`, origin, { form });
    }
    return step;
  }

  it('OIDC: the ID token says amr pwd + otp + mfa and acr urn:tongxing:acr:mfa', async () => {
    const p = await platform(t, { scopes: ['profile'] });
    const auth = await authUrl(p, 'openid profile');
    const back = await signIn(new Browserless(), auth.url.toString());
    assert.ok(back.url.startsWith('http://127.0.0.1:9/callback'), back.url);
    const tokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    const claims = tokens.claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:tongxing:acr:mfa');
  });

  it('CAS: authenticationMethod and authnContextClass say the same', async () => {
    const browser = new Browserless();
    const landed = await signIn(browser, `${cas.url}/`, { origin: 'http://127.0.0.1:' });
    assert.equal(landed.response.status, 200, browser.lastBody);
    const attributes = JSON.parse(/<pre id="attributes">([^<]*)<\/pre>/.exec(browser.lastBody)![1]!.replace(/&quot;/g, '"')) as Record<string, unknown>;
    assert.equal(attributes.authnContextClass, 'urn:tongxing:acr:mfa');
    assert.deepEqual([attributes.authenticationMethod].flat().sort(), ['mfa', 'otp', 'pwd']);
  });

  it('turned off, the same person is one factor again', async () => {
    await disableSecondFactor(t.services.accounts, accountId, freshCode(), META);
    const p = await platform(t, { scopes: ['profile'] });
    const auth = await authUrl(p, 'openid profile');
    const back = await signIn(new Browserless(), auth.url.toString(), { code: false });
    const tokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    assert.deepEqual(tokens.claims()!.amr, ['pwd']);
    assert.equal(tokens.claims()!.acr, 'urn:tongxing:acr:1fa');
  });
});
