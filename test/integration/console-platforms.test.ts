// 平台管理 in the console: an administrator adds a platform (its secret shown once), and the running
// provider signs people in through it at once; disabling it refuses its next authorization;
// rotating its secret refuses the old one at the token endpoint; editing its addresses takes
// effect on the next request. Every change is audited; a URI the CLI refuses is refused here with
// the same message; a logo is checked as an image and shown on the sign-in page from our origin;
// staff who are not administrators get the 403 page. Adding and rotating carry a single-use form
// token: a resubmission (a phone restoring a tab) adds no second platform and rotates nothing, and
// the page says the secret was shown once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServedInstance } from '../helpers/browser.ts';
import { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { makePng, SMALLEST_GIF } from '../helpers/images.ts';
import { Browserless, REDIRECT, authUrl, idNo, oidc, registerPerson, signInThroughTongxing, start } from '../helpers/sso-flow.ts';

let t: ServedInstance;
let admin: Agent;

before(async () => {
  t = await start();
  admin = await signInStaff(t, await createStaff(t, 'platform-admin', ['admin']));
});
after(() => t.close());

const auditOf = (action: string) =>
  t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', action).orderBy('created_at', 'desc').execute();

/** The single-use token of the form on a page (the add form, or a platform's rotate form). */
const formTokenIn = (page: { body: string }) => {
  const token = /name="formToken" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token, 'the form carries a token');
  return token;
};

/** Adds a platform through the console form; returns its id, the secret the page showed once and what was sent. */
async function addInConsole(name: string, extra: Record<string, string> = {}, logo?: Buffer) {
  const fields = {
    name,
    redirectUris: REDIRECT,
    scope_profile: '1',
    scope_phone: '1',
    idNumber: 'none',
    formToken: formTokenIn(await admin.get('/console/platforms')),
    ...extra,
  };
  const page = await admin.submitMultipart('/console/platforms', fields, logo ? { logo: { filename: 'logo.png', contentType: 'image/png', data: logo } } : {});
  assert.equal(page.status, 200, page.text);
  const clientId = /客户端标识：(tx_[A-Za-z0-9_-]{16})/.exec(page.text)?.[1];
  const clientSecret = /id="client-secret">([^<]+)</.exec(page.body)?.[1];
  assert.ok(clientId && clientSecret, page.text);
  return { page, clientId, clientSecret, fields };
}

/** Rotates a platform's secret through its page's form; returns the answer and what was sent. */
async function rotateInConsole(clientId: string, reason: string) {
  const fields = { reason, formToken: formTokenIn(await admin.get(`/console/platforms/${clientId}`)) };
  return { rotated: await admin.submit(`/console/platforms/${clientId}/rotate-secret`, fields), fields };
}

const configFor = (clientId: string, secret: string) =>
  oidc.discovery(new URL(`${t.baseURL}/oidc`), clientId, undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });

test('a platform added in the console signs people in at once; disabled, its authorization is refused', async () => {
  const { page, clientId, clientSecret } = await addInConsole('考研服务平台', {}, makePng(8, 8));
  assert.match(page.text, /已添加平台“考研服务平台”/);
  assert.match(page.text, /客户端密钥只显示这一次/);
  const row = await t.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirstOrThrow();
  assert.deepEqual(row.redirect_uris, [REDIRECT]);
  assert.deepEqual(row.scopes, ['openid', 'profile', 'phone']);
  assert.equal(row.logo_media_type, 'image/png');
  assert.equal(row.disabled_at, null);
  const [added] = await auditOf('platform.added');
  assert.equal(added!.actor_id, 'platform-admin');
  assert.equal((added!.detail as { clientId: string }).clientId, clientId);
  assert.doesNotMatch(JSON.stringify(added!.detail), new RegExp(clientSecret), 'the secret is not in the audit trail');
  // The list page shows it, never the secret again.
  const list = await admin.get('/console/platforms');
  assert.match(list.text, /考研服务平台/);
  assert.doesNotMatch(list.body, new RegExp(clientSecret));

  // Sign in through it, no restart: the sign-in page names the platform and shows its logo.
  const phone = await registerPerson(t, { name: '林小雨', idNumber: idNo(601) });
  const config = await configFor(clientId, clientSecret);
  const flow = await authUrl({ config }, 'openid profile');
  const browser = new Browserless();
  const first = await browser.follow(flow.url.toString(), t.baseURL);
  assert.match(first.url, /\/sso\/interaction\//);
  const loginBody = browser.lastBody;
  assert.match(loginBody, /登录后将进入“考研服务平台”/);
  const logoPath = /<img src="(\/sso\/platforms\/[^"]+\/logo)"/.exec(loginBody)?.[1];
  assert.equal(logoPath, `/sso/platforms/${clientId}/logo`, 'the logo is served from our own origin');
  const logo = await fetch(`${t.baseURL}${logoPath}`);
  assert.equal(logo.status, 200);
  assert.equal(logo.headers.get('content-type'), 'image/png');
  const done = await signInThroughTongxing(t, browser, flow.url, phone);
  const callback = new URL(done.url);
  assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT, browser.lastBody);
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
  assert.ok(tokens.access_token);
  const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  assert.equal(info.name, '林小雨');

  // Disabled: the next authorization request is refused, and the logo is gone.
  await admin.get(`/console/platforms/${clientId}`);
  const short = await admin.submit(`/console/platforms/${clientId}/disable`, { reason: 'no' });
  assert.equal(short.status, 400);
  assert.match(short.text, /理由/);
  const disabled = await admin.submit(`/console/platforms/${clientId}/disable`, { reason: '平台已停止合作' });
  assert.equal(disabled.status, 303);
  const shown = await admin.get(disabled.location!);
  assert.match(shown.text, /平台已停用/);
  assert.match(shown.text, /已停用/);
  // Its logo is answered 404 while disabled, so the page shows no broken image, only that it is kept.
  assert.doesNotMatch(shown.body, /id="platform-logo"/);
  assert.match(shown.text, /标志仍然保留，再次启用后会重新显示/);
  assert.ok((await t.db.selectFrom('oidc_clients').select('disabled_at').where('client_id', '=', clientId).executeTakeFirstOrThrow()).disabled_at);
  assert.equal((await auditOf('platform.disabled'))[0]!.actor_id, 'platform-admin');
  const again = await authUrl({ config }, 'openid profile');
  const refused = await new Browserless().follow(again.url.toString(), t.baseURL);
  assert.doesNotMatch(refused.url, /\/sso\/interaction\//, 'no sign-in for a disabled platform');
  assert.ok(refused.response.status >= 400, `refused, not ${refused.response.status}`);
  assert.equal((await fetch(`${t.baseURL}${logoPath}`)).status, 404);
  // Its tokens stop working too.
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck));

  // Enabled again, it works again.
  await admin.get(`/console/platforms/${clientId}`);
  const enabled = await admin.submit(`/console/platforms/${clientId}/enable`, { reason: '恢复合作，重新启用' });
  assert.equal(enabled.status, 303);
  assert.match((await admin.get(enabled.location!)).body, /<img class="staff-platform-logo" src="[^"]+" alt="考研服务平台" id="platform-logo"/);
  const back = await authUrl({ config }, 'openid profile');
  assert.match((await new Browserless().follow(back.url.toString(), t.baseURL)).url, /\/sso\/interaction\//);
});

test('a rotated secret is shown once and the old one is refused at the token endpoint', async () => {
  const { clientId, clientSecret: oldSecret } = await addInConsole('学位网');
  const phone = await registerPerson(t);
  const oldConfig = await configFor(clientId, oldSecret);
  const flow = await authUrl({ config: oldConfig }, 'openid');
  const browser = new Browserless();
  const done = await signInThroughTongxing(t, browser, flow.url, phone);
  const callback = new URL(done.url);

  const { rotated } = await rotateInConsole(clientId, '密钥可能已泄露');
  assert.equal(rotated.status, 200);
  assert.match(rotated.text, /已更换密钥，旧密钥立即失效/);
  const newSecret = /id="client-secret">([^<]+)</.exec(rotated.body)?.[1];
  assert.ok(newSecret && newSecret !== oldSecret);
  assert.doesNotMatch((await admin.get(`/console/platforms/${clientId}`)).body, new RegExp(newSecret), 'shown once');
  assert.equal((await auditOf('platform.secret_rotated'))[0]!.actor_id, 'platform-admin');

  await assert.rejects(
    oidc.authorizationCodeGrant(oldConfig, callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state }),
    (error: Error & { cause?: unknown }) => JSON.stringify(error.cause).includes('invalid_client'),
  );
  const fresh = await authUrl({ config: await configFor(clientId, newSecret) }, 'openid');
  const second = await signInThroughTongxing(t, new Browserless(), fresh.url, phone);
  const tokens = await oidc.authorizationCodeGrant(await configFor(clientId, newSecret), new URL(second.url), {
    pkceCodeVerifier: fresh.verifier,
    expectedState: fresh.state,
  });
  assert.ok(tokens.access_token, 'the new secret works');
});

test('a resubmitted add makes one platform; a resubmitted rotation leaves the first rotation’s secret working', async () => {
  const countNamed = async (name: string) => (await t.db.selectFrom('oidc_clients').select('client_id').where('name', '=', name).execute()).length;
  const { clientId, clientSecret, fields } = await addInConsole('成人高考平台');
  // The same form again (a reload, a restored tab): no second platform, its page and a word why.
  const again = await admin.submitMultipart('/console/platforms', fields, {});
  assert.equal(again.status, 303, again.text);
  assert.equal(again.location, `/console/platforms/${clientId}?done=added_before`, 'the secret is in no URL');
  assert.equal(await countNamed('成人高考平台'), 1);
  const notice = await admin.get(again.location!);
  assert.match(notice.text, /这个表单已经提交过，平台已经添加，没有再添加一次。客户端密钥只在第一次提交后显示过一次，不能再显示/);
  assert.doesNotMatch(notice.body, new RegExp(clientSecret));
  assert.equal((await auditOf('platform.added')).filter((e) => (e.detail as { clientId: string }).clientId === clientId).length, 1);
  // A form without its token is refused and adds nothing.
  const { formToken: _token, ...untokened } = fields;
  const refused = await admin.submitMultipart('/console/platforms', { ...untokened, name: '无令牌平台' }, {});
  assert.equal(refused.status, 400);
  assert.match(refused.text, /这个表单已失效，请重新打开页面再提交/);
  assert.equal(await countNamed('无令牌平台'), 0);
  // A fresh form (a new token) adds another, as asked.
  await addInConsole('成人高考平台');
  assert.equal(await countNamed('成人高考平台'), 2);

  const { rotated, fields: rotation } = await rotateInConsole(clientId, '平台更换了服务器');
  assert.equal(rotated.status, 200);
  const secret = /id="client-secret">([^<]+)</.exec(rotated.body)?.[1];
  assert.ok(secret && secret !== clientSecret);
  const rotations = async () => (await auditOf('platform.secret_rotated')).filter((e) => (e.detail as { clientId: string }).clientId === clientId);
  const [event] = await rotations();
  assert.doesNotMatch(JSON.stringify(event!.detail), new RegExp(secret), 'the secret is not in the audit trail');
  const twice = await admin.submit(`/console/platforms/${clientId}/rotate-secret`, rotation);
  assert.equal(twice.status, 303, twice.text);
  assert.equal(twice.location, `/console/platforms/${clientId}?done=rotated_before`);
  const page = await admin.get(twice.location!);
  assert.match(page.text, /这个表单已经提交过，密钥已经更换，没有再更换一次。新密钥只在第一次提交后显示过一次，不能再显示；如果没有保存下来，请再更换一次密钥/);
  assert.doesNotMatch(page.body, new RegExp(secret));
  assert.equal((await rotations()).length, 1, 'rotated once');

  // The secret the first rotation showed still works at the token endpoint.
  const phone = await registerPerson(t);
  const config = await configFor(clientId, secret);
  const flow = await authUrl({ config }, 'openid');
  const done = await signInThroughTongxing(t, new Browserless(), flow.url, phone);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(done.url), { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
  assert.ok(tokens.access_token, 'the secret shown once still works');
});

test('edited addresses take effect on the next request; a URI the CLI refuses is refused with its message', async () => {
  const { clientId, clientSecret } = await addInConsole('继续教育平台');
  const formToken = async () => formTokenIn(await admin.get('/console/platforms'));
  const bad = await admin.submitMultipart(
    '/console/platforms',
    { name: '坏平台', redirectUris: 'http://example.com/cb', idNumber: 'none', formToken: await formToken() },
    {},
  );
  assert.equal(bad.status, 400);
  assert.match(bad.text, /地址必须使用 https（仅 127\.0\.0\.1\/localhost 可用 http）：http:\/\/example\.com\/cb/);
  assert.match(bad.body, /value="坏平台"/, 'what was typed is kept');
  assert.equal(await t.db.selectFrom('oidc_clients').select('client_id').where('name', '=', '坏平台').executeTakeFirst(), undefined);
  const gif = await admin.submitMultipart(
    '/console/platforms',
    { name: '动图平台', redirectUris: REDIRECT, idNumber: 'none', formToken: await formToken() },
    { logo: { filename: 'a.gif', contentType: 'image/gif', data: SMALLEST_GIF } },
  );
  assert.equal(gif.status, 400);
  assert.match(gif.text, /标志须为 PNG 或 JPEG 图片/);
  const odd = await admin.submitMultipart(
    '/console/platforms',
    { name: '平台', redirectUris: REDIRECT, idNumber: 'everything', formToken: await formToken() },
    {},
  );
  assert.equal(odd.status, 400);

  await admin.get(`/console/platforms/${clientId}`);
  const fragment = await admin.submit(`/console/platforms/${clientId}/edit`, { name: '继续教育平台', redirectUris: 'https://jxjy.example.cn/cb#x' });
  assert.equal(fragment.status, 400);
  assert.match(fragment.text, /地址不能带 # 片段/);
  const moved = 'http://127.0.0.1:9/new-callback';
  const saved = await admin.submit(`/console/platforms/${clientId}/edit`, {
    name: '继续教育平台（新）',
    redirectUris: moved,
    postLogoutRedirectUris: 'http://127.0.0.1:9/bye',
  });
  assert.equal(saved.status, 303, saved.text);
  const row = await t.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirstOrThrow();
  assert.deepEqual(row.redirect_uris, [moved]);
  assert.deepEqual(row.post_logout_redirect_uris, ['http://127.0.0.1:9/bye']);
  const [updated] = await auditOf('platform.updated');
  assert.deepEqual((updated!.detail as { before: { redirectUris: string[] } }).before.redirectUris, [REDIRECT]);

  // A logo set, then removed, on the platform's page.
  await admin.get(`/console/platforms/${clientId}`);
  const none = await admin.submitMultipart(`/console/platforms/${clientId}/logo`, {}, {});
  assert.equal(none.status, 400);
  assert.match(none.text, /请选择一个 PNG 或 JPEG 图片/);
  const set = await admin.submitMultipart(
    `/console/platforms/${clientId}/logo`,
    {},
    { logo: { filename: 'l.png', contentType: 'image/png', data: makePng(5, 5) } },
  );
  assert.equal(set.status, 303, set.text);
  assert.match((await admin.get(set.location!)).body, new RegExp(`<img class="staff-platform-logo" src="/sso/platforms/${clientId}/logo"`));
  assert.equal((await fetch(`${t.baseURL}/sso/platforms/${clientId}/logo`)).status, 200);
  const removed = await admin.submitMultipart(`/console/platforms/${clientId}/logo`, { remove: '1' }, {});
  assert.equal(removed.status, 303);
  assert.equal((await fetch(`${t.baseURL}/sso/platforms/${clientId}/logo`)).status, 404);
  assert.equal((await auditOf('platform.logo_changed')).length, 2);

  // The old redirect URI is refused at once, the new one accepted.
  const config = await configFor(clientId, clientSecret);
  const old = await authUrl({ config }, 'openid');
  assert.doesNotMatch((await new Browserless().follow(old.url.toString(), t.baseURL)).url, /\/sso\/interaction\//);
  const next = await authUrl({ config }, 'openid', { redirect_uri: moved });
  const browser = new Browserless();
  const step = await browser.follow(next.url.toString(), t.baseURL);
  assert.match(step.url, /\/sso\/interaction\//);
  assert.match(browser.lastBody, /登录后将进入“继续教育平台（新）”/);
});

test('staff who are not administrators get the 403 page; odd ids are not found', async () => {
  const reviewer = await signInStaff(t, await createStaff(t, 'platform-reviewer', ['reviewer', 'support', 'records']));
  const page = await reviewer.get('/console/platforms');
  assert.equal(page.status, 403);
  assert.doesNotMatch((await reviewer.get('/console')).body, /href="\/console\/platforms"/, 'no link to it');
  const forbidden = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', 'staff.forbidden')
    .where('actor_id', '=', 'platform-reviewer')
    .execute();
  assert.ok(forbidden.some((r) => (r.detail as { permission: string }).permission === 'platforms'));
  assert.equal((await admin.get('/console/platforms/not-a-client')).status, 404);
  assert.equal((await admin.get('/console/platforms/tx_AAAAAAAAAAAAAAAA')).status, 404);
  assert.equal((await fetch(`${t.baseURL}/sso/platforms/tx_AAAAAAAAAAAAAAAA/logo`)).status, 404);
  assert.match((await admin.get('/console')).body, /href="\/console\/platforms"/);
  const audit = await admin.get('/console/audit');
  assert.equal(audit.status, 200);
  for (const label of ['添加平台', '停用平台', '启用平台', '更换平台密钥', '修改平台地址']) assert.match(audit.text, new RegExp(label), label);
});
