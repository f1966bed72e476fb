// What an OpenID Connect platform hears of a sign-in whose second step was a passkey, over real
// HTTP (openid-client): the password on /login, then 使用通行密钥验证 on /login/second-factor
// answered by a software authenticator, then the ID token says amr [pwd, hwk, user, mfa] and acr
// urn:tongxing:acr:mfa.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { ServedInstance } from '../helpers/browser.ts';
import { Browserless, PASSWORD, authUrl, oidc, platform, registerPerson, signInPageNext, start } from '../helpers/sso-flow.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { addPasskey, registrationOptions } from '../../src/passkeys/registration.ts';
import { enablePasskeyWay } from '../../src/mfa/passkey-factor.ts';

const META = { ip: '127.0.0.1', userAgent: null };
const BROWSER = 'b'.repeat(43);

describe('platforms hear a passkey as the second step', () => {
  let t: ServedInstance;
  let phone: string;
  let authenticator: SoftAuthenticator;

  before(async () => {
    t = await start();
    phone = await registerPerson(t);
    const accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
    // Added and turned on through the services the pages call (the pages: second-factor-passkey.test.ts).
    authenticator = new SoftAuthenticator(t.services.passkeys.rp.origin);
    const options = await registrationOptions(t.services.passkeys, accountId, BROWSER, '手机');
    const credential = authenticator.create(options as PublicKeyCredentialCreationOptionsJSON);
    await addPasskey(t.services.passkeys, accountId, BROWSER, { name: '手机', credential: JSON.stringify(credential) }, META);
    await enablePasskeyWay(t.services.accounts, accountId, META);
  });

  after(async () => {
    await t?.close();
  });

  it('OIDC: the ID token says amr pwd + hwk + user + mfa and acr urn:tongxing:acr:mfa', async () => {
    const p = await platform(t, { scopes: ['profile'] });
    const auth = await authUrl(p, 'openid profile');
    const browser = new Browserless();
    let step = await browser.follow(auth.url.toString(), t.baseURL);
    const next = signInPageNext(step, browser.lastBody);
    assert.ok(next, `the sign-in page: ${step.url}`);
    step = await browser.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD, next } });
    assert.equal(new URL(step.url).pathname, '/login/second-factor', step.url);
    assert.match(browser.lastBody, /id="passkey-second-factor"/);

    const options = await browser.request(`${t.baseURL}/login/second-factor/passkey/options`, { method: 'POST', form: {} });
    assert.equal(options.status, 200, browser.lastBody);
    const request = (JSON.parse(browser.lastBody) as { options: PublicKeyCredentialRequestOptionsJSON }).options;
    const answer = JSON.stringify(authenticator.get(request));
    step = await browser.follow(`${t.baseURL}/login/second-factor/passkey`, t.baseURL, { form: { credential: answer, next } });
    if (step.url.includes('/sso/interaction/') && step.response.status === 200) {
      const uid = /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
      step = await browser.follow(`${t.baseURL}/sso/interaction/${uid}/confirm`, t.baseURL, { form: {} });
    }
    assert.ok(step.url.startsWith('http://127.0.0.1:9/callback'), `${step.url} ${browser.lastBody.slice(0, 300)}`);
    const tokens = await oidc.authorizationCodeGrant(p.config, new URL(step.url), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    const claims = tokens.claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa']);
    assert.equal(claims.acr, 'urn:tongxing:acr:mfa');
  });
});
