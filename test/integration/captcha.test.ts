// The captcha on real pages: the label before the challenge, a proof of work for browsers with
// JavaScript (solved here as the widget's workers solve it) that serves once and for its own
// form, the picture for browsers without, 换一张 keeping what was typed, the widget's files under
// the strict CSP, and a configured captcha service checked against its simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent, type Page } from '../helpers/agent.ts';
import { tencentSimulator, type Simulator } from '../helpers/captcha-services.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ services: { drawCaptcha: knownCaptcha('K7P3X') } });
});
after(() => t.close());

const PASSWORD = 'a captcha test password';

/** What the widget posts for the challenge on `page`: the solution, base64 of {challenge, solution}. */
async function solve(page: Page): Promise<string> {
  const attribute = /<altcha-widget[^>]* challenge="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(attribute, 'the page carries a proof-of-work challenge');
  const challenge = JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

/** A person who failed to sign in 3 times: the 4th try needs the captcha. */
async function afterFailures() {
  const { phone } = await t.registerPhone({ password: PASSWORD });
  const agent = new Agent(t.app, { ip: t.nextIp() });
  let page: Page | undefined;
  for (let i = 0; i < 4; i++) page = await agent.submit('/login', { username: phone, password: 'not the password' }, { from: '/login' });
  return { phone, agent, page: page! };
}

test('the captcha: its label first, the widget, and the picture with its field for browsers without JavaScript', async () => {
  const { page } = await afterFailures();
  const fieldset = /<fieldset class="captcha[^"]*"[^>]*>([\s\S]*?)<\/fieldset>/.exec(page.body)?.[1];
  assert.ok(fieldset, 'a captcha fieldset');
  assert.match(fieldset, /^<legend>安全验证<\/legend>/, 'the label comes before the challenge');
  assert.ok(fieldset.indexOf('<altcha-widget') < fieldset.indexOf('<img'), 'the widget, then the picture');
  assert.match(fieldset, /<img src="data:image\/png;base64,[^"]+" alt="验证码图片（5 个字符）" width="200" height="70"/);
  assert.match(fieldset, /<button type="submit" name="captchaRefresh" value="1" formnovalidate class="link" id="captcha-refresh">看不清？换一张<\/button>/);
  assert.match(fieldset, /<script type="module" src="\/static\/altcha\/altcha.js"><\/script>/);
  assert.doesNotMatch(page.body, /<script>(?!<\/script>)/, 'no inline script');
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /worker-src 'self'/);
  for (const asset of ['/static/altcha/altcha.js', '/static/altcha/pbkdf2.js', '/static/altcha/altcha.css', '/static/captcha.js']) {
    const res = await t.app.inject({ method: 'GET', url: asset });
    assert.equal(res.statusCode, 200, asset);
    assert.match(String(res.headers['content-type']), asset.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/, asset);
  }
});

test('a solved proof of work signs in once; replayed, or solved for another form, it is refused', async () => {
  const { phone, agent, page } = await afterFailures();
  const altcha = await solve(page);
  const ok = await agent.submit('/login', { username: phone, password: PASSWORD, altcha });
  assert.equal(ok.status, 303, ok.text);

  const other = new Agent(t.app, { ip: t.nextIp() });
  for (let i = 0; i < 4; i++) await other.submit('/login', { username: phone, password: 'not the password' }, { from: '/login' });
  const replayed = await other.submit('/login', { username: phone, password: PASSWORD, altcha });
  assert.equal(replayed.status, 401);
  assert.match(replayed.text, /安全验证未通过/);

  const recoveryPage = await other.get('/recover/username');
  const forRecovery = await solve(recoveryPage);
  const moved = await other.submit('/login', { username: phone, password: PASSWORD, altcha: forRecovery });
  assert.equal(moved.status, 401, 'a solution made for 找回用户名 does not sign in');
});

test('换一张 draws another picture and keeps what was typed; nothing is tried or sent', async () => {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const first = await agent.get('/recover/username');
  const firstId = /name="captchaId" value="([^"]+)"/.exec(first.body)![1];
  const again = await agent.submit('/recover/username', { name: '欧阳明', idType: 'resident_id', idNumber: '110101199003077777', captchaRefresh: '1' });
  assert.equal(again.status, 200);
  assert.match(again.text, /已换一张图片/);
  assert.match(again.body, /name="name"[^>]*value="欧阳明"/);
  assert.match(again.body, /name="idNumber"[^>]*value="110101199003077777"/);
  assert.notEqual(/name="captchaId" value="([^"]+)"/.exec(again.body)![1], firstId);
  assert.doesNotMatch(again.text, /如果信息正确/, 'no answer was sent');
});

test('with a captcha service configured, its widget replaces the proof of work and its token is checked at the service', async () => {
  const keys = { secretId: 'AKIDtest', secretKey: 'test-secret-key', appId: '190000001', appSecretKey: 'test-app-secret' };
  const sim: Simulator = await tencentSimulator(keys);
  const vendor = await getTestInstance({
    services: { drawCaptcha: knownCaptcha('K7P3X') },
    env: {
      CAPTCHA_PROVIDER: 'tencent',
      TENCENT_CAPTCHA_SECRET_ID: keys.secretId,
      TENCENT_CAPTCHA_SECRET_KEY: keys.secretKey,
      TENCENT_CAPTCHA_APP_ID: keys.appId,
      TENCENT_CAPTCHA_APP_SECRET_KEY: keys.appSecretKey,
      TENCENT_CAPTCHA_ENDPOINT: sim.url,
    },
  });
  try {
    const { phone } = await vendor.registerPhone({ password: PASSWORD });
    const agent = new Agent(vendor.app, { ip: vendor.nextIp() });
    const page = await agent.get('/recover/username');
    assert.doesNotMatch(page.body, /<altcha-widget/);
    assert.match(page.body, /<script src="https:\/\/turing.captcha.qcloud.com\/TJCaptcha.js" defer><\/script>/);
    assert.match(page.body, /data-vendor="tencent" data-appid="190000001"/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self' https:\/\/turing.captcha.qcloud.com/);
    const token = sim.issue();
    const sent = await agent.submit('/recover/password', { username: phone, captchaVendor: token }, { from: '/recover/password' });
    assert.equal(sent.status, 200, sent.text);
    assert.doesNotMatch(sent.text, /安全验证未通过/);
    const replayed = await agent.submit('/recover/password', { username: phone, captchaVendor: token }, { from: '/recover/password' });
    assert.match(replayed.text, /安全验证未通过/, 'a ticket serves once');
    assert.equal(JSON.parse(sim.requests.at(-1)!.body).UserIp, agent.ip, "the person's address goes with the ticket");
  } finally {
    await vendor.close();
    await sim.close();
  }
});
