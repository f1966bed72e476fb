// CAS platforms in 平台管理: an administrator adds one by its services (no secret is shown: CAS has
// none), the CAS server sends people back to it at once, an unanchored pattern is refused with the
// message beside the field, its services are edited and disabling it makes /cas/login refuse it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServedInstance } from '../helpers/browser.ts';
import { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { start } from '../helpers/sso-flow.ts';

let t: ServedInstance;
let admin: Agent;

before(async () => {
  t = await start();
  admin = await signInStaff(t, await createStaff(t, 'cas-admin', ['admin']));
});
after(() => t.close());

const SERVICE = 'https://xj.example.edu/';

/** The CAS add form's single-use token on the list page. */
const casFormToken = (body: string) => /id="platform-add-cas"[\s\S]*?name="formToken" value="([^"]+)"/.exec(body)![1]!;

test('an administrator adds, edits and disables a CAS platform; the CAS server follows at once', async () => {
  const list = await admin.get('/console/platforms');
  const refused = await admin.submitMultipart(
    '/console/platforms/cas',
    { name: '学籍档案', services: '^https://xj\\.example\\.edu/.*', scope_phone: '1', idNumber: 'none', formToken: casFormToken(list.body) },
    {},
  );
  assert.equal(refused.status, 400);
  assert.match(refused.text, /服务地址的模式须以 \^ 开头、以 \$ 结尾/);
  assert.match(refused.body, /name="services"[^>]*aria-describedby="f-services-hint f-services-error"/);
  assert.match(refused.body, /<input id="cas-name" name="name" type="text" value="学籍档案"/, 'what was typed is kept');

  const form = {
    name: '学籍档案',
    services: '^https://xj\\.example\\.edu/.*$',
    proxy: '1',
    scope_phone: '1',
    idNumber: 'none',
    formToken: casFormToken(refused.body),
  };
  const added = await admin.submitMultipart('/console/platforms/cas', form, {});
  assert.equal(added.status, 200, added.text);
  // The answer reloaded (a phone restoring the tab): no second platform.
  const again = await admin.submitMultipart('/console/platforms/cas', form, {});
  assert.equal(again.status, 303);
  assert.equal((await t.db.selectFrom('oidc_clients').select('client_id').where('protocol', '=', 'cas').execute()).length, 1);
  const clientId = /客户端标识：(tx_[A-Za-z0-9_-]{16})/.exec(added.text)![1]!;
  assert.doesNotMatch(added.body, /id="client-secret"/, 'no secret for a CAS platform');
  const row = await t.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirstOrThrow();
  assert.equal(row.protocol, 'cas');
  assert.deepEqual(row.cas_services, ['^https://xj\\.example\\.edu/.*$']);
  assert.equal(row.cas_proxy, true);
  const audit = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'platform.added').execute();
  assert.ok(audit.some((a) => (a.detail as { protocol?: string }).protocol === 'cas'));

  const person = new Agent(t.app, { ip: '198.51.100.77' });
  const login = await person.get(`/cas/login?service=${encodeURIComponent(SERVICE)}`);
  assert.equal(login.status, 303, 'a registered service: on to the sign-in');
  assert.match(login.location!, /^\/login\?next=/);
  const page = await admin.get(`/console/platforms/${clientId}`);
  assert.match(page.text, /CAS/);
  assert.doesNotMatch(page.body, /id="platform-rotate"/, 'no secret to rotate');

  const edited = await admin.submit(`/console/platforms/${clientId}/edit`, { name: '学籍档案', services: 'https://xj.example.edu/app' });
  assert.equal(edited.status, 303);
  const after = await t.db.selectFrom('oidc_clients').select(['cas_services', 'cas_proxy']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
  assert.deepEqual(after.cas_services, ['https://xj.example.edu/app']);
  assert.equal(after.cas_proxy, false);
  assert.equal((await person.get(`/cas/login?service=${encodeURIComponent(SERVICE)}`)).status, 400, 'the old service is nobody now');

  await admin.get(`/console/platforms/${clientId}`);
  assert.equal((await admin.submit(`/console/platforms/${clientId}/disable`, { reason: '平台下线' })).status, 303);
  const disabled = await person.get(`/cas/login?service=${encodeURIComponent('https://xj.example.edu/app')}`);
  assert.equal(disabled.status, 400);
  assert.match(disabled.text, /没有在通行登记/);
  assert.equal((await admin.submit(`/console/platforms/${clientId}/rotate-secret`, { reason: '试' })).status, 404);
});
