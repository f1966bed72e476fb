// Sign-in, sign-out and sessions: one answer for unknown users and wrong passwords, a captcha
// after repeated failures, growing waits from the failing IP only, revocable sessions.
import { test, before, after } from 'node:test';
import { resetSignInFailures } from '../../src/accounts/signin-service.ts';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';

let t: TestInstance;
before(async () => {
  // A captcha whose answer the test knows.
  t = await getTestInstance({ services: { drawCaptcha: knownCaptcha('k7Pm') } });
});
after(() => t.close());

const PASSWORD = 'tea garden morning';
const registeredPhone = async () => (await t.registerPhone({ password: PASSWORD })).phone;

test('a wrong password and an unknown user read exactly the same', async () => {
  const phone = await registeredPhone();
  const agent = new Agent(t.app, { ip: '192.0.2.200' });
  const wrong = await agent.submit('/login', { username: phone, password: 'not the password' }, { from: '/login' });
  const unknown = await agent.submit('/login', { username: '13000000000', password: 'not the password' }, { from: '/login' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  // The form's error, at the top of the page in its error summary.
  const message = (p: { body: string }) => /<p class="error-summary-form"[^>]*>([^<]*)</.exec(p.body)?.[1];
  assert.equal(message(wrong), '用户名或密码错误');
  assert.equal(message(wrong), message(unknown));
});

test('sign in, see the account, sign out; the old cookie no longer works', async () => {
  const phone = await registeredPhone();
  const agent = new Agent(t.app, { ip: '192.0.2.201' });
  const before = agent.cookies.get('tx_session');
  const ok = await agent.submit('/login', { username: phone, password: PASSWORD }, { from: '/login' });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/account');
  const token = agent.cookies.get('tx_session');
  assert.ok(token && token !== before && token.length >= 43, 'a fresh 256-bit token');
  assert.equal((await agent.get('/account')).status, 200);

  const out = await agent.submit('/logout', {}, { from: '/account' });
  assert.equal(out.location, '/login?signed_out=1');
  assert.match((await agent.get('/login?signed_out=1')).text, /您已安全退出/);
  const replay = new Agent(t.app);
  replay.cookies.set('tx_session', token!);
  const page = await replay.get('/account');
  assert.equal(page.status, 303);
  assert.match(page.location!, /^\/login\?next=/);
});

test('after 3 failures a captcha is required; without it even the right password is refused', async () => {
  const phone = await registeredPhone();
  const agent = new Agent(t.app, { ip: '192.0.2.202' });
  for (let i = 0; i < 3; i++) await agent.submit('/login', { username: phone, password: 'wrong password' }, { from: '/login' });
  const page = await agent.submit('/login', { username: phone, password: PASSWORD }, { from: '/login' });
  assert.equal(page.status, 401);
  assert.match(page.text, /请完成安全验证/);
  assert.match(page.body, /<img src="data:image\/png;base64,/);
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(page.body)![1]!;
  const wrongAnswer = await agent.submit('/login', { username: phone, password: PASSWORD, captchaId, captcha: 'zzzz' });
  assert.match(wrongAnswer.text, /安全验证未通过/);
  const fresh = /name="captchaId" value="([^"]+)"/.exec(wrongAnswer.body)![1]!;
  assert.notEqual(fresh, captchaId, 'a spent captcha is replaced');
  // A spent captcha does not work twice, even with the right answer.
  const reused = await agent.submit('/login', { username: phone, password: PASSWORD, captchaId, captcha: 'k7Pm' });
  assert.match(reused.text, /安全验证未通过/);
  const next = /name="captchaId" value="([^"]+)"/.exec(reused.body)![1]!;
  // Answers are case-insensitive; with it, the right password signs in.
  const ok = await agent.submit('/login', { username: phone, password: PASSWORD, captchaId: next, captcha: 'K7PM' });
  assert.equal(ok.status, 303);
});

test('repeated failures from one IP make that IP wait, growing; another IP is not locked out', async () => {
  const phone = await registeredPhone();
  const attacker = new Agent(t.app, { ip: '192.0.2.66' });
  // Failures 1-5 are answered; the fifth sets a wait for this account from this IP.
  for (let i = 0; i < 5; i++) {
    await resetSignInFailures(t.services.accounts, phone); // keep the captcha out of this test
    await attacker.submit('/login', { username: phone, password: 'wrong password' }, { from: '/login' });
  }
  await resetSignInFailures(t.services.accounts, phone);
  const blocked = await attacker.submit('/login', { username: phone, password: PASSWORD }, { from: '/login' });
  assert.equal(blocked.status, 429);
  assert.match(blocked.text, /操作过于频繁，操作被禁止，请 1[0-5] 秒后再试/);

  const { page: ok } = await t.signIn(phone, PASSWORD); // from an address of its own
  assert.equal(ok.status, 303, 'the owner on another network still signs in');
});

test('the sessions page lists each device and one can be signed out from another', async () => {
  const phone = await registeredPhone();
  const { agent: laptop } = await t.signIn(phone, PASSWORD, { userAgent: 'Laptop Browser' });
  const { agent: phoneDevice } = await t.signIn(phone, PASSWORD, { userAgent: 'Phone Browser' });

  const list = await laptop.get('/account/sessions');
  assert.match(list.text, /Laptop Browser/);
  assert.match(list.text, /Phone Browser/);
  assert.match(list.text, /当前设备/);
  const rows = [...list.body.matchAll(/data-session="([^"]+)"[\s\S]*?<\/tr>/g)];
  const phoneRow = rows.find((r) => r[0].includes('Phone Browser'))!;
  const revoked = await laptop.submit(`/account/sessions/${phoneRow[1]}/revoke`, {});
  assert.match(revoked.text, /该设备已下线/);
  assert.doesNotMatch(revoked.text, /Phone Browser/);
  assert.equal((await phoneDevice.get('/account')).status, 303, 'the phone is signed out');
  assert.equal((await laptop.get('/account')).status, 200, 'the laptop is not');
});

test('a burst of parallel wrong passwords gets no more password checks than one at a time', async () => {
  const phone = await registeredPhone();
  const attacker = new Agent(t.app, { ip: '192.0.2.77' });
  await attacker.get('/login');
  const burst = await Promise.all(Array.from({ length: 40 }, () => attacker.submit('/login', { username: phone, password: 'guess guess guess' })));
  const checked = burst.filter((p) => /用户名或密码错误/.test(p.text)).length;
  assert.ok(checked <= 3, `${checked} guesses were checked; the captcha must stop the rest`);
  assert.ok(burst.every((p) => p.status === 401 || p.status === 429));
  const right = await attacker.submit('/login', { username: phone, password: PASSWORD }, { from: '/login' });
  assert.notEqual(right.status, 303, 'the right password without a captcha is refused after the burst');
});

test('a form without its CSRF token is refused and changes nothing', async () => {
  const agent = new Agent(t.app, { ip: '192.0.2.220' });
  await agent.get('/register/phone');
  const page = await agent.submit('/register/phone/code', { phone: '13911112222' }, { csrf: null });
  assert.equal(page.status, 403);
  assert.match(page.text, /页面已过期，请刷新后重新提交/);
  assert.equal(await t.latestMessageTo('13911112222'), undefined);
});

test('an idle session ends after the idle timeout', async () => {
  const phone = await registeredPhone();
  const { agent } = await t.signIn(phone, PASSWORD);
  assert.equal((await agent.get('/account')).status, 200);
  t.clock.advance(t.config.session.idleMs + 1000);
  assert.equal((await agent.get('/account')).status, 303);
});

test('sign-in after ?next= goes back there, but never off-site', async () => {
  const phone = await registeredPhone();
  const agent = new Agent(t.app, { ip: '192.0.2.240' });
  const local = await agent.submit('/login', { username: phone, password: PASSWORD, next: '/account/sessions' }, { from: '/login' });
  assert.equal(local.location, '/account/sessions');
  const other = new Agent(t.app, { ip: '192.0.2.241' });
  const offsite = await other.submit('/login', { username: phone, password: PASSWORD, next: '//evil.example/' }, { from: '/login' });
  assert.equal(offsite.location, '/account');
});

test('failures count against the account, whichever identifier is typed', async () => {
  const { phone } = await t.registerPhone({ password: PASSWORD, fields: { name: '郑十', idType: 'resident_id', idNumber: '11010519491231002X' } });
  const guesser = new Agent(t.app, { ip: '192.0.2.251' });
  // One try by phone, then two by ID number in different spellings: three in all (the third's
  // answer already carries the captcha for the next try).
  for (const [i, username] of [phone, '11010519491231002x', '１１０１０５１９４９１２３１００２Ｘ'].entries()) {
    const page = await guesser.submit('/login', { username, password: 'not it' }, { from: '/login' });
    assert.match(page.text, /用户名或密码错误/);
    if (i < 2) assert.doesNotMatch(page.text, /请输入图片中的字符/);
  }
  // A fourth identifier-spelling, or the phone again: the account has had its three free tries.
  for (const username of ['110105491231002', phone]) {
    const page = await guesser.submit('/login', { username, password: PASSWORD }, { from: '/login' });
    assert.equal(page.status, 401, username);
    assert.match(page.text, /请完成安全验证/, `${username} needs the captcha`);
  }
  // The account's failures are recorded against it, each with the identifier's kind unstated.
  const failures = await t.db.selectFrom('audit_events').select('id').where('action', '=', 'session.sign_in_failed').execute();
  assert.ok(failures.length >= 3);
});
