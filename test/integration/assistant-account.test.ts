// The assistant answering a signed-in person from their own account (issue 17 §2): why a platform
// refuses them, where their duplicate-ID case stands and until when, 途径4 tries left, when the
// 2-hour pause after a recovery ends, and what became of the last code sent to their phone — each
// state made through the real pages and services. An anonymous person asking the same gets only
// the articles, and no answer ever carries another account's phone, address or name.
import { test, before, after } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { addClient } from '../../src/sso/clients.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';
import { maskPhone } from '../../src/lib/mask.ts';
import { Readable } from 'node:stream';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';

const CAPTCHA = 'a5Kq';
const PASSWORD = 'assistant account password';
const NEW_PASSWORD = 'another quiet afternoon';
let t: TestInstance;
let seq = 0;
const nextId = () => {
  const body = `32010219960606${String(++seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    limits: {
      registrationsPerIp: { points: 1000, durationSeconds: 3600 },
      codesPerIp: { points: 1000, durationSeconds: 3600 },
      recoveryPerIp: { points: 1000, durationSeconds: 3600 },
      smsSendsBeforeCaptcha: { points: 1000, durationSeconds: 3600 },
    },
  });
});
after(() => t.close());

const register = (realName: RealName & { reRegister?: '1' }) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...realName } });

interface Passage {
  heading: string;
  text: string;
  source: string;
}
interface Answer {
  kind: 'answer' | 'none';
  article?: { title: string; href: string };
  fromAccount: Passage[];
}

async function ask(agent: Agent, question: string): Promise<Answer> {
  const page = await agent.get(`/help/assistant/answer?q=${encodeURIComponent(question)}`);
  assert.equal(page.status, 200, page.text);
  return JSON.parse(page.text) as Answer;
}
const accountText = (answer: Answer) => answer.fromAccount.map((p) => `${p.heading}\n${p.text}`).join('\n');

test('a platform requiring a real name: the unverified person is told which and what to do; a verified one is told it is not that', async () => {
  await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: '研招报名',
      redirectUris: ['http://127.0.0.1:9/cb'],
      postLogoutRedirectUris: [],
      requiresRealname: true,
      scopes: ['profile', 'realname'],
      idNumberAccess: 'none',
    },
  );
  const { agent } = await t.registerPhone({ password: PASSWORD });
  const zh = await ask(agent, '为什么研招报名平台登录不了，一直拒绝我');
  assert.equal(zh.fromAccount[0]?.source, 'account');
  assert.match(accountText(zh), /平台为什么不接受您的帐号/);
  assert.match(accountText(zh), /您的帐号尚未完成实名认证，而以下平台只接受已完成实名认证的帐号：研招报名。/);
  const en = await ask(agent, 'why does the platform refuse me');
  assert.match(accountText(en), /Your account does not have a verified real name yet, and these platforms accept only accounts that do: 研招报名\./);

  // The answer page without JavaScript shows it above the articles.
  const page = await agent.get(`/help/assistant?q=${encodeURIComponent('平台拒绝我登录')}`);
  assert.equal(page.status, 200);
  const account = page.text.indexOf('只接受已完成实名认证的帐号：研招报名');
  assert.ok(account > 0, 'the account answer is on the page');
  assert.ok(account < page.text.indexOf('最佳答案') || page.text.indexOf('最佳答案') < 0, 'above the articles');

  const verified = await t.registerPhone({ password: PASSWORD, realName: { name: '孙明', idNumber: nextId() } });
  const ok = await ask(verified.agent, '平台拒绝我登录');
  assert.match(accountText(ok), /您的帐号已完成实名认证，平台不会因为实名要求拒绝您/);
});

test('a claimant with photos waiting for review, a classmate-free case and a failed 途径4 try hears each, with dates and counts', async () => {
  const id = nextId();
  const owner = await register({ name: '周晓', idNumber: id });
  const claimant = await register({ name: '周晓', idNumber: id, reRegister: '1' });

  const nothing = await ask(claimant.agent, '证件号码重复的验证进度怎么样了');
  assert.match(accountText(nothing), /您的证件号码与其他帐号重复，帐号正在等待验证身份信息/);
  assert.match(accountText(nothing), /您还没有开始任何验证途径/);
  const tries = await ask(claimant.agent, '途径4还剩几次机会');
  assert.match(accountText(tries), /已通过途径4请求核对 0 次，还可以尝试 3 次（每个证件号码最多 3 次）/);

  await claimant.agent.get('/account/resolution/photo');
  const uploaded = await claimant.agent.submitMultipart(
    '/account/resolution/photo',
    { acknowledge: '1' },
    {
      handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(4, 4, [['eXIf', GPS_EXIF]]) },
      front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg(true) },
      back: { filename: 'back.gif', contentType: 'image/gif', data: SMALLEST_GIF },
    },
  );
  assert.ok(uploaded.status < 400, uploaded.text);
  await claimant.agent.get('/account/resolution/records');
  const wrong = await claimant.agent.submit('/account/resolution/records', {
    kind: 'enrolment',
    school: '东南大学',
    number: '2014000001',
    year: '2014',
    level: 'bachelor',
    acknowledge: '1',
  });
  assert.equal(wrong.status, 422, wrong.text);

  t.clock.advance(2 * 24 * 3600_000 + 60_000);
  // (Two days on, the session has ended: the person signs in again.)
  claimant.agent = (await t.signIn(claimant.phone, PASSWORD)).agent;
  const waiting = await ask(claimant.agent, '照片审核要等多久');
  const text = accountText(waiting);
  assert.match(text, /您的证件照片于 .+ 提交，正在等待客服审核，已等待 2 天；审核在 3 个工作日内完成，预计 .+ 前有结果。/);
  assert.match(text, /途径4：已请求核对 1 次，还可以尝试 2 次。/);
  const left = await ask(claimant.agent, 'how many tries are left for route 4');
  assert.match(accountText(left), /Your ID number has been checked against the records 1 times through route 4; 2 tries are left/);
  const english = await ask(claimant.agent, 'what is my photo review waiting for');
  assert.match(accountText(english), /Your ID photos were submitted on .+ and are waiting for customer service to review them: 2 days so far\./);

  // The other holder of the number is never named, not even masked.
  for (const answer of [nothing, tries, waiting, left, english]) {
    const all = JSON.stringify(answer.fromAccount);
    assert.ok(!all.includes(owner.phone) && !all.includes(maskPhone(owner.phone)), 'nothing about the other holder');
  }
  const plain = await ask((await t.signIn(owner.phone, PASSWORD)).agent, '证件号码重复的验证进度怎么样了');
  assert.match(accountText(plain), /您的帐号目前没有需要处理的证件号码重复问题/);
});

test('a claimant who asked a classmate hears the confirmations so far, then until when the notice period runs', async () => {
  const claimed = nextId();
  const classmateId = nextId();
  const file = [`学籍,南京大学,2015000101,2015,本科,吴同学,,${claimed}`, `学籍,南京大学,2014000102,2014,本科,冯同学,,${classmateId}`].join('\n');
  await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
  const classmate = await register({ name: '冯同学', idNumber: classmateId });
  await register({ name: '吴同学', idNumber: claimed });
  const claimant = await register({ name: '吴同学', idNumber: claimed, reRegister: '1' });

  const sent = await claimant.agent.submit(
    '/account/resolution/classmate',
    { acknowledge: '1', classmateName: '冯同学', classmateUsername: classmate.phone, school: '南京大学' },
    { from: '/account/resolution/classmate' },
  );
  assert.equal(sent.status, 200, sent.text);
  const asked = await ask(claimant.agent, '同学确认到哪一步了');
  assert.match(accountText(asked), /途径3：已有 0 位同学确认，需要 1 位。/);

  const inbox = await classmate.agent.get('/inbox');
  const item = /data-item="([^"]+)" data-state="pending"/.exec(inbox.body)![1]!;
  assert.equal((await classmate.agent.submit(`/inbox/${item}/accept`, {})).status, 303);
  const waiting = await ask(claimant.agent, '公示期什么时候结束');
  assert.match(accountText(waiting), /途径3：同学确认已满，公示期至 .+；期间其他帐号持有人没有提出异议，验证即通过。/);
  const all = JSON.stringify([asked, waiting]);
  assert.ok(!all.includes(classmate.phone) && !all.includes(maskPhone(classmate.phone)) && !all.includes('冯同学'), 'nothing about the classmate');
});

test('after 找回密码 the person hears until when WeChat binding waits', async () => {
  const idNumber = nextId();
  const { phone } = await t.registerPhone({ password: PASSWORD, realName: { name: '钱多', idNumber } });
  const before = await t.signIn(phone, PASSWORD);
  const open = await ask(before.agent, '怎么绑定微信登录');
  assert.match(accountText(open), /您的帐号现在不受找回后 2 小时的限制/);

  const browser = new Agent(t.app, { ip: t.nextIp() });
  const sent = await t.submitWithCaptcha(browser, '/recover/password', '/recover/password', { username: phone }, CAPTCHA);
  const flow = /name="flow" value="([^"]+)"/.exec(sent.body)![1]!;
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const form = await browser.submit('/recover/password/code', { flow, kind: 'phone', code });
  const secret = /name="secret" value="([^"]+)"/.exec(form.body)![1]!;
  t.clock.advance(1_000);
  const done = await browser.submit('/recover/password/reset', { secret, name: '钱多', idNumber, password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(done.status, 303, done.text);

  t.clock.advance(30 * 60_000);
  const after = await t.signIn(phone, NEW_PASSWORD);
  const zh = await ask(after.agent, '为什么不能绑定微信');
  assert.match(accountText(zh), /您于 .+ 找回了密码。为保护帐号安全，找回后 2 小时内不能绑定微信或支付宝登录：.+ 后可以绑定。/);
  const en = await ask(after.agent, 'cant bind wechat');
  assert.match(accountText(en), /You recovered your password on .+ you can bind it after .+\./);
});

test('a code that did not arrive: the latest message to the own phone, its state, and the wait after a refused resend', async () => {
  const { phone } = await t.registerPhone({ password: PASSWORD });
  const masked = maskPhone(phone);
  const signIn = new Agent(t.app, { ip: t.nextIp() });
  const first = await signIn.submit('/login/sms/code', { phone }, { from: '/login/sms' });
  assert.equal(first.status, 200, first.text);
  const refused = await signIn.submit('/login/sms/code', { phone }, { from: '/login/sms' });
  assert.ok(refused.status >= 400, 'a second code within the minute is refused');

  const { agent } = await t.signIn(phone, PASSWORD);
  const queued = await ask(agent, '验证码一直收不到');
  assert.match(accountText(queued), new RegExp(`最近一条发往 ${masked.replace(/\*/g, '\\*')} 的短信（.+ 申请）正在排队，很快会发出。`));
  assert.match(accountText(queued), new RegExp(`同一号码或邮箱 60 秒内只能获取一次校验码：发往 ${masked.replace(/\*/g, '\\*')} 的下一条请在 \\d+ 秒后获取。`));
  assert.ok(!accountText(queued).includes(codeIn((await t.latestMessageTo(phone))!.text)), 'never the code itself');

  await t.worker.runOnce();
  const sent = await ask(agent, 'I never recieved the sms code');
  assert.match(accountText(sent), new RegExp(`The latest text message to ${masked.replace(/\*/g, '\\*')} was delivered to the carrier on .+\\.`));
});

test('an anonymous person asking the same gets only the articles', async () => {
  const anonymous = new Agent(t.app, { ip: t.nextIp() });
  for (const question of [
    '为什么平台拒绝我登录',
    '照片审核要等多久',
    '途径4还剩几次机会',
    '为什么不能绑定微信',
    '验证码一直收不到',
    'I never recieved the sms code',
  ]) {
    const answer = await ask(anonymous, question);
    assert.deepEqual(answer.fromAccount, [], question);
    assert.equal(answer.kind, 'answer', question);
    assert.ok(answer.article?.href.startsWith('/help/'), question);
  }
});

test('asking as one account never shows another account’s phone, address or name', async () => {
  const other = await t.registerPhone({
    password: PASSWORD,
    realName: { name: '郑另一', idNumber: nextId() },
    fields: { email: 'zheng.other@example.edu.cn' },
  });
  const me = await t.registerPhone({ password: PASSWORD });
  const otherSignIn = new Agent(t.app, { ip: t.nextIp() });
  await otherSignIn.submit('/login/sms/code', { phone: other.phone }, { from: '/login/sms' });
  const questions = [
    '为什么平台拒绝我登录',
    '证件号码重复的验证进度',
    '途径4还剩几次',
    '为什么不能绑定微信',
    '验证码收不到',
    '邮件没收到',
    'code did not arrive',
    'why does the platform refuse me',
  ];
  const answers = await Promise.all(questions.map((q) => ask(me.agent, q)));
  assert.ok(
    answers.every((a) => a.fromAccount.length > 0),
    'each question is answered from the account',
  );
  const all = JSON.stringify(answers);
  for (const secret of [other.phone, maskPhone(other.phone), 'zheng.other', '郑另一']) assert.ok(!all.includes(secret), `no ${secret}`);
  assert.ok(all.includes(maskPhone(me.phone)), 'the own phone, masked');
});

/**
 * Aliyun's SendSms on loopback, answering in its exact shape (HTTP 200 with a business Code, as
 * the gateway does) whatever `verdict` says now: a number it will not take, or a carrier's limit.
 */
let verdict = { Code: 'OK', Message: 'OK' };
async function aliyunGateway(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ ...verdict, RequestId: 'A1B2C3D4-0000-4000-8000-000000000001', ...(verdict.Code === 'OK' ? { BizId: '900619746936498440^0' } : {}) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('a code the SMS gateway refused or throttled: the person hears it failed or when it is retried, in a category', async () => {
  const gateway = await aliyunGateway();
  const real = await getTestInstance({
    env: {
      SMS_PROVIDER: 'aliyun',
      ALIYUN_ACCESS_KEY_ID: 'test-key-id',
      ALIYUN_ACCESS_KEY_SECRET: 'test-key-secret',
      ALIYUN_SMS_SIGN_NAME: '通行',
      ALIYUN_SMS_TEMPLATE_CODE: 'SMS_100000001',
      ALIYUN_SMS_TEMPLATES:
        'username:SMS_100000002,reset_link:SMS_100000003,data_export:SMS_100000007,notice:SMS_100000004,support_reply:SMS_100000005,support_follow:SMS_100000006',
      ALIYUN_SMS_ENDPOINT: gateway.url,
    },
    limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
  });
  try {
    const person = await real.registerPhone({ password: PASSWORD });
    const masked = maskPhone(person.phone).replace(/\*/g, '\\*');
    verdict = { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' };
    await real.worker.runOnce();
    const throttled = await ask(person.agent, '验证码没收到');
    assert.match(
      accountText(throttled),
      new RegExp(`最近一条发往 ${masked} 的短信（.+ 申请）没有发送成功（运营商限制了发往该号码的短信频率），将于 .+ 自动重试，已尝试 1 次。`),
    );

    verdict = { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' };
    real.clock.advance(60_000);
    await real.worker.runOnce();
    const failed = await ask(person.agent, 'my verification code never arrived');
    assert.match(
      accountText(failed),
      new RegExp(
        `The latest text message to ${masked} \\(asked on .+\\) could not be sent \\(the provider refused the message; the number or address may be wrong\\)\\.`,
      ),
    );
    assert.ok(!accountText(failed).includes('MOBILE_NUMBER_ILLEGAL'), 'the category, not the gateway’s code');
  } finally {
    verdict = { Code: 'OK', Message: 'OK' };
    await real.close();
    gateway.server.close();
  }
});
