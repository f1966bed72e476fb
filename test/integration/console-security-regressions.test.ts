// Regression tests for what the security review of the staff console found (each failed before
// its fix). The races run on PostgreSQL when this run has it (PGlite runs one query at a time).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, activateByLink } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { storageKinds } from '../helpers/db.ts';
import { base32Decode, createStaff, currentCode, signInStaff } from '../helpers/staff.ts';
import { hotp, totpStep } from '../../src/lib/totp.ts';
import { checkCharacter } from '../../src/enterprise/credit-code.ts';
import { checkLetter, LetterRejected } from '../../src/enterprise/letter.ts';
import { encryptedLetter, ordinaryLetter } from '../helpers/pdfs.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ storage: storageKinds().at(-1)!, limits: { codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const form = (agent: Agent, fields: Record<string, string>) => ({
  headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ ...fields, _csrf: agent.csrf! }).toString(),
});

test('F1: a burst of parallel second-factor guesses is held to the limit', async () => {
  const staff = await createStaff(t, 'reviewer.burst', ['reviewer']);
  await signInStaff(t, staff);
  const attacker = new Agent(t.app, { ip: '198.51.100.77' });
  await attacker.get('/console/login');
  assert.equal((await attacker.submit('/console/login', { username: staff.username, password: staff.password })).status, 303);
  await attacker.get('/console/login/code');
  const answers = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/console/login/code', remoteAddress: attacker.ip, ...form(attacker, { code: String(100000 + i) }) }),
    ),
  );
  const checked = (
    await t.db.selectFrom('audit_events').select('id').where('action', '=', 'staff.second_factor_failed').where('actor_id', '=', staff.username).execute()
  ).length;
  assert.ok(checked <= t.services.limits.policy.staffSecondFactorFailures.points, `${checked} codes were checked`);
  assert.ok(answers.filter((a) => a.statusCode === 429).length >= 50);
});

test('F1: a burst of parallel password guesses for one staff username is held to the limit', async () => {
  const staff = await createStaff(t, 'admin.target', ['admin']);
  const attacker = new Agent(t.app, { ip: '198.51.100.80' });
  await attacker.get('/console/login');
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: '/console/login',
        remoteAddress: attacker.ip,
        ...form(attacker, { username: staff.username, password: `guess-${i}` }),
      }),
    ),
  );
  const checked = (await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'staff.sign_in_failed').execute()).filter(
    (e) => (e.detail as { username: string }).username === staff.username,
  ).length;
  assert.ok(checked <= t.services.limits.policy.staffSignInFailuresPerUser.points, `${checked} passwords were checked`);
});

test('F2: an enrolment started in parallel cannot replace the authenticator enrolled first', async () => {
  const admin = await signInStaff(t, await createStaff(t, 'admin.one', ['admin']), '192.0.2.10');
  const victim = await createStaff(t, 'support.victim', ['support']);
  await signInStaff(t, victim, '192.0.2.11');
  const row = await t.db.selectFrom('staff_accounts').select('id').where('username', '=', victim.username).executeTakeFirstOrThrow();
  await admin.get('/console/staff');
  assert.equal((await admin.submit(`/console/staff/${row.id}/reset-totp`, { reason: '手机丢失，重新绑定' })).status, 303);
  const attacker = new Agent(t.app, { ip: '198.51.100.66' });
  await attacker.get('/console/login');
  await attacker.submit('/console/login', { username: victim.username, password: victim.password });
  const evil = base32Decode(/id="totp-secret">([A-Z2-7 ]+)</.exec((await attacker.get('/console/enrol')).body)![1]!);
  const real = new Agent(t.app, { ip: '192.0.2.12' });
  await real.get('/console/login');
  await real.submit('/console/login', { username: victim.username, password: victim.password });
  victim.secret = base32Decode(/id="totp-secret">([A-Z2-7 ]+)</.exec((await real.get('/console/enrol')).body)![1]!);
  assert.equal((await real.submit('/console/enrol', { code: currentCode(t, victim) })).status, 200);
  t.clock.advance(60_000);
  const hijack = await attacker.submit('/console/enrol', { code: hotp(evil, totpStep(t.clock.now())) });
  assert.notEqual(hijack.status, 200);
  assert.equal((await attacker.get('/console')).status, 303, 'the attacker holds no console session');
  // The member's own authenticator still works, and no copy of a pending secret is left behind.
  await signInStaff(t, victim, '192.0.2.13');
  const pending = await t.db.selectFrom('staff_sessions').select('id').where('pending_totp_cipher', 'is not', null).where('staff_id', '=', row.id).execute();
  assert.deepEqual(pending, []);
});

test('F3: credit codes are asked about only within the registration limits; an unactivated sign-up does not hold one for good', async () => {
  const body17 = '91110108MA01WXYA1';
  const victimCode = `${body17}${checkCharacter(body17)}`;
  const register = async (agent: Agent, email: string) => {
    await agent.get('/register/enterprise');
    return agent.submit('/register/enterprise', {
      enterpriseName: '北京某某教育科技有限公司',
      creditCode: victimCode,
      contactName: '王经理',
      email,
      password: 'an enterprise password',
      password2: 'an enterprise password',
    });
  };
  assert.equal((await register(new Agent(t.app, { ip: '198.51.100.90' }), 'x@squatter.example')).status, 200);
  const prober = new Agent(t.app, { ip: '198.51.100.91' });
  let told = 0;
  for (let i = 0; i < 40; i++) if (/该统一社会信用代码已注册企业帐号/.test((await register(prober, `p${i}@probe.example`)).text)) told++;
  assert.ok(told <= t.services.limits.policy.registrationsPerIp.points, `${told} of 40 probes were told`);
  t.clock.advance(2 * 86_400_000);
  const real = await register(new Agent(t.app, { ip: '203.0.113.5' }), 'hr@real.example');
  assert.equal(real.status, 200, 'a sign-up never activated no longer holds the code');
  // The lapsed sign-up is void: its address may register again, and its old link activates nothing.
  const squatter = await t.db
    .selectFrom('accounts')
    .select(['state', 'email'])
    .where('id', 'in', t.db.selectFrom('audit_events').select('account_id').where('action', '=', 'enterprise.registration_lapsed'))
    .executeTakeFirstOrThrow();
  assert.deepEqual(squatter, { state: 'deregistered', email: null });
  assert.equal(await t.db.selectFrom('email_usages').select('email').where('email', '=', 'x@squatter.example').executeTakeFirst(), undefined);
});

test('F4: active PDF content is refused however it is spelt or packed', async () => {
  const verdict = (data: Buffer) =>
    checkLetter(data).then(
      () => 'accepted',
      (error: unknown) => (error instanceof LetterRejected ? error.code : String(error)),
    );
  assert.equal(
    await verdict(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Open#41ction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj\n%%EOF\n')),
    'enterprise.letter_active',
  );
  const inner = deflateSync(Buffer.from('1 0 << /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>'));
  assert.equal(
    await verdict(
      Buffer.concat([
        Buffer.from(`%PDF-1.7\n2 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${inner.length} >>\nstream\n`),
        inner,
        Buffer.from('\nendstream endobj\n%%EOF\n'),
      ]),
    ),
    'enterprise.letter_active',
  );
  assert.equal(
    await verdict(Buffer.from('%PDF-1.7\n1 0 obj << /Filter /FlateDecode /Length 5 >>\nstream\nnope!\nendstream endobj\n%%EOF\n')),
    'enterprise.letter_broken',
    'a stream that does not inflate',
  );
  assert.equal(await verdict(await encryptedLetter()), 'enterprise.letter_active', 'an encrypted PDF cannot be read, so it is refused');
  assert.equal(await verdict(await ordinaryLetter()), 'accepted', 'a plain letter written by a PDF library');
});

test('F6: marking the owner’s number wrong settles a claimant who is suspended meanwhile', async () => {
  const support = await signInStaff(t, await createStaff(t, 'support.heir', ['support']), '192.0.2.20');
  const register = async (identity: RealName) => (await t.registerPhone({ fields: { idType: 'resident_id', ...identity } })).accountId;
  const act = async (id: string, action: string, fields: Record<string, string>) => {
    await support.get(`/console/accounts/${id}`);
    return support.submit(`/console/accounts/${id}/${action}`, fields);
  };
  const body = '32010219900303066';
  const idNumber = `${body}${mod11_2(body)}`;
  const owner = await register({ name: '吴六', idNumber });
  const claimant = await register({ name: '吴六', idNumber, reRegister: '1' });
  assert.equal((await act(claimant, 'suspend', { reason: '用户来电报告被盗，先停用' })).status, 303);
  assert.equal((await act(owner, 'wrong-id', { reason: '证件原件照片与注册号码不符', confirm: '1' })).status, 303);
  assert.equal((await act(claimant, 'restore', { reason: '核实完毕恢复使用' })).status, 303);
  const account = await t.db.selectFrom('accounts').select(['state', 'realname_bound_at']).where('id', '=', claimant).executeTakeFirstOrThrow();
  assert.equal(account.state, 'active');
  assert.ok(account.realname_bound_at, 'bound through its proved phone');
});

test('R2-F1: a reset to another address is only for a person with real-name details (an enterprise uses its letter)', async () => {
  const support = await signInStaff(t, await createStaff(t, 'support.r2', ['support']), '192.0.2.30');
  const body17 = '91110108MA01QRTU1';
  const agent = new Agent(t.app, { ip: '198.51.100.120' });
  await agent.get('/register/enterprise');
  await agent.submit('/register/enterprise', {
    enterpriseName: '某某公司',
    creditCode: `${body17}${checkCharacter(body17)}`,
    contactName: '赵经理',
    email: 'boss@enterprise-r2.example',
    password: 'an enterprise password',
    password2: 'an enterprise password',
  });
  await activateByLink(
    new Agent(t.app),
    /(\/activate\?token=[\w-]+)/.exec((await t.latestMessageTo('boss@enterprise-r2.example'))!.text)![1]!,
    'an enterprise password',
  );
  const account = await t.db.selectFrom('accounts').select('id').where('email', '=', 'boss@enterprise-r2.example').executeTakeFirstOrThrow();
  await support.get(`/console/accounts/${account.id}`);
  const refused = await support.submit(`/console/accounts/${account.id}/reset-password`, {
    to: 'other_email',
    otherEmail: 'someone@elsewhere.example.net',
    reason: '对方来电说邮箱不能用了',
  });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /企业帐号请走盖章申请函流程/);
  assert.equal(await t.latestMessageTo('someone@elsewhere.example.net'), undefined, 'nothing was sent');
});

test('R2-F2/F4: a support-started reset records where it went; an SMS link is told to the email, not the same phone', async () => {
  const support = await signInStaff(t, await createStaff(t, 'support.r2b', ['support']), '192.0.2.31');
  const body = '32010219900303077';
  const idNumber = `${body}${mod11_2(body)}`;
  const { phone, accountId: id } = await t.registerPhone({ fields: { idType: 'resident_id', name: '钱七', idNumber } });
  await t.db.updateTable('accounts').set({ email: 'qian7@example.com', email_verified_at: t.clock.now() }).where('id', '=', id).execute();

  await support.get(`/console/accounts/${id}`);
  assert.equal(
    (
      await support.submit(`/console/accounts/${id}/reset-password`, {
        to: 'other_email',
        otherEmail: 'qian7-new@example.net',
        reason: '本人手机和邮箱都不能用了',
      })
    ).status,
    303,
  );
  const audit = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', 'recovery.reset_started_by_staff')
    .where('account_id', '=', id)
    .executeTakeFirstOrThrow();
  const detail = audit.detail as { sentTo: string; sentToHash: string };
  assert.match(detail.sentTo, /^qi\*+@example\.net$/);
  assert.match(detail.sentToHash, /^[0-9a-f]{32}$/);

  await support.get(`/console/accounts/${id}`);
  assert.equal((await support.submit(`/console/accounts/${id}/reset-password`, { to: 'phone', reason: '本人来电要求发到手机' })).status, 303);
  const sms = await t.latestMessageTo(phone);
  const link = /(\/recover\/password\/reset\?token=[\w-]+)/.exec(sms!.text)![1]!;
  const browser = new Agent(t.app, { ip: '198.51.100.122' });
  const secret = /name="secret" value="([^"]+)"/.exec((await browser.get(link)).body)![1]!;
  assert.equal(
    (await browser.submit('/recover/password/reset', { secret, password: 'r2 new password here', password2: 'r2 new password here', name: '钱七', idNumber }))
      .status,
    303,
  );
  assert.match((await t.latestMessageTo('qian7@example.com'))!.text, /密码已于 .*通过找回密码重设/, 'the email hears of a reset made by SMS');
  const earlier = /(\/recover\/password\/reset\?token=[\w-]+)/.exec((await t.latestMessageTo('qian7-new@example.net'))!.text)![1]!;
  assert.doesNotMatch((await browser.get(earlier)).body, /name="secret"/, 'the earlier link stopped working');
});

test('R2-F3: wrong passwords from elsewhere do not lock a staff member out of their own desk or of changing their password', async () => {
  const victim = await createStaff(t, 'admin.victim', ['admin']);
  const desk = await signInStaff(t, victim, '192.0.2.77');
  const attacker = new Agent(t.app, { ip: '203.0.113.66' });
  await attacker.get('/console/login');
  for (let i = 0; i < 12; i++) await attacker.submit('/console/login', { username: 'admin.victim', password: `guess ${i}` });
  assert.equal((await attacker.submit('/console/login', { username: 'admin.victim', password: victim.password })).status, 429, 'the guessing IP is paused');
  const again = new Agent(t.app, { ip: '192.0.2.78' });
  await again.get('/console/login');
  assert.equal(
    (await again.submit('/console/login', { username: 'admin.victim', password: victim.password })).status,
    303,
    'the member signs in from their desk',
  );
  await desk.get('/console/password');
  const changed = await desk.submit('/console/password', {
    current: victim.password,
    password: 'the victim’s next password',
    password2: 'the victim’s next password',
  });
  assert.equal(changed.status, 303, changed.text);
});
