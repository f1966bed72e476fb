// Single sign-on and the Tongxing session are one: signing out of Tongxing, or being signed out
// from another device, ends single sign-on in that browser, and someone else signing in to
// Tongxing there is never handed the previous person at a platform. Withdrawing a consent ends
// every grant that platform holds for the person. (Each failed before its fix; found in review.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  start,
  registerPerson,
  platform,
  authUrl,
  signInThroughTongxing,
  signInPageNext,
  tongxingLogin,
  Browserless,
  oidc,
  idNo,
  REDIRECT,
  PASSWORD,
} from '../helpers/sso-flow.ts';
import type { ServedInstance } from '../helpers/browser.ts';

let t: ServedInstance;
before(async () => {
  t = await start();
});
after(() => t.close());

const invalidGrant = (e: { error?: string }) => e.error === 'invalid_grant';

test('after Tongxing sign-out the next person at the browser is asked to sign in, and gets themselves', async () => {
  const alice = await registerPerson(t, { name: '欧阳明', idNumber: idNo(101) });
  const bob = await registerPerson(t, { name: '司马光', idNumber: idNo(102) });
  const p = await platform(t);
  const browser = new Browserless();
  const a = await authUrl(p, 'openid profile');
  const back = await signInThroughTongxing(t, browser, a.url, alice);
  const aliceSub = (await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: a.verifier, expectedState: a.state })).claims()!.sub;

  await browser.follow(`${t.baseURL}/account`, t.baseURL);
  await browser.follow(`${t.baseURL}/logout`, t.baseURL, { form: {} });

  // Nobody signed in: the platform's sign-in shows Tongxing's sign-in page.
  const b = await authUrl(p, 'openid profile');
  const step = await browser.follow(b.url.toString(), t.baseURL);
  assert.ok(signInPageNext(step, browser.lastBody), `the sign-in page, not a code: ${step.url}`);
  // prompt=none cannot pass silently either.
  const silent = await authUrl(p, 'openid profile', { prompt: 'none' });
  const none = await browser.follow(silent.url.toString(), t.baseURL);
  assert.equal(new URL(none.url).searchParams.get('error'), 'login_required');

  // Bob signs in to Tongxing in the same browser and then at the platform: he is Bob.
  await tongxingLogin(t, browser, bob);
  const c = await authUrl(p, 'openid profile');
  const mine = await signInThroughTongxing(t, browser, c.url, bob);
  assert.ok(mine.url.startsWith(REDIRECT), mine.url);
  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(mine.url), { pkceCodeVerifier: c.verifier, expectedState: c.state });
  assert.notEqual(tokens.claims()!.sub, aliceSub);
  assert.equal((await oidc.fetchUserInfo(p.config, tokens.access_token, tokens.claims()!.sub)).name, '司马光');
});

test('a device signed out with 下线其他所有设备 is no longer signed in to platforms', async () => {
  const alice = await registerPerson(t, { name: '王安石', idNumber: idNo(104) });
  const p = await platform(t);
  const other = new Browserless();
  const a = await authUrl(p, 'openid profile');
  await signInThroughTongxing(t, other, a.url, alice);
  const mine = new Browserless();
  await tongxingLogin(t, mine, alice);
  await mine.follow(`${t.baseURL}/account/sessions`, t.baseURL);
  await mine.follow(`${t.baseURL}/account/sessions/revoke-others`, t.baseURL, { form: {} });
  const b = await authUrl(p, 'openid profile');
  const step = await other.follow(b.url.toString(), t.baseURL);
  assert.ok(signInPageNext(step, other.lastBody), `the other device must sign in again: ${step.url}`);
});

test('withdrawing a consent ends every grant the platform holds for the person, from every device', async () => {
  const phone = await registerPerson(t, { name: '欧阳修', idNumber: idNo(201) });
  const p = await platform(t);
  const laptop = new Browserless();
  const mobile = new Browserless();
  await tongxingLogin(t, laptop, phone);
  await tongxingLogin(t, mobile, phone);
  const toConsent = async (browser: Browserless, url: URL) => {
    const step = await browser.follow(url.toString(), t.baseURL);
    assert.match(step.url, /\/sso\/interaction\//);
    return /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
  };
  const a1 = await authUrl(p, 'openid profile offline_access', { prompt: 'consent' });
  const a2 = await authUrl(p, 'openid profile offline_access', { prompt: 'consent' });
  const uid1 = await toConsent(laptop, a1.url);
  const uid2 = await toConsent(mobile, a2.url);
  const back1 = await laptop.follow(`${t.baseURL}/sso/interaction/${uid1}/confirm`, t.baseURL, { form: {} });
  const back2 = await mobile.follow(`${t.baseURL}/sso/interaction/${uid2}/confirm`, t.baseURL, { form: {} });
  const tokens1 = await oidc.authorizationCodeGrant(p.config, new URL(back1.url), { pkceCodeVerifier: a1.verifier, expectedState: a1.state });
  const tokens2 = await oidc.authorizationCodeGrant(p.config, new URL(back2.url), { pkceCodeVerifier: a2.verifier, expectedState: a2.state });

  await laptop.follow(`${t.baseURL}/account/platforms`, t.baseURL);
  await laptop.follow(`${t.baseURL}/account/platforms/${p.clientId}/withdraw`, t.baseURL, { form: {} });
  assert.match(laptop.lastBody, /已撤销对“研招网”的授权/);

  await assert.rejects(oidc.refreshTokenGrant(p.config, tokens1.refresh_token!), invalidGrant, 'the first device’s token ends');
  await assert.rejects(oidc.refreshTokenGrant(p.config, tokens2.refresh_token!), invalidGrant, 'and the second’s');
  const a3 = await authUrl(p, 'openid profile');
  const again = await laptop.follow(a3.url.toString(), t.baseURL);
  assert.match(again.url, /\/sso\/interaction\//, 'the consent is asked again');
  assert.equal(again.response.status, 200);
});

test('a platform the person withdrew consent from hears nothing more of them, not even a suspension', async () => {
  const { suspendAccount } = await import('../../src/admin/account-service.ts');
  const phone = await registerPerson(t, { name: '苏子瞻', idNumber: idNo(202) });
  // Nothing listens at this address: what matters is what is queued for the platform.
  const p = await platform(t, { webhookUrl: 'http://127.0.0.1:9/hooks' });
  const browser = new Browserless();
  await signInThroughTongxing(t, browser, (await authUrl(p, 'openid profile')).url, phone);
  await browser.follow(`${t.baseURL}/account/platforms`, t.baseURL);
  await browser.follow(`${t.baseURL}/account/platforms/${p.clientId}/withdraw`, t.baseURL, { form: {} });
  const account = await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  await suspendAccount(t.services.accounts, account.id, { username: 'support.su', ip: null }, '核实身份');
  const queued = await t.db.selectFrom('outbox').select('subject').where('platform_id', '=', p.clientId).execute();
  assert.deepEqual(queued, [], 'no webhook after the withdrawal');
});

test('prompt=login and max_age ask for the password again; auth_time is the last proof and amr says how', async () => {
  const phone = await registerPerson(t, { name: '曾子固', idNumber: idNo(203) });
  const p = await platform(t);
  const browser = new Browserless();
  const first = await authUrl(p, 'openid profile');
  const back = await signInThroughTongxing(t, browser, first.url, phone);
  const firstTokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: first.verifier, expectedState: first.state });
  const signedInAt = firstTokens.claims()!.auth_time!;
  assert.deepEqual(firstTokens.claims()!.amr, ['pwd']);
  assert.equal(firstTokens.claims()!.acr, 'urn:tongxing:acr:1fa', 'one factor: the password');

  // A long enough max_age passes silently, and auth_time stays the sign-in's.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const relaxed = await authUrl(p, 'openid profile', { max_age: '3600' });
  const silent = await browser.follow(relaxed.url.toString(), t.baseURL);
  assert.ok(silent.url.startsWith(REDIRECT), `no question asked: ${silent.url}`);
  const relaxedTokens = await oidc.authorizationCodeGrant(p.config, new URL(silent.url), { pkceCodeVerifier: relaxed.verifier, expectedState: relaxed.state });
  assert.equal(relaxedTokens.claims()!.auth_time, signedInAt, 'auth_time is when the password was typed, not this request');

  for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Array<Record<string, string>>) {
    const strict = await authUrl(p, 'openid profile', extra);
    const asked = await browser.follow(strict.url.toString(), t.baseURL);
    assert.equal(new URL(asked.url).pathname, '/account/confirm-password', `${JSON.stringify(extra)} asks for the password: ${asked.url}`);
    assert.match(browser.lastBody, /请先输入密码确认是本人/);
    const next = new URL(asked.url).searchParams.get('next')!;
    // Typing the password takes a moment; the provider dates interactions by the real clock, and
    // the service's test clock catches up with it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    t.clock.advance(Math.max(0, Date.now() - t.clock.now().getTime()));
    const wrong = await browser.follow(`${t.baseURL}/account/confirm-password`, t.baseURL, { form: { currentPassword: 'not it', next } });
    assert.equal(new URL(wrong.url).pathname, '/account/confirm-password', 'a wrong password gets no code');
    const confirmed = await browser.follow(`${t.baseURL}/account/confirm-password`, t.baseURL, { form: { currentPassword: PASSWORD, next } });
    assert.ok(confirmed.url.startsWith(REDIRECT), `the code after the password: ${confirmed.url}`);
    const tokens = await oidc.authorizationCodeGrant(p.config, new URL(confirmed.url), {
      pkceCodeVerifier: strict.verifier,
      expectedState: strict.state,
      ...(extra.max_age ? { maxAge: 0 } : {}),
    });
    assert.ok(tokens.claims()!.auth_time! > signedInAt, 'auth_time is the new proof');
    assert.deepEqual(tokens.claims()!.amr, ['pwd']);
  }
});

test('a platform registered for client_secret_basic cannot authenticate with the secret in the body', async () => {
  const phone = await registerPerson(t);
  const p = await platform(t);
  const browser = new Browserless();
  const request = await authUrl(p, 'openid profile');
  const back = await signInThroughTongxing(t, browser, request.url, phone);
  const posting = await oidc.discovery(new URL(`${t.baseURL}/oidc`), p.clientId, undefined, oidc.ClientSecretPost(p.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  await assert.rejects(
    oidc.authorizationCodeGrant(posting, new URL(back.url), { pkceCodeVerifier: request.verifier, expectedState: request.state }),
    (e: { error?: string }) => e.error === 'invalid_client',
  );
  // The refused attempt spent nothing: the registered method still gets the tokens.
  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: request.verifier, expectedState: request.state });
  assert.ok(tokens.access_token);
});
