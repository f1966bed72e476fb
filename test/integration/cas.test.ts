// CAS over real HTTP: two example platforms (examples/cas-platform, the stock http-cas-client)
// sign a person in through Tongxing — platform A with the password, platform B without it, A
// calling B with a proxy ticket — and the protocol's refusals: a ticket used twice, too late, for
// another service, a proxy ticket at /serviceValidate, an unknown service, a pgtUrl of a platform
// not allowed to proxy; then single logout reaching both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedInstance } from '../helpers/browser.ts';
import { Browserless, PASSWORD, idNo, registerPerson, start } from '../helpers/sso-flow.ts';
import { browse } from '../helpers/browserless.ts';
import { startCasPlatform, type RunningCasPlatform } from '../../examples/cas-platform/platform.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';
import { sweepEndedCasSessions } from '../../src/cas/service.ts';
import { casGet } from '../helpers/cas-schema.ts';

/** A platform's proxy callback on a loopback port: answers 200 and keeps each pgtId it is given. */
async function pgtCallback(): Promise<{ pgts: string[]; url: string; close: () => Promise<void> }> {
  const pgts: string[] = [];
  const server = createServer((req, res) => {
    const id = new URL(req.url!, 'http://x').searchParams.get('pgtId');
    if (id) pgts.push(id);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { pgts, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Through Tongxing's sign-in and consent pages, wherever the CAS login sends the browser. */
async function signInAt(t: ServedInstance, browser: Browserless, platformUrl: string, phone: string) {
  let step = await browse(browser, platformUrl);
  if (new URL(step.url).pathname === '/login') {
    assert.match(step.body, /id="signin-platform"/, 'the sign-in page names the platform');
    const next = new URL(step.url).searchParams.get('next')!;
    step = await browse(browser, `${t.baseURL}/login`, { form: { username: phone, password: PASSWORD, next } });
  }
  if (step.body.includes('id="consent-allow"')) {
    const form = Object.fromEntries(
      [...step.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
    );
    step = await browse(browser, `${t.baseURL}/cas/consent`, { form });
  }
  return step;
}

describe('CAS server with a stock CAS client', () => {
  let t: ServedInstance;
  let a: RunningCasPlatform;
  let b: RunningCasPlatform;
  let person: { phone: string };

  before(async () => {
    t = await start();
    t.worker.start();
    const deps = { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys };
    // The ports are known only once the platforms listen, so they register by pattern.
    a = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name: '学籍档案', proxy: true });
    b = await startCasPlatform({ casUrl: `${t.baseURL}/cas`, name: '研招网', acceptProxyTickets: true });
    const pattern = (url: string) => `^${url.replace(/[.]/g, '\\.')}/.*$`;
    await addCasPlatform(
      deps,
      { name: '学籍档案', services: [pattern(a.url)], proxy: true, requiresRealname: false, scopes: ['profile', 'phone'], idNumberAccess: 'none' },
      true,
    );
    await addCasPlatform(
      deps,
      { name: '研招网', services: [pattern(b.url)], proxy: false, requiresRealname: false, scopes: ['phone'], idNumberAccess: 'none' },
      true,
    );
    person = { phone: await registerPerson(t) };
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await t?.close();
  });

  it('signs in at A with the password, at B without it, and A reaches B by proxy', async () => {
    const browser = new Browserless();
    const atA = await signInAt(t, browser, `${a.url}/`, person.phone);
    assert.equal(atA.response.status, 200, atA.body);
    assert.match(atA.body, /<h1>学籍档案<\/h1>/);
    const attributes = JSON.parse(/<pre id="attributes">([^<]*)<\/pre>/.exec(atA.body)![1]!.replace(/&quot;/g, '"')) as Record<string, string>;
    assert.equal(attributes.phone_number, `+86${person.phone}`);
    assert.equal(attributes.isFromNewLogin, 'true');
    assert.equal(attributes.longTermAuthenticationRequestTokenUsed, 'false');
    assert.ok(!Number.isNaN(Date.parse(attributes.authenticationDate!)));
    assert.equal(attributes.authnContextClass, 'urn:tongxing:acr:1fa', 'the password alone is one factor');
    assert.match(JSON.stringify(attributes.authenticationMethod), /pwd/);
    const user = /<p id="user">([^<]+)<\/p>/.exec(atA.body)![1]!;

    const atB = await signInAt(t, browser, `${b.url}/`, person.phone);
    assert.equal(atB.response.status, 200, atB.body);
    assert.ok(!atB.visited.some((u) => new URL(u).pathname === '/login'), 'no password asked at B');
    assert.match(atB.body, /<h1>研招网<\/h1>/);
    assert.equal(/<p id="user">([^<]+)<\/p>/.exec(atB.body)![1], user, 'one subject for one person');
    const bAttributes = JSON.parse(/<pre id="attributes">([^<]*)<\/pre>/.exec(atB.body)![1]!.replace(/&quot;/g, '"')) as Record<string, string>;
    assert.equal(bAttributes.isFromNewLogin, 'false');
    assert.equal(bAttributes.name, undefined, 'B was not allowed the profile scope');

    const viaProxy = await browse(browser, `${a.url}/via?target=${encodeURIComponent(`${b.url}/`)}`);
    assert.equal(viaProxy.response.status, 200, viaProxy.body);
    assert.match(viaProxy.body, /<div id="proxied">.*<h1>研招网<\/h1>.*<\/div>/s);

    // 安全记录 names both platforms' sign-ins.
    const audited = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'sso.signed_in').execute();
    const casSignIns = audited.map((r) => r.detail as { protocol?: string; clientId?: string }).filter((d) => d.protocol === 'cas');
    assert.equal(new Set(casSignIns.map((d) => d.clientId)).size, 2);
  });

  it('refuses a ticket twice, too late, for another service, and a proxy ticket at /serviceValidate', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    const ticketFor = async (service: string) => {
      const r = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}`);
      assert.equal(r.status, 303);
      return new URL(r.headers.get('location')!).searchParams.get('ticket')!;
    };
    const service = `${a.url}/page`;
    const st = await ticketFor(service);
    assert.match(st, /^ST-[A-Za-z0-9]{22}$/);
    const validate = (ticket: string, s: string, path = 'p3/serviceValidate') =>
      casGet(`${t.baseURL}/cas/${path}?ticket=${encodeURIComponent(ticket)}&service=${encodeURIComponent(s)}`);

    assert.match(await validate(st, service), /<cas:authenticationSuccess>/);
    assert.match(await validate(st, service), /<cas:authenticationFailure code="INVALID_TICKET">/);

    const other = await ticketFor(service);
    assert.match(await validate(other, `${a.url}/elsewhere`), /code="INVALID_SERVICE"/);
    assert.match(await validate(other, service), /code="INVALID_TICKET"/, 'a wrong-service attempt spends the ticket');

    const late = await ticketFor(service);
    t.clock.advance(11_000);
    assert.match(await validate(late, service), /code="INVALID_TICKET">[^<]*expired/);

    const json = await fetch(`${t.baseURL}/cas/serviceValidate?ticket=${await ticketFor(service)}&service=${encodeURIComponent(service)}&format=JSON`);
    assert.match(json.headers.get('content-type')!, /application\/json/);
    const parsed = (await json.json()) as { serviceResponse: { authenticationSuccess: { user: string; attributes: Record<string, string[]> } } };
    assert.ok(parsed.serviceResponse.authenticationSuccess.user);
    assert.deepEqual(parsed.serviceResponse.authenticationSuccess.attributes.phone_number, [`+86${person.phone}`]);

    assert.match(await validate('', service), /code="INVALID_REQUEST"/);
    const user = /<cas:user>([^<]+)</.exec(await validate(await ticketFor(service), service))![1];
    assert.equal(await validate(await ticketFor(service), service, 'validate'), `yes\n${user}\n`);
    assert.equal(await validate(await ticketFor(service), `${a.url}/other`, 'validate'), 'no\n\n');

    // A PGT through a callback of a third platform, then a proxy ticket from it.
    const { pgts, url: c, close } = await pgtCallback();
    try {
      await addCasPlatform(
        { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
        { name: '门户', services: [`^${c.replace(/[.]/g, '\\.')}/.*$`], proxy: true, requiresRealname: false, scopes: ['phone'], idNumberAccess: 'none' },
        true,
      );
      await signInAt(t, browser, `${t.baseURL}/cas/login?service=${encodeURIComponent(`${c}/app`)}`, person.phone);
      const st = await ticketFor(`${c}/app`);
      const withPgt = await casGet(
        `${t.baseURL}/cas/p3/serviceValidate?ticket=${st}&service=${encodeURIComponent(`${c}/app`)}&pgtUrl=${encodeURIComponent(`${c}/pgt`)}`,
      );
      assert.match(withPgt, /<cas:proxyGrantingTicket>PGTIOU-[A-Za-z0-9]{22}<\/cas:proxyGrantingTicket>/);
      assert.equal(pgts.length, 1);
      const proxied = await casGet(`${t.baseURL}/cas/proxy?pgt=${pgts[0]}&targetService=${encodeURIComponent(`${a.url}/api`)}`);
      const pt = /<cas:proxyTicket>(PT-[A-Za-z0-9]{22})<\/cas:proxyTicket>/.exec(proxied)![1]!;
      assert.match(await validate(pt, `${a.url}/api`, 'serviceValidate'), /code="INVALID_TICKET_SPEC"/);
      assert.match(await validate(pt, `${a.url}/api`, 'proxyValidate'), /code="INVALID_TICKET"/, 'one attempt, at whichever endpoint');
      const pt2 = /<cas:proxyTicket>(PT-[^<]+)</.exec(
        await casGet(`${t.baseURL}/cas/proxy?pgt=${pgts[0]}&targetService=${encodeURIComponent(`${a.url}/api`)}`),
      )![1]!;
      const ok = await validate(pt2, `${a.url}/api`, 'p3/proxyValidate');
      assert.match(ok, /<cas:proxies>\s*<cas:proxy>[^<]+\/pgt<\/cas:proxy>/);
      const unknownTarget = await casGet(`${t.baseURL}/cas/proxy?pgt=${pgts[0]}&targetService=${encodeURIComponent('https://evil.example/')}`);
      assert.match(unknownTarget, /<cas:proxyFailure code="UNAUTHORIZED_SERVICE">/);
    } finally {
      await close();
    }
    const unknownPgt = await casGet(`${t.baseURL}/cas/proxy?pgt=PGT-unknownunknownunknown0&targetService=${encodeURIComponent(`${b.url}/`)}`);
    assert.match(unknownPgt, /<cas:proxyFailure code="INVALID_TICKET">/);
  });

  it('sends the person to an unknown service never, and refuses a pgtUrl from a platform that may not proxy', async () => {
    const browser = new Browserless();
    const unknown = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent('https://evil.example/')}`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get('location'), null);
    assert.match(browser.lastBody, /没有在通行登记/);

    await signInAt(t, browser, `${b.url}/`, person.phone);
    const r = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(`${b.url}/x`)}`);
    const st = new URL(r.headers.get('location')!).searchParams.get('ticket')!;
    const answer = await casGet(
      `${t.baseURL}/cas/p3/serviceValidate?ticket=${st}&service=${encodeURIComponent(`${b.url}/x`)}&pgtUrl=${encodeURIComponent(`${b.url}/cb`)}`,
    );
    assert.match(answer, /code="UNAUTHORIZED_SERVICE_PROXY"/);
  });

  it('gateway comes back without a ticket for someone not signed in', async () => {
    const browser = new Browserless();
    const service = `${a.url}/g`;
    const r = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}&gateway=true`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), service);
  });

  it('renew asks for the password even inside a live session', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    const service = `${a.url}/r`;
    const r = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}&renew=true`);
    assert.equal(r.status, 303);
    const to = new URL(r.headers.get('location')!, t.baseURL);
    assert.equal(to.pathname, '/account/confirm-password');
    const back = new URL(to.searchParams.get('next')!, t.baseURL);
    assert.ok(back.searchParams.get('cas_proof'));
    // A forged proof gets no ticket either.
    const forged = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}&renew=true&cas_proof=${Date.now()}.${'A'.repeat(43)}`);
    assert.equal(new URL(forged.headers.get('location')!, t.baseURL).pathname, '/account/confirm-password');
  });

  it('single logout: signing out of Tongxing tells every platform of that session', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    await signInAt(t, browser, `${b.url}/`, person.phone);
    assert.equal((await browse(browser, `${a.url}/`)).response.status, 200);
    await browse(browser, `${t.baseURL}/cas/logout`);
    await sweepEndedCasSessions(t.services.cas);
    await t.worker.runOnce();
    const sent = await t.db.selectFrom('outbox').select(['recipient', 'state', 'body']).where('channel', '=', 'cas_logout').execute();
    assert.ok(sent.some((m) => m.recipient.startsWith(a.url) && m.state === 'sent'));
    assert.ok(sent.some((m) => m.recipient.startsWith(b.url) && m.state === 'sent'));
    // The platforms ended their sessions: A sends the browser to sign in again.
    const again = await browser.request(`${a.url}/`);
    assert.equal(again.status, 302);
    assert.match(again.headers.get('location')!, /\/cas\/login\?service=/);
  });

  it('a platform that requires a verified real name refuses others; full ID numbers are released and audited', async () => {
    const deps = { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys };
    const service = `${a.url}/exam`;
    await addCasPlatform(
      deps,
      { name: '研招报名', services: [service], proxy: false, requiresRealname: true, scopes: ['profile', 'idnumber'], idNumberAccess: 'full' },
      true,
    );
    const plain = new Browserless();
    const refused = await signInAt(t, plain, `${t.baseURL}/cas/login?service=${encodeURIComponent(service)}`, person.phone);
    assert.equal(refused.response.status, 403);
    assert.match(refused.body, /只接受已完成实名认证的帐号/);

    const idNumber = idNo(31);
    const verified = { phone: await registerPerson(t, { name: '林晓', idNumber }) };
    const browser = new Browserless();
    const consent = await browse(browser, `${t.baseURL}/cas/login?service=${encodeURIComponent(service)}`);
    const next = new URL(consent.url).searchParams.get('next')!;
    const step = await browse(browser, `${t.baseURL}/login`, { form: { username: verified.phone, password: PASSWORD, next } });
    assert.match(step.body, /证件类型和完整的证件号码（敏感个人信息）/, 'the consent names what the platform will see: the whole number');
    const form = Object.fromEntries(
      [...step.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
    );
    const back = await browser.request(`${t.baseURL}/cas/consent`, { form });
    const withTicket = await browser.request(new URL(back.headers.get('location')!, t.baseURL).toString());
    const ticket = new URL(withTicket.headers.get('location')!).searchParams.get('ticket')!;
    const answer = await casGet(`${t.baseURL}/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(service)}`);
    assert.match(answer, new RegExp(`<cas:id_number>${idNumber}</cas:id_number>`));
    assert.match(answer, /<cas:name>林晓<\/cas:name>/);
    const reads = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'identity.decrypted').execute();
    assert.ok(
      reads.some((r) => JSON.stringify(r.detail).includes('cas:')),
      'the full number read is audited with the platform',
    );
  });

  it('method=POST carries the ticket in a form; logout goes only to a registered service', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    const service = `${a.url}/post`;
    const r = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}&method=POST`);
    assert.equal(r.status, 200);
    assert.match(browser.lastBody, new RegExp(`<form method="post" action="${service.replace(/[.]/g, '\\.')}" id="cas-post-back">`));
    assert.match(browser.lastBody, /name="ticket" value="ST-[A-Za-z0-9]{22}"/);
    assert.match(r.headers.get('content-security-policy')!, new RegExp(`form-action 'self' ${a.url.replace(/[.]/g, '\\.')}`));

    const away = await browser.request(`${t.baseURL}/cas/logout?service=${encodeURIComponent('https://evil.example/')}`);
    assert.equal(away.status, 200, 'an unregistered service gets the signed-out page, not a redirect');
    assert.match(browser.lastBody, /您已退出通行帐号/);
  });

  it("a suspension ends the platforms' sessions too", async () => {
    const { suspendAccount } = await import('../../src/admin/account-service.ts');
    const someone = { phone: await registerPerson(t) };
    const browser = new Browserless();
    assert.equal((await signInAt(t, browser, `${b.url}/`, someone.phone)).response.status, 200);
    const accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', someone.phone).executeTakeFirstOrThrow()).id;
    await suspendAccount(t.services.accounts, accountId, { username: 'support.su', ip: null }, '核实身份');
    assert.ok((await sweepEndedCasSessions(t.services.cas)) >= 1);
    await t.worker.runOnce();
    const again = await browser.request(`${b.url}/`);
    assert.equal(again.status, 302, 'the platform let the session go');
  });

  it('a proxy ticket only for a platform the person could sign in to themselves', async () => {
    const deps = { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys };
    const { pgts, url: c, close } = await pgtCallback();
    try {
      await addCasPlatform(
        deps,
        { name: '门户二', services: [`^${c.replace(/[.]/g, '\\.')}/.*$`], proxy: true, requiresRealname: false, scopes: ['phone'], idNumberAccess: 'none' },
        true,
      );
      const never = `${c.replace('127.0.0.1', 'localhost')}/never`;
      await addCasPlatform(
        deps,
        { name: '从未授权', services: [never], proxy: false, requiresRealname: false, scopes: ['profile'], idNumberAccess: 'none' },
        true,
      );
      const someone = { phone: await registerPerson(t) };
      const browser = new Browserless();
      const step = await signInAt(t, browser, `${t.baseURL}/cas/login?service=${encodeURIComponent(`${c}/app`)}`, someone.phone);
      const st = new URL(step.url).searchParams.get('ticket')!;
      await casGet(`${t.baseURL}/cas/p3/serviceValidate?ticket=${st}&service=${encodeURIComponent(`${c}/app`)}&pgtUrl=${encodeURIComponent(`${c}/pgt`)}`);
      assert.equal(pgts.length, 1);
      const refused = await casGet(`${t.baseURL}/cas/proxy?pgt=${pgts[0]}&targetService=${encodeURIComponent(never)}`);
      assert.match(refused, /<cas:proxyFailure code="UNAUTHORIZED_SERVICE">[^<]*not consented/);

      // Withdrawing the consent to the holder ends its proxying.
      const accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', someone.phone).executeTakeFirstOrThrow()).id;
      const holder = (await t.db.selectFrom('oidc_clients').select('client_id').where('name', '=', '门户二').executeTakeFirstOrThrow()).client_id;
      await t.db.deleteFrom('sso_consents').where('account_id', '=', accountId).where('client_id', '=', holder).execute();
      const withdrawn = await casGet(`${t.baseURL}/cas/proxy?pgt=${pgts[0]}&targetService=${encodeURIComponent(`${c}/app`)}`);
      assert.match(withdrawn, /<cas:proxyFailure code="INVALID_TICKET">[^<]*withdrew/);
    } finally {
      await close();
    }
  });

  it('answers the odd requests by the specification, and never with a 500', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    const yaml = await casGet(`${t.baseURL}/cas/serviceValidate?ticket=ST-x&service=x&format=YAML`);
    assert.match(yaml, /code="INVALID_REQUEST"/);
    const odd = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(`${a.url}/中`)}&gateway=true`);
    assert.equal(odd.status, 400, 'a service not written as browsers send it is no registered one');
    const port = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(`${a.url.replace(/:\d+$/, ':99999')}/x`)}`);
    assert.equal(port.status, 400);
    // warn: asked before the ticket, though signed in.
    const warned = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(`${a.url}/w`)}&warn=true`);
    assert.equal(warned.status, 200);
    assert.match(browser.lastBody, /是否用这个帐号登录“学籍档案”/);
    const go = /id="cas-warn-continue" href="([^"]+)"|href="([^"]+)"[^>]*id="cas-warn-continue"/.exec(browser.lastBody)!;
    const next = await browser.request(`${t.baseURL}${(go[1] ?? go[2])!.replace(/&amp;/g, '&')}`);
    assert.match(next.headers.get('location')!, /\/w\?ticket=ST-/);
    // renew: a ticket from the live session fails renew=true validation with INVALID_TICKET (§2.5.3).
    const plain = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(`${a.url}/r2`)}`);
    const ticket = new URL(plain.headers.get('location')!).searchParams.get('ticket')!;
    assert.match(
      await casGet(`${t.baseURL}/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(`${a.url}/r2`)}&renew=true`),
      /code="INVALID_TICKET"/,
    );
  });

  it('a renew proof works once, in the browser it was made for', async () => {
    const browser = new Browserless();
    await signInAt(t, browser, `${a.url}/`, person.phone);
    const service = `${a.url}/renew`;
    const first = await browser.request(`${t.baseURL}/cas/login?service=${encodeURIComponent(service)}&renew=true`);
    const back = new URL(first.headers.get('location')!, t.baseURL).searchParams.get('next')!;
    // Someone else's browser, given the link: no cookie, so the proof proves nothing there.
    const stranger = new Browserless();
    await signInAt(t, stranger, `${a.url}/`, person.phone);
    const elsewhere = await stranger.request(`${t.baseURL}${back}`);
    assert.equal(new URL(elsewhere.headers.get('location')!, t.baseURL).pathname, '/account/confirm-password');
    // In its own browser, after the password: one ticket, then the proof is spent.
    await browser.request(`${t.baseURL}/account/confirm-password?next=${encodeURIComponent(back)}`);
    const confirmed = await browser.request(`${t.baseURL}/account/confirm-password`, { form: { currentPassword: PASSWORD, next: back } });
    assert.equal(confirmed.status, 303);
    const ticketed = await browser.request(new URL(confirmed.headers.get('location')!, t.baseURL).toString());
    assert.match(ticketed.headers.get('location')!, /ticket=ST-/);
    const again = await browser.request(`${t.baseURL}${back}`);
    assert.equal(new URL(again.headers.get('location')!, t.baseURL).pathname, '/account/confirm-password', 'a spent proof asks again');
  });
});
