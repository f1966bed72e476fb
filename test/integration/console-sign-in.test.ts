// Staff sign-in: one answer for unknown usernames and wrong passwords; the password alone opens
// nothing; TOTP enrolment refuses a wrong code; a TOTP code works once; a recovery code works once;
// wrong codes are limited; changing the password ends the other sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { base32Decode, createStaff, signInStaff } from '../helpers/staff.ts';
import { hotp, totpStep } from '../../src/lib/totp.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

async function passwordStep(username: string, password: string, ip = '192.0.2.80') {
  const agent = new Agent(t.app, { ip });
  await agent.get('/console/login');
  const page = await agent.submit('/console/login', { username, password });
  return { agent, page };
}

test('an unknown username and a wrong password read the same; the password alone opens nothing', async () => {
  const staff = await createStaff(t, 'support.lin', ['support']);
  const unknown = await passwordStep('nobody.here', 'whatever password');
  const wrong = await passwordStep('support.lin', 'not the password');
  assert.equal(unknown.page.status, 401);
  assert.equal(wrong.page.status, 401);
  assert.equal(unknown.page.text.replace('nobody.here', ''), wrong.page.text.replace('support.lin', ''));
  assert.match(wrong.page.text, /工号或密码错误/);
  await passwordStep('13812345678', 'a person typing here');
  const logged = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'staff.sign_in_failed').execute();
  assert.ok(!JSON.stringify(logged).includes('13812345678'), 'a phone number typed as a staff username stays out of the audit log');

  const half = await passwordStep('support.lin', staff.password);
  assert.equal(half.page.status, 303);
  const cookie = (half.page.headers['set-cookie'] as string | string[]).toString();
  assert.match(cookie, /tx_staff=[\w-]{43};.*HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  assert.equal((await half.agent.get('/console/accounts')).status, 303, 'no console page before the second factor');
  const enrol = await half.agent.get('/console/enrol');
  assert.match(enrol.body, /<label for="f-code">动态口令<\/label>/, 'enrolment asks for the app’s code only (no recovery codes exist yet)');
  const secret = base32Decode(/id="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)![1]!);
  const wrongCode = await half.agent.submit('/console/enrol', { code: hotp(secret, totpStep(t.clock.now()) + 5) });
  assert.equal(wrongCode.status, 400);
  assert.match(wrongCode.text, /动态口令不正确或已使用过/);
  assert.equal(
    (await t.db.selectFrom('staff_accounts').select('totp_enrolled_at').where('username', '=', 'support.lin').executeTakeFirstOrThrow()).totp_enrolled_at,
    null,
  );
});

test('a TOTP code works once; a recovery code works once; a password change ends the other sessions', async () => {
  const staff = await createStaff(t, 'admin.gu', ['admin']);
  const first = await signInStaff(t, staff);
  // The same code again, in the same 30 seconds: refused (replay).
  const replay = await passwordStep('admin.gu', staff.password);
  await replay.agent.get('/console/login/code');
  const reused = await replay.agent.submit('/console/login/code', { code: hotp(staff.secret!, totpStep(t.clock.now())) });
  assert.equal(reused.status, 400);
  assert.match(reused.text, /动态口令不正确或已使用过/);

  const viaRecovery = await passwordStep('admin.gu', staff.password, '192.0.2.81');
  await viaRecovery.agent.get('/console/login/code');
  const used = await viaRecovery.agent.submit('/console/login/code', { code: staff.recoveryCodes![0]!.toUpperCase() });
  assert.equal(used.status, 303, used.text);
  assert.equal((await viaRecovery.agent.get('/console')).status, 200);
  const again = await passwordStep('admin.gu', staff.password, '192.0.2.82');
  await again.agent.get('/console/login/code');
  assert.equal((await again.agent.submit('/console/login/code', { code: staff.recoveryCodes![0]! })).status, 400, 'a recovery code works once');

  await first.get('/console/password');
  const short = await first.submit('/console/password', { current: staff.password, password: 'short one', password2: 'short one' });
  assert.match(short.text, /客服密码至少 12 个字符/);
  const changed = await first.submit('/console/password', {
    current: staff.password,
    password: 'a much longer staff password',
    password2: 'a much longer staff password',
  });
  assert.equal(changed.status, 303, changed.text);
  assert.equal((await viaRecovery.agent.get('/console')).status, 303, 'the other session ended');
  assert.equal((await first.get('/console')).status, 200, 'this one goes on');
  assert.equal((await passwordStep('admin.gu', staff.password, '192.0.2.83')).page.status, 401, 'the old password no longer works');
});

test('wrong second-factor codes are limited per staff member', async () => {
  const staff = await createStaff(t, 'reviewer.lu', ['reviewer']);
  await signInStaff(t, staff);
  const step = await passwordStep('reviewer.lu', staff.password, '192.0.2.84');
  await step.agent.get('/console/login/code');
  for (let i = 0; i < 5; i++) assert.equal((await step.agent.submit('/console/login/code', { code: '000000' })).status, 400);
  const blocked = await step.agent.submit('/console/login/code', { code: '000000' });
  assert.equal(blocked.status, 429);
  assert.match(blocked.text, /操作过于频繁/);
});

test('an administrator’s password opens only the page that replaces it; an admin can reset a forgotten one', async () => {
  const staff = await createStaff(t, 'support.mo', ['support']);
  // Signed in with the password an administrator made: every page leads to /console/password.
  const agent = new Agent(t.app, { ip: '192.0.2.90' });
  await agent.get('/console/login');
  await agent.submit('/console/login', { username: 'support.mo', password: staff.password });
  const enrol = await agent.get('/console/enrol');
  staff.secret = base32Decode(/id="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)![1]!);
  t.clock.advance(30_000);
  assert.equal((await agent.submit('/console/enrol', { code: hotp(staff.secret, totpStep(t.clock.now())) })).status, 200);
  assert.equal((await agent.get('/console/accounts')).location, '/console/password');
  const page = await agent.get('/console/password');
  assert.match(page.text, /这是管理员设置的密码，请先设置您自己的密码/);
  const post = await agent.submit('/console/accounts', { q: '13800000000' });
  assert.equal(post.status, 403);
  assert.match(post.text, /请先修改管理员设置的密码/);

  // An admin resets it: the member's sessions end, the new password is shown once and must be changed too.
  const admin = await signInStaff(t, await createStaff(t, 'admin.mo', ['admin']), '192.0.2.91');
  const row = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'support.mo').executeTakeFirstOrThrow();
  await admin.get('/console/staff');
  const reset = await admin.submit(`/console/staff/${row.id}/reset-password`, { reason: '本人忘记密码，电话核实' });
  assert.equal(reset.status, 200, reset.text);
  const fresh = /id="reset-password">([\w-]+)</.exec(reset.body)![1]!;
  assert.equal((await agent.get('/console/password')).status, 303, 'their session ended');
  const again = new Agent(t.app, { ip: '192.0.2.92' });
  await again.get('/console/login');
  assert.equal((await again.submit('/console/login', { username: 'support.mo', password: fresh })).status, 303);
  await again.get('/console/login/code');
  t.clock.advance(30_000);
  assert.equal((await again.submit('/console/login/code', { code: hotp(staff.secret, totpStep(t.clock.now())) })).status, 303);
  assert.equal((await again.get('/console')).location, '/console/password');
  const audit = await t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'staff.password_reset').executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, 'admin.mo');
});

test('an admin changes a member’s roles (effective at their next request); a refused new-member form keeps what was typed', async () => {
  const admin = await signInStaff(t, await createStaff(t, 'admin.roles', ['admin']), '192.0.2.95');
  const member = await signInStaff(t, await createStaff(t, 'reviewer.roles', ['reviewer']), '192.0.2.96');
  assert.equal((await member.get('/console/accounts')).status, 403);
  const row = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'reviewer.roles').executeTakeFirstOrThrow();
  await admin.get('/console/staff');
  const changed = await admin.submit(`/console/staff/${row.id}/roles`, { role_reviewer: '1', role_support: '1', reason: '兼任客服岗位' });
  assert.equal(changed.status, 303, changed.text);
  assert.equal((await member.get('/console/accounts')).status, 200, 'the new role applies at once');
  const audit = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'staff.roles_changed').executeTakeFirstOrThrow();
  assert.deepEqual((audit.detail as { from: string[]; to: string[] }).to, ['reviewer', 'support']);

  await admin.get('/console/staff');
  const noRole = await admin.submit('/console/staff', { username: 'support.new', displayName: '新同事' });
  assert.equal(noRole.status, 400);
  assert.match(noRole.text, /请至少选择一个角色/);
  assert.match(noRole.body, /value="support\.new"/);
  assert.match(noRole.body, /value="新同事"/);
});
