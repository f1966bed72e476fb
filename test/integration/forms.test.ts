// Forms a person can get right the first time, as the server renders them: a refused submission
// keeps everything typed but passwords (the code too while it is still good), shows every field's
// error at once, lists them in an error summary at the top whose links lead to each field, pairs
// each message with its input (aria-describedby), and explains a registered ID number with a real
// 【解决方法】 link — without a 登录 link for someone already signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn, type Page } from '../helpers/agent.ts';
import { createStaff } from '../helpers/staff.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const PASSWORD = 'forms right first time';
const ID = '440524188001010014';
const BAD_ID = '110105194912310021'; // its check digit is wrong

// ---- reading the rendered HTML
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
/** The opening tag of the element with this id. */
function tagWithId(html: string, id: string): string | undefined {
  return new RegExp(`<[a-z0-9]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}
/** An attribute's value ('' when it stands alone, as preact writes an empty value). */
function attr(tag: string | undefined, name: string): string | undefined {
  if (!tag) return undefined;
  const m = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s/>])`).exec(tag);
  return m ? decode(m[1] ?? '') : undefined;
}
/** The text of the element with this id (first level of tags stripped). */
function textOfId(html: string, id: string): string | undefined {
  const m = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m ? decode(m[2]!.replace(/<[^>]+>/g, '')).trim() : undefined;
}
const valueOf = (page: Page, inputId: string) => attr(tagWithId(page.body, inputId), 'value');
const summaryOf = (page: Page) => /<div class="error-summary"[\s\S]*?<\/ul>|<div class="error-summary"[\s\S]*?<\/p><\/div><\/div>/.exec(page.body)?.[0] ?? '';
/** The summary's links to fields, as [href, text]. */
const summaryLinks = (page: Page) => [...summaryOf(page).matchAll(/<a href="(#[^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1]!, decode(m[2]!)] as const);
const mainOf = (page: Page) => /<main[\s\S]*<\/main>/.exec(page.body)?.[0] ?? '';

/** Every field the summary names: its input exists, says it is invalid, and is described by the message beside it, which the summary repeats. */
function assertPaired(page: Page) {
  for (const [href, text] of summaryLinks(page)) {
    const id = href.slice(1);
    const input = tagWithId(page.body, id);
    assert.ok(input, `the summary's link ${href} leads to a field`);
    assert.equal(attr(input, 'aria-invalid'), 'true', `${id} is marked invalid`);
    const describedBy = attr(input, 'aria-describedby')?.split(' ') ?? [];
    assert.ok(describedBy.includes(`${id}-error`), `${id} is described by its message`);
    assert.ok(textOfId(page.body, `${id}-error`)?.startsWith(text), `${id}'s own message repeats the summary's "${text}"`);
  }
}

async function codeFor(agent: Agent, phone: string) {
  const sent = await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
  assert.equal(sent.status, 200, sent.text);
  return codeIn((await t.latestMessageTo(phone))!.text);
}

test('a refused registration shows every field error at once, in a summary linking to each field, and keeps what was typed but passwords', async () => {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.get('/register/phone');
  const page = await agent.submit('/register/phone', {
    phone: '123',
    code: '12',
    password: 'short',
    password2: 'other',
    email: 'not-an-address',
    name: '张',
    idType: 'resident_id',
    idNumber: BAD_ID,
  });
  assert.equal(page.status, 400);
  const links = summaryLinks(page).map(([href]) => href);
  assert.deepEqual(links, ['#f-phone', '#f-code', '#f-password', '#f-password2', '#f-email', '#f-name', '#f-idNumber'], 'one try names every wrong field');
  assert.match(summaryOf(page), /提交未成功，请检查以下内容/);
  assert.equal(attr(tagWithId(page.body, 'error-summary'), 'tabindex'), '-1', 'the summary can take the focus');
  assert.ok(page.body.indexOf('id="error-summary"') < page.body.indexOf('id="register-phone"'), 'the summary comes before the form');
  assertPaired(page);

  assert.equal(valueOf(page, 'f-phone'), '123');
  assert.equal(valueOf(page, 'f-email'), 'not-an-address');
  assert.equal(valueOf(page, 'f-name'), '张');
  assert.equal(valueOf(page, 'f-idNumber'), BAD_ID);
  assert.equal(valueOf(page, 'f-code'), '', 'a code the refusal was about is not shown again');
  assert.equal(valueOf(page, 'f-password'), '', 'passwords are never shown again');
  assert.equal(valueOf(page, 'f-password2'), '');
  assert.equal(await t.db.selectFrom('accounts').select('id').where('phone', '=', '123').executeTakeFirst(), undefined);
});

test('the code is kept while still good: a refusal about something else, then the same code registers', async () => {
  const phone = t.nextPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const code = await codeFor(agent, phone);
  const refused = await agent.submit('/register/phone', { phone, code, password: '12345678', name: '王五', idType: 'resident_id', idNumber: BAD_ID });
  assert.equal(refused.status, 400);
  assert.deepEqual(
    summaryLinks(refused).map(([href]) => href),
    ['#f-password', '#f-idNumber'],
    'a common password and a wrong number, together',
  );
  assert.equal(valueOf(refused, 'f-code'), code, 'the code is still good, so it stays in its field');
  assert.equal(valueOf(refused, 'f-phone'), phone);
  assert.equal(attr(tagWithId(refused.body, 'f-idType'), 'aria-invalid'), undefined);

  const done = await agent.submit('/register/phone', { phone, code, password: PASSWORD, name: '王五', idType: 'resident_id', idNumber: ID });
  assert.equal(done.status, 303, done.text);
});

test('a wrong code is not shown again; 免费获取 keeps the real-name fields typed before it', async () => {
  const phone = t.nextPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.get('/register/phone');
  const sent = await agent.submit('/register/phone/code', {
    phone,
    email: 'me@example.com',
    name: '赵六',
    idType: 'resident_id',
    idNumber: '310104198511032013',
  });
  assert.equal(sent.status, 200);
  assert.equal(valueOf(sent, 'f-name'), '赵六');
  assert.equal(valueOf(sent, 'f-idNumber'), '310104198511032013');
  assert.equal(valueOf(sent, 'f-email'), 'me@example.com');
  const real = codeIn((await t.latestMessageTo(phone))!.text);
  const wrong = real === '000000' ? '111111' : '000000';
  const refused = await agent.submit('/register/phone', {
    phone,
    code: wrong,
    password: PASSWORD,
    name: '赵六',
    idType: 'resident_id',
    idNumber: '310104198511032013',
  });
  assert.equal(refused.status, 400);
  assert.deepEqual(
    summaryLinks(refused).map(([href, text]) => [href, text]),
    [['#f-code', '校验码错误，还可以尝试 4 次']],
  );
  assert.equal(valueOf(refused, 'f-code'), '');
  assert.equal(valueOf(refused, 'f-name'), '赵六');
  assertPaired(refused);
});

test('证件号码已被注册 at registration: first in the summary, 【解决方法】 a real link, and the ways out beside the field', async () => {
  await t.registerPhone({ password: PASSWORD, fields: { name: '钱七', idType: 'resident_id', idNumber: '11010519491231002X' } });
  const phone = t.nextPhone();
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const code = await codeFor(agent, phone);
  const refused = await agent.submit('/register/phone', {
    phone,
    code,
    password: PASSWORD,
    name: '钱七',
    idType: 'resident_id',
    idNumber: '11010519491231002X',
  });
  assert.equal(refused.status, 409);
  const summary = summaryOf(refused);
  assert.match(
    summary,
    /<a href="#f-idNumber">证件号码已被注册，查看<\/a><a href="\/help\/duplicate-id" target="_blank" rel="noopener"[^>]*>【解决方法】<\/a>/,
  );
  assert.equal(valueOf(refused, 'f-code'), code, 'the code was not spent: the refusal was about the number');
  assert.equal(valueOf(refused, 'f-idNumber'), '11010519491231002X');
  assert.match(mainOf(refused), /href="\/login"/, 'someone not signed in may sign in to the account that holds the number');
  assertPaired(refused);
  const help = await agent.get('/help/duplicate-id');
  assert.equal(help.status, 200);
  assert.match(help.text, /如果您曾经用此证件号码注册过帐号/);
});

test('证件号码已被注册 while signed in (基本信息): the summary links to 【解决方法】 and no 登录 link is offered', async () => {
  await t.registerPhone({ password: PASSWORD, realName: { name: '孙八', idNumber: '110101199003070011' } });
  const other = await t.registerPhone({ password: PASSWORD });
  const refused = await t.saveRealName(other.agent, { name: '孙八', idNumber: '110101199003070011' });
  assert.equal(refused.status, 409);
  assert.match(summaryOf(refused), /href="\/help\/duplicate-id"[^>]*>【解决方法】</);
  assert.doesNotMatch(mainOf(refused), /href="\/login"/, 'a signed-in person is not sent to sign in');
  assert.match(mainOf(refused), /href="\/recover\/password"/, 'recovering the other account stays offered');
  assert.equal(valueOf(refused, 'f-name'), '孙八');
  assert.equal(valueOf(refused, 'f-idNumber'), '110101199003070011');

  const both = await t.saveRealName(other.agent, { name: '孙', idNumber: BAD_ID });
  assert.equal(both.status, 400);
  assert.deepEqual(
    summaryLinks(both).map(([href]) => href),
    ['#f-name', '#f-idNumber'],
    'a short name and a wrong number, at once',
  );
  assertPaired(both);
});

test('登录 with both fields empty names both; a wrong password keeps the username in a summary', async () => {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  const empty = await agent.submit('/login', { username: '', password: '' }, { from: '/login' });
  assert.equal(empty.status, 400);
  assert.deepEqual(summaryLinks(empty), [
    ['#f-username', '请输入用户名'],
    ['#f-password', '请输入密码'],
  ]);
  assertPaired(empty);
  const wrong = await agent.submit('/login', { username: '13800000000', password: 'not it at all' }, { from: '/login' });
  assert.equal(wrong.status, 401);
  assert.equal(textOfId(wrong.body, 'error-summary-title'), '提交未成功，请检查以下内容：');
  assert.match(summaryOf(wrong), /<p class="error-summary-form">用户名或密码错误<\/p>/);
  assert.equal(valueOf(wrong, 'f-username'), '13800000000');
  assert.equal(valueOf(wrong, 'f-password'), '');
});

test('a refused change of phone keeps the good code in its field and links the summary to it', async () => {
  const person = await t.registerPhone({ password: PASSWORD });
  const taken = await t.registerPhone({ password: PASSWORD });
  const phone = t.nextPhone();
  const sent = await person.agent.submit('/account/phone/code', { phone }, { from: '/account/phone' });
  assert.equal(sent.status, 200, sent.text);
  const code = codeIn((await t.latestMessageTo(phone))!.text);
  const wrong = code === '000000' ? '111111' : '000000';
  const refused = await person.agent.submit('/account/phone', { phone, code: wrong });
  assert.equal(refused.status, 400);
  assert.deepEqual(
    summaryLinks(refused).map(([href]) => href),
    ['#change-phone-code'],
  );
  assertPaired(refused);
  assert.equal(valueOf(refused, 'change-phone-code'), '');
  assert.equal(valueOf(refused, 'f-phone'), phone);
  // A number someone else holds is refused before any code counts: the typed code stays.
  const other = await person.agent.submit('/account/phone', { phone: taken.phone, code });
  assert.ok(other.status >= 400 && other.status < 500, String(other.status));
  assert.deepEqual(
    summaryLinks(other).map(([href]) => href),
    ['#f-phone'],
  );
  assert.equal(valueOf(other, 'change-phone-code'), code);
  assert.equal(valueOf(other, 'f-phone'), taken.phone);
  // And the code still works for the number it was sent to.
  const done = await person.agent.submit('/account/phone', { phone, code });
  assert.equal(done.status, 303, done.text);
});

test('the console: its sign-in lists the error at the top; the TOTP field is sized and typed for six digits', async () => {
  const staff = await createStaff(t, 'forms.staff', ['support']);
  const agent = new Agent(t.app, { ip: '192.0.2.91' });
  await agent.get('/console/login');
  const wrong = await agent.submit('/console/login', { username: 'forms.staff', password: 'not the password' });
  assert.equal(wrong.status, 401);
  assert.match(summaryOf(wrong), /<p class="error-summary-form">工号或密码错误<\/p>/);
  assert.equal(valueOf(wrong, 'f-username'), 'forms.staff');
  assert.match(wrong.body, /<script src="\/static\/app\.js" defer><\/script>/, 'the console loads what moves the focus to the summary');

  await agent.get('/console/login');
  assert.equal((await agent.submit('/console/login', { username: 'forms.staff', password: staff.password })).status, 303);
  const enrol = await agent.get('/console/enrol');
  const input = tagWithId(enrol.body, 'f-code');
  assert.equal(attr(input, 'inputmode'), 'numeric');
  assert.equal(attr(input, 'autocomplete'), 'one-time-code');
  assert.equal(attr(input, 'maxlength'), '6');
  assert.equal(attr(input, 'class'), 'code-6');
  const refused = await agent.submit('/console/enrol', { code: '12' });
  assert.equal(refused.status, 400);
  assert.deepEqual(
    summaryLinks(refused).map(([href]) => href),
    ['#f-code'],
  );
  assertPaired(refused);
});

test('途径4: the missing tick and the empty record fields at once, in the page’s order, with what was typed kept and nothing counted', async () => {
  const number = '11010119880808001';
  const idNumber = `${number}${mod11_2(number)}`;
  await t.registerPhone({ password: PASSWORD, fields: { name: '冯二', idType: 'resident_id', idNumber } });
  const claimant = await t.registerPhone({ password: PASSWORD, fields: { name: '冯二', idType: 'resident_id', idNumber, reRegister: '1' } });
  await claimant.agent.get('/account/resolution/records');
  const refused = await claimant.agent.submit('/account/resolution/records', {
    kind: 'enrolment',
    school: '北京大学',
    number: '',
    year: 'abc',
    level: 'bachelor',
  });
  assert.equal(refused.status, 400);
  assert.deepEqual(
    summaryLinks(refused).map(([href]) => href),
    ['#f-number', '#f-year', '#f-acknowledge'],
  );
  assertPaired(refused);
  assert.equal(valueOf(refused, 'f-school'), '北京大学');
  assert.equal(valueOf(refused, 'f-year'), 'abc');
  assert.match(refused.text, /已请求 0 次/, 'a form refused for its fields is no try');

  const ticked = await claimant.agent.submit('/account/resolution/records', {
    kind: 'enrolment',
    school: '',
    number: '1',
    year: '2015',
    level: 'bachelor',
    acknowledge: '1',
  });
  assert.equal(ticked.status, 400);
  assert.match(tagWithId(ticked.body, 'f-acknowledge') ?? '', /\schecked/, 'the tick stays ticked');
});

test('修改密码 shows every field problem of one submission at once', async () => {
  const t = await getTestInstance();
  try {
    const person = await t.registerPhone();
    await person.agent.get('/account/password');
    const page = await person.agent.submit('/account/password', { currentPassword: 'not it', password: 'short', password2: 'different' });
    assert.equal(page.status, 400);
    assert.match(page.body, /href="#f-password"/, 'the new password is too short');
    assert.match(page.body, /href="#f-password2"/, 'and the two do not match');
  } finally {
    await t.close();
  }
});

test('找回用户名 reports a malformed ID number and a wrong captcha together', async () => {
  const t = await getTestInstance({ services: { drawCaptcha: knownCaptcha('k7Pq') } });
  try {
    const agent = new Agent(t.app, { ip: '198.51.100.91' });
    const form = await agent.get('/recover/username');
    const captchaId = /name="captchaId" value="([^"]+)"/.exec(form.body)![1]!;
    const page = await agent.submit('/recover/username', { name: '王小明', idType: 'resident_id', idNumber: '123', captchaId, captcha: 'wrong' });
    assert.equal(page.status, 400);
    assert.match(page.body, /href="#f-idNumber"/);
    assert.match(page.body, /href="#[^"]*captcha[^"]*"/);
  } finally {
    await t.close();
  }
});
