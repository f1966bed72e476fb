// Recovery must not tell a stranger who is registered: for registered and unregistered phones,
// emails and ID numbers, 找回密码 and 找回用户名 answer with the same status and the same page
// (apart from per-request tokens), and their median times differ by under 5 ms over hundreds of
// tries, interleaved so that both see the same machine. @test-alone: npm test runs this file by
// itself, after the others, so no other file's load skews the times.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent, type Page } from '../helpers/agent.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const CAPTCHA = 'm8Kp';
const plenty = { points: 1_000_000, durationSeconds: 3600 };
let t: TestInstance;
before(async () => {
  t = await getTestInstance({
    services: { drawCaptcha: knownCaptcha(CAPTCHA) },
    // Limits apply to every username alike (they are keyed on what was typed); lifted here so
    // that hundreds of tries measure the work, not the limiter.
    limits: {
      registrationsPerIp: plenty,
      codesPerIp: plenty,
      codesGlobal: plenty,
      codeResendPerTarget: plenty,
      codesPerTargetDaily: plenty,
      recoveryPerIp: plenty,
      usernameRemindersPerId: plenty,
      codeGuessesPerIp: plenty,
      captchasPerIp: plenty,
    },
  });
  await registerBoth();
});
after(() => t.close());

const TRIES = 120;
const id = (seq: number) => {
  const body = `32010219850612${seq}`;
  return `${body}${mod11_2(body)}`;
};
const REGISTERED_ID = id(301);
const UNREGISTERED_ID = id(302);
const REGISTERED_PHONE = '13912345670';
const UNREGISTERED_PHONE = '13912345671';
const REGISTERED_EMAIL = 'registered@example.edu.cn';
const UNREGISTERED_EMAIL = 'nobody@example.edu.cn';

async function registerBoth() {
  await t.registerPhone({ phone: REGISTERED_PHONE, realName: { name: '周八', idNumber: REGISTERED_ID } });
  await t.registerEmail(REGISTERED_EMAIL);
}

/** The page without what differs on every request (CSRF token, captcha, the request's secret). */
const comparable = (page: Page) =>
  page.body
    .replace(/name="(_csrf|captchaId|flow)" value="[^"]*"/g, 'name="$1" value=""')
    .replace(/src="data:image\/png;base64,[^"]*"/g, 'src=""')
    .replace(/challenge="[^"]*"/g, 'challenge=""');

async function timed(agent: Agent, from: string, action: string, fields: Record<string, string>) {
  const form = await agent.get(from);
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(form.body)![1]!;
  const started = process.hrtime.bigint();
  const page = await agent.submit(action, { ...fields, captchaId, captcha: CAPTCHA });
  return { page, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Runs both inputs TRIES times, alternating, and checks pages and median times. */
async function assertIndistinguishable(label: string, from: string, action: string, registered: Record<string, string>, unregistered: Record<string, string>) {
  const agent = new Agent(t.app, { ip: '198.51.100.9' });
  // Warm up both paths (compiled queries, caches) before measuring.
  for (let i = 0; i < 10; i++) {
    await timed(agent, from, action, registered);
    await timed(agent, from, action, unregistered);
  }
  const times = { registered: [] as number[], unregistered: [] as number[] };
  let pages: { registered?: Page; unregistered?: Page } = {};
  for (let i = 0; i < TRIES; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order = i % 2 === 0 ? (['registered', 'unregistered'] as const) : (['unregistered', 'registered'] as const);
    for (const which of order) {
      const { page, ms } = await timed(agent, from, action, which === 'registered' ? registered : unregistered);
      times[which].push(ms);
      pages = { ...pages, [which]: page };
    }
  }
  assert.equal(pages.registered!.status, 200, `${label}: ${pages.registered!.text}`);
  assert.equal(pages.registered!.status, pages.unregistered!.status, `${label}: same status`);
  assert.equal(comparable(pages.registered!), comparable(pages.unregistered!), `${label}: same page`);
  const gap = Math.abs(median(times.registered) - median(times.unregistered));
  assert.ok(gap < 5, `${label}: medians ${median(times.registered).toFixed(2)} ms vs ${median(times.unregistered).toFixed(2)} ms`);
  return pages;
}

test('找回密码 by phone number: registered and unregistered read and time the same', async () => {
  const pages = await assertIndistinguishable(
    'phone',
    '/recover/password',
    '/recover/password',
    { username: REGISTERED_PHONE },
    { username: UNREGISTERED_PHONE },
  );
  // And a wrong code answers the same on both requests.
  const agent = new Agent(t.app, { ip: '198.51.100.10' });
  const flow = (p: Page) => /name="flow" value="([^"]+)"/.exec(p.body)![1]!;
  const wrongOnRegistered = await agent.submit(
    '/recover/password/code',
    { flow: flow(pages.registered!), kind: 'phone', code: '000000' },
    { from: '/recover/password' },
  );
  const wrongOnUnregistered = await agent.submit(
    '/recover/password/code',
    { flow: flow(pages.unregistered!), kind: 'phone', code: '000000' },
    { from: '/recover/password' },
  );
  assert.equal(wrongOnRegistered.status, wrongOnUnregistered.status);
  assert.equal(comparable(wrongOnRegistered), comparable(wrongOnUnregistered));
});

test('找回密码 by email address: registered and unregistered read and time the same', async () => {
  await assertIndistinguishable('email', '/recover/password', '/recover/password', { username: REGISTERED_EMAIL }, { username: UNREGISTERED_EMAIL });
});

test('找回密码 by ID number: registered and unregistered read and time the same', async () => {
  await assertIndistinguishable('id', '/recover/password', '/recover/password', { username: REGISTERED_ID }, { username: UNREGISTERED_ID });
});

test('找回用户名: a registered and an unregistered name and ID number read and time the same', async () => {
  await assertIndistinguishable(
    'username',
    '/recover/username',
    '/recover/username',
    { name: '周八', idType: 'resident_id', idNumber: REGISTERED_ID },
    { name: '周八', idType: 'resident_id', idNumber: UNREGISTERED_ID },
  );
});
