// Single sign-on as a platform sees it, over real HTTP with openid-client: discovery, the
// authorization code flow with PKCE through Tongxing's own sign-in and consent pages, the claims,
// refresh tokens rotated on use, a remembered consent withdrawn, PKCE refused when missing, and a
// platform that requires a verified real name refusing an account without one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { createServer } from 'node:http';
import { createHmac, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import type { ServedInstance } from '../helpers/browser.ts';
import { codeIn } from '../helpers/agent.ts';
import { knownCaptcha } from '../helpers/app.ts';
import {
  Browserless,
  PASSWORD,
  REDIRECT,
  idNo,
  nextPhone,
  platform as platformOf,
  registerPerson as registerPersonOf,
  signInThroughTongxing as signInOf,
  start,
} from '../helpers/sso-flow.ts';

let t: ServedInstance;
const registerPerson = (identity?: { name: string; idNumber: string }) => registerPersonOf(t, identity);
const platform = (options?: Parameters<typeof platformOf>[1]) => platformOf(t, options);
const signInThroughTongxing = (browser: Browserless, url: URL, phone: string, options?: { consent?: boolean }) => signInOf(t, browser, url, phone, options);
const id = idNo;

before(async () => {
  t = await start();
});
after(() => t.close());

test('a platform signs a person in: PKCE, consent on Tongxing, claims, rotated refresh tokens', async () => {
  const phone = await registerPerson({ name: '欧阳明', idNumber: id(1) });
  const p = await platform();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile phone realname offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  });
  const browser = new Browserless();
  const first = await browser.follow(url.toString(), t.baseURL);
  // The sign-in page is shown at the interaction's own address (no redirect to /login), naming
  // the platform, and its password form continues there.
  assert.match(first.url, /\/sso\/interaction\/[A-Za-z0-9_-]+$/, 'sign-in happens on the Tongxing page');
  assert.equal(first.response.status, 200);
  assert.match(browser.lastBody, /<form[^>]*id="login"/);
  assert.match(browser.lastBody, /<input type="hidden" name="next" value="\/sso\/interaction\/[A-Za-z0-9_-]+"/);
  assert.match(browser.lastBody, /研招网/);
  const consent = await browser.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD, next: new URL(first.url).pathname } });
  assert.equal(consent.response.status, 200);
  assert.match(browser.lastBody, /“研招网”请求使用您的通行帐号登录/);
  assert.match(browser.lastBody, /data-scope="phone"/);
  const uid = /\/sso\/interaction\/([^/?]+)/.exec(consent.url)![1]!;
  const back = await browser.follow(`${t.baseURL}/sso/interaction/${uid}/confirm`, t.baseURL, { form: {} });
  assert.ok(back.url.startsWith(REDIRECT), back.url);

  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: state });
  const claims = tokens.claims()!;
  assert.match(claims.sub, /^[A-Za-z0-9_-]{22}$/, 'an opaque subject');
  const account = await t.db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  assert.notEqual(claims.sub, account.id, 'never the internal id');
  const info = await oidc.fetchUserInfo(p.config, tokens.access_token, claims.sub);
  assert.equal(info.name, '欧阳明');
  assert.equal(info.phone_number, `+86${phone}`);
  assert.equal(info.phone_number_verified, true);
  assert.equal(info.realname_status, 'verified');
  assert.equal(info.id_number, undefined, 'no ID number for a platform not allowed it');

  // Remembered: a second sign-in needs no consent page.
  const again = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const second = await browser.follow(again.toString(), t.baseURL);
  assert.ok(second.url.startsWith(REDIRECT), `no consent asked again: ${second.url}`);

  // Refresh tokens rotate; using a spent one again is taken as theft and ends the whole grant.
  const refreshed = await oidc.refreshTokenGrant(p.config, tokens.refresh_token!);
  assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'a new refresh token each time');
  const invalidGrant = (e: { error?: string }) => e.error === 'invalid_grant';
  await assert.rejects(oidc.refreshTokenGrant(p.config, tokens.refresh_token!), invalidGrant, 'the old one is spent');
  await assert.rejects(oidc.refreshTokenGrant(p.config, refreshed.refresh_token!), invalidGrant, 'and its replay revoked the newer one too');

  // A consent withdrawn in the account: the platform's refresh token stops working.
  const verifier2 = oidc.randomPKCECodeVerifier();
  const third = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier2),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  });
  const granted = await signInThroughTongxing(browser, third, phone);
  const tokens3 = await oidc.authorizationCodeGrant(p.config, new URL(granted.url), { pkceCodeVerifier: verifier2, expectedState: state });
  const session = new Browserless();
  await session.request(`${t.baseURL}/login`);
  await session.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD } });
  const list = await session.follow(`${t.baseURL}/account/platforms`, t.baseURL);
  assert.equal(list.response.status, 200);
  assert.match(session.lastBody, /研招网/);
  await session.follow(`${t.baseURL}/account/platforms/${p.clientId}/withdraw`, t.baseURL, { form: {} });
  assert.match(session.lastBody, /已撤销对“研招网”的授权/);
  await assert.rejects(oidc.refreshTokenGrant(p.config, tokens3.refresh_token!), invalidGrant);
});

test('an authorization request without PKCE is refused', async () => {
  const p = await platform();
  const url = oidc.buildAuthorizationUrl(p.config, { redirect_uri: REDIRECT, scope: 'openid', state: 'x' });
  const answer = await new Browserless().follow(url.toString(), t.baseURL);
  const back = new URL(answer.url);
  assert.equal(back.searchParams.get('error'), 'invalid_request');
  assert.match(back.searchParams.get('error_description') ?? '', /requires PKCE/);
});

test('a platform that requires a verified real name refuses an account without one and says what to do', async () => {
  const phone = await registerPerson();
  const p = await platform({ requiresRealname: true, scopes: ['profile', 'realname'] });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid realname',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 's',
  });
  const browser = new Browserless();
  const step = await signInThroughTongxing(browser, url, phone, { consent: false });
  assert.equal(step.response.status, 403);
  assert.match(browser.lastBody, /“研招网”只接受已完成实名认证的帐号/);
  assert.match(browser.lastBody, /href="\/account\/identity"/);
  const uid = /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
  const back = await browser.follow(`${t.baseURL}/sso/interaction/${uid}/abort`, t.baseURL, { form: { reason: 'realname_required' } });
  assert.equal(new URL(back.url).searchParams.get('error'), 'access_denied');
});

test('a platform allowed the masked ID number sees it masked', async () => {
  const phone = await registerPerson({ name: '司马光', idNumber: id(2) });
  const p = await platform({ scopes: ['idnumber'], idNumber: 'masked' });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid idnumber',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 's',
  });
  const step = await signInThroughTongxing(new Browserless(), url, phone);
  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: 's' });
  const info = await oidc.fetchUserInfo(p.config, tokens.access_token, tokens.claims()!.sub);
  assert.equal(info.id_type, 'resident_id');
  assert.equal(info.id_number, `210***********${id(2).slice(-4)}`);
});

test('deregistration ends what the old account held at platforms: its tokens stop working', async () => {
  const { importRecords } = await import('../../src/records/import.ts');
  const { batchSink } = await import('../../src/records/import-queries.ts');
  const { Readable } = await import('node:stream');
  const ownerPhone = await registerPerson({ name: '诸葛亮', idNumber: id(3) });
  const receiver = await startReceiver();
  const p = await platform({ webhookUrl: `${receiver.url}/webhooks`, backchannelLogoutUri: `${receiver.url}/logout` });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 's',
    prompt: 'consent',
  });
  const step = await signInThroughTongxing(new Browserless(), url, ownerPhone);
  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: 's' });
  assert.equal((await oidc.fetchUserInfo(p.config, tokens.access_token, tokens.claims()!.sub)).name, '诸葛亮');

  // Before a claimant's path passes, the centre names the platforms the old account used.
  const used = await t.db
    .selectFrom('platform_usages')
    .innerJoin('accounts', 'accounts.id', 'platform_usages.account_id')
    .select('platform')
    .where('accounts.phone', '=', ownerPhone)
    .execute();
  assert.deepEqual(
    used.map((u) => u.platform),
    ['研招网'],
  );

  // Someone proves the number is theirs (student record), and the owner's account is deregistered.
  await importRecords(Readable.from([`学籍,成都大学,2011001,2011,本科,诸葛亮,,${id(3)}`]), {
    keys: t.services.identity.keys,
    sink: batchSink(t.db),
    now: t.clock.now(),
  });
  const claimantPhone = await registerPersonClaiming('诸葛亮', id(3));
  const claimant = await t.db.selectFrom('accounts').select('id').where('phone', '=', claimantPhone).executeTakeFirstOrThrow();
  const { verifyByRecords } = await import('../../src/resolution/records-path.ts');
  await verifyByRecords(
    t.services.accounts,
    claimant.id,
    { kind: 'enrolment', school: '成都大学', number: '2011001', year: '2011', level: '本科' },
    { ip: '127.0.0.1', userAgent: null },
  );

  await assert.rejects(
    oidc.refreshTokenGrant(p.config, tokens.refresh_token!),
    (e: { error?: string }) => e.error === 'invalid_grant',
    'its refresh token is revoked',
  );
  await assert.rejects(oidc.fetchUserInfo(p.config, tokens.access_token, tokens.claims()!.sub), 'its access token no longer answers');

  // The platform hears of it: a signed webhook and a back-channel logout token, sent by the worker.
  try {
    await t.worker.runOnce();
  } finally {
    setTimeout(() => void receiver.close(), 5_000).unref();
  }
  const sub = tokens.claims()!.sub;
  const hook = receiver.received.find((r) => r.path === '/webhooks')!;
  assert.ok(hook, 'a webhook arrived');
  const event = JSON.parse(hook.body) as { type: string; sub: string; id: string };
  assert.equal(event.type, 'account.deregistered');
  assert.equal(event.sub, sub);
  const ts = Number(hook.headers['tongxing-timestamp']);
  assert.ok(Math.abs(Date.now() / 1000 - ts) < 60);
  assert.equal(
    hook.headers['tongxing-signature'],
    `v1=${createHmac('sha256', p.clientSecret).update(`${ts}.${hook.body}`).digest('hex')}`,
    'signed with the platform secret',
  );
  const logout = receiver.received.find((r) => r.path === '/logout')!;
  const errors = await t.db.selectFrom('outbox').select(['channel', 'state', 'last_error']).where('platform_id', '=', p.clientId).execute();
  assert.ok(logout, `a back-channel logout arrived: ${JSON.stringify(errors)}`);
  const token = new URLSearchParams(logout.body).get('logout_token')!;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; events: Record<string, unknown>; aud: string };
  assert.equal(claims.sub, sub);
  assert.equal(claims.aud, p.clientId);
  assert.ok('http://schemas.openid.net/event/backchannel-logout' in claims.events);
  const jwks = (await (await fetch(`${t.baseURL}/oidc/jwks`)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
  const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
  const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === kid)! as unknown as Record<string, string>, format: 'jwk' } as never);
  assert.ok(cryptoVerify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')), 'signed by the provider');
  const log = await t.db.selectFrom('outbox').select(['channel', 'state']).where('platform_id', '=', p.clientId).execute();
  assert.deepEqual(log.map((l) => `${l.channel}:${l.state}`).sort(), ['backchannel_logout:sent', 'webhook:sent'], 'the delivery log');
  await receiver.close();
});

test('platforms that knew an account hear it is back: after a suspension is lifted, and after a deregistration is reversed', async () => {
  const { importRecords } = await import('../../src/records/import.ts');
  const { batchSink } = await import('../../src/records/import-queries.ts');
  const { Readable } = await import('node:stream');
  const { suspendAccount, restoreAccount } = await import('../../src/admin/account-service.ts');
  const { openDispute, claimDisputeCase } = await import('../../src/resolution/disputes.ts');
  const { reverseDeregistration } = await import('../../src/resolution/reversal.ts');
  const { createCaptcha } = await import('../../src/captcha/service.ts');
  const ownerPhone = await registerPerson({ name: '司马光', idNumber: id(4) });
  const receiver = await startReceiver();
  // Closed whatever happens: an open receiver would keep the test process alive.
  try {
    const p = await platform({ name: '学信档案', webhookUrl: `${receiver.url}/webhooks` });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(p.config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's',
    });
    const step = await signInThroughTongxing(new Browserless(), url, ownerPhone);
    const tokens = await oidc.authorizationCodeGrant(p.config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    const sub = tokens.claims()!.sub;
    const owner = await t.db.selectFrom('accounts').select('id').where('phone', '=', ownerPhone).executeTakeFirstOrThrow();
    const staff = { username: 'support.sso', ip: null };
    const heard = async () => {
      await t.worker.runOnce();
      return receiver.received.filter((r) => r.path === '/webhooks').map((r) => JSON.parse(r.body) as { type: string; sub: string });
    };

    // Suspension revokes the consent; lifting it must still reach the platform.
    await suspendAccount(t.services.accounts, owner.id, staff, '核实身份');
    await restoreAccount(t.services.accounts, owner.id, staff, '核实完毕');
    assert.deepEqual(
      (await heard()).map((e) => `${e.type}:${e.sub === sub}`),
      ['account.suspended:true', 'account.restored:true'],
    );

    // Deregistered by someone's verification, disputed, reversed: the platform hears both.
    await importRecords(Readable.from([`学籍,成都大学,2012001,2012,本科,司马光,,${id(4)}`]), {
      keys: t.services.identity.keys,
      sink: batchSink(t.db),
      now: t.clock.now(),
    });
    const claimantPhone = await registerPersonClaiming('司马光', id(4));
    const claimant = await t.db.selectFrom('accounts').select('id').where('phone', '=', claimantPhone).executeTakeFirstOrThrow();
    const { verifyByRecords } = await import('../../src/resolution/records-path.ts');
    await verifyByRecords(
      t.services.accounts,
      claimant.id,
      { kind: 'enrolment', school: '成都大学', number: '2012001', year: '2012', level: '本科' },
      { ip: '127.0.0.1', userAgent: null },
    );
    const link = /\/dispute\/([A-Za-z0-9_-]+)/.exec((await t.latestMessageTo(ownerPhone))!.text)![1]!;
    const captcha = await createCaptcha({ ...t.services.captcha, draw: knownCaptcha('ABCD') }, 'dispute');
    await openDispute(
      t.services.accounts,
      link,
      { whatHappened: '我的帐号被他人以我的证件号码注销', contact: ownerPhone, captcha: { captchaId: captcha.image.id, captcha: 'ABCD' } },
      { ip: '127.0.0.1', userAgent: null },
    );
    const dispute = await t.db.selectFrom('deregistration_disputes').select('id').where('account_id', '=', owner.id).executeTakeFirstOrThrow();
    await claimDisputeCase(t.services.accounts, dispute.id, staff);
    await reverseDeregistration(t.services.accounts, dispute.id, staff, '本人到场核实');
    assert.deepEqual(
      (await heard()).slice(2).map((e) => `${e.type}:${e.sub === sub}`),
      ['account.deregistered:true', 'account.restored:true'],
    );
  } finally {
    await receiver.close();
  }
});

/** A second registration claiming a number another account holds (我要重新注册), through the API. */
async function registerPersonClaiming(name: string, idNumber: string): Promise<string> {
  const phone = nextPhone();
  await fetch(`${t.baseURL}/api/v1/registrations/phone/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const made = await fetch(`${t.baseURL}/api/v1/registrations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, code, password: PASSWORD, name, idType: 'resident_id', idNumber, reRegister: true, agree: true, agreeSensitive: true }),
  });
  assert.equal(made.status, 201, await made.clone().text());
  return phone;
}

async function startReceiver() {
  const received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
