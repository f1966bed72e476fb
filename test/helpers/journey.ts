// What the browser journeys (test/e2e/*-journeys.test.ts) share: the served app and the one
// Chromium of a file, started together with the per-IP limits raised; distinct phone numbers per
// file; the dev outbox and the JSON API over HTTP; and the page steps every journey takes
// (submitting a form, following a link, signing in, registering). What belongs to one file's
// journeys stays in that file.
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { getServedInstance, launchBrowser, type ServedInstance, type ServedOptions } from './browser.ts';
import { checkLandedPage } from './page-checks.ts';
import { codeIn } from './agent.ts';
import type { OutboxMessage } from './people.ts';
import { defaultLimitPolicy, type LimitPolicy } from '../../src/security/rate-limits.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

// ---------------------------------------------------------------------------------------------
// The app and the browser of a test file

/**
 * Every browser context and every API call of a journey file comes from 127.0.0.1: a browser
 * cannot pretend to be on another network. The per-IP limits on codes and registrations would
 * then count the whole file as one person; raise them so adding journeys cannot trip them.
 */
export const journeyLimits: Partial<LimitPolicy> = {
  codesPerIp: { ...defaultLimitPolicy.codesPerIp, points: 1_000 },
  registrationsPerIp: { ...defaultLimitPolicy.registrationsPerIp, points: 1_000 },
  emailRegistrationsPerIp: { ...defaultLimitPolicy.emailRegistrationsPerIp, points: 1_000 },
};

export interface Journeys {
  t: ServedInstance;
  browser: Browser;
}

/**
 * In before(): the served app (with journeyLimits, then `options.limits`) and Chromium, started
 * at once, then the app's worker. If one fails the other is closed before the error is thrown
 * (a listening server left open would keep the test process alive).
 */
export async function startJourneys(options: ServedOptions = {}): Promise<Journeys> {
  const [served, launched] = await Promise.allSettled([getServedInstance({ ...options, limits: { ...journeyLimits, ...options.limits } }), launchBrowser()]);
  if (served.status === 'rejected' || launched.status === 'rejected') {
    if (launched.status === 'fulfilled') await launched.value.close();
    if (served.status === 'fulfilled') await served.value.close();
    throw launched.status === 'rejected' ? launched.reason : (served as PromiseRejectedResult).reason;
  }
  served.value.worker.start();
  return { t: served.value, browser: launched.value };
}

/** In after(): closes what startJourneys started (either may be missing after a failed start). */
export async function closeJourneys(journeys: Partial<Journeys>): Promise<void> {
  await journeys.browser?.close();
  await journeys.t?.close();
}

// ---------------------------------------------------------------------------------------------
// Test data

/**
 * A generator of distinct, valid mainland mobile numbers (1[3-9] + 9 digits): `prefix` (three
 * digits) and the last eight digits of start + n·step. Give each file its own prefix and start so
 * the files never make the same number.
 */
export function phoneSequence(prefix: string, start: number, step: number): () => string {
  let n = 0;
  return () => `${prefix}${String(start + ++n * step).slice(-8)}`;
}

/** A phone number as the pages show it: 138****1234. */
export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/** Escapes a literal for a RegExp (masked contacts hold * and .). */
export const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** A resident ID number from its 17-digit body (region + YYYYMMDD + sequence) and its check character. */
export const residentId = (body17: string) => `${body17}${mod11_2(body17)}`;

// ---------------------------------------------------------------------------------------------
// Over HTTP, as a developer or an API client would

export type { OutboxMessage } from './people.ts';

/** The newest dev-outbox message to `to`, read over HTTP as a developer would. */
export async function latestMessageTo(baseURL: string, to: string): Promise<OutboxMessage> {
  const res = await fetch(`${baseURL}/dev/outbox.json`);
  assert.equal(res.status, 200);
  const message = ((await res.json()) as OutboxMessage[]).find((m) => m.to === to);
  assert.ok(message, `a message to ${to} in the dev outbox`);
  return message;
}

export async function postJson(baseURL: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export interface PhoneAccount {
  phone: string;
  accountId: string;
}

/**
 * An active phone account made through the JSON API: the code from the outbox, then the
 * registration; `extra` joins its body (e.g. name, idType, idNumber, reRegister).
 */
export async function registerPhoneAccount(baseURL: string, phone: string, password: string, extra: object = {}): Promise<PhoneAccount> {
  const sent = await postJson(baseURL, '/api/v1/registrations/phone/code', { phone });
  assert.equal(sent.status, 200, await sent.clone().text());
  const code = codeIn((await latestMessageTo(baseURL, phone)).text);
  const done = await postJson(baseURL, '/api/v1/registrations/phone', {
    phone,
    code,
    password,
    agree: true,
    ...('idNumber' in extra ? { agreeSensitive: true } : {}),
    ...extra,
  });
  assert.equal(done.status, 201, await done.clone().text());
  const { accountId } = (await done.json()) as { accountId: string };
  return { phone, accountId };
}

/**
 * The activation link in a mail's text, pointed at the server under test: the mail points at
 * PUBLIC_URL; the server under test listens on another port.
 */
export function activationLinkIn(mailText: string, baseURL: string): string {
  const link = /http:\/\/127\.0\.0\.1:\d+\/activate\?token=[\w-]+/.exec(mailText)?.[0];
  assert.ok(link, `an activation link in: ${mailText}`);
  const url = new URL(link);
  return `${baseURL}${url.pathname}${url.search}`;
}

// ---------------------------------------------------------------------------------------------
// On the pages

/**
 * Clicks a submit button and waits for the page that answers (also when the URL stays the
 * same), then checks that page (page-checks.ts). Answers the HTTP status of the form's own
 * response (303 when it redirected).
 */
export async function submitWith(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.waitForEvent('load'),
    button.click(),
  ]);
  await checkLandedPage(page);
  return response.status();
}

/** Follows a link, waits for the page it opens and checks it (page-checks.ts). */
export async function follow(page: Page, link: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), link.click()]);
  await checkLandedPage(page);
}

export const path = (page: Page) => new URL(page.url()).pathname;
export const mainText = (page: Page) => page.locator('main').innerText();
export const textOf = async (locator: Locator) => (await locator.innerText()).trim();

/** /login: types the username and the password and presses 登录. Answers the form's status. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<number> {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  return submitWith(page, page.locator('#login-submit'));
}

/** Signs in on /login and checks that it redirected to the account home. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  assert.equal(await submitSignIn(page, username, password), 303, `signed in as ${username}`);
  assert.equal(path(page), '/account', `signed in as ${username}`);
}

/** The code and the password twice on /register/phone, and the tick 我已阅读并同意《用户协议》《个人信息保护政策》. */
export async function fillCodeAndPasswords(page: Page, code: string, password: string): Promise<void> {
  await page.locator('input[name=code]').fill(code);
  await page.locator('input[name=password]').fill(password);
  await page.locator('input[name=password2]').fill(password);
  await page.locator('#f-agree').check();
}

/** Name, 居民身份证 and the number, in a real-name fieldset or the 基本信息 form, with the number's own consent ticked where asked (a look-up such as 找回用户名 asks none). */
export async function fillRealName(scope: Locator, name: string, idNumber: string): Promise<void> {
  await scope.locator('input[name=name]').fill(name);
  await scope.locator('select[name=idType]').selectOption('resident_id');
  await scope.locator('input[name=idNumber]').fill(idNumber);
  const consent = scope.locator('input[name=agreeSensitive]');
  if (await consent.count()) await consent.check();
}

/** /register/email: types the address and the password twice and submits. Answers the form's status. */
export async function submitEmailRegistration(page: Page, email: string, password: string): Promise<number> {
  await page.goto('/register/email');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('input[name=password2]').fill(password);
  await page.locator('#f-agree').check();
  return submitWith(page, page.locator('#register-submit'));
}

/** /register/email on the pages, the activation link from the dev outbox, then signed in. */
export async function registerByEmailAndSignIn(page: Page, baseURL: string, email: string, password: string): Promise<void> {
  assert.equal(await submitEmailRegistration(page, email, password), 200);
  assert.match(await mainText(page), /激活邮件已发送/);

  const mail = await latestMessageTo(baseURL, email);
  assert.equal(mail.channel, 'email');
  await page.goto(activationLinkIn(mail.text, baseURL));
  await completeActivation(page, password);
}

/** On the activation page: types the password and activates, which also signs in. */
export async function completeActivation(page: Page, password: string): Promise<void> {
  assert.match(await mainText(page), /请输入登录密码完成激活/);
  await page.locator('#activate-form input[name=password]').fill(password);
  assert.equal(await submitWith(page, page.locator('#activate-submit')), 303);
  assert.equal(path(page), '/account');
  assert.match(await mainText(page), /已激活，帐号可以正常使用了/);
}

// ---------------------------------------------------------------------------------------------
// Messages that leave later (recovery messages wait for the worker's next poll)

/** The ids of the dev-outbox messages now: taken before an action, to tell its messages from older ones. */
export async function outboxIds(baseURL: string): Promise<Set<string>> {
  const res = await fetch(`${baseURL}/dev/outbox.json`);
  assert.equal(res.status, 200);
  return new Set(((await res.json()) as OutboxMessage[]).map((m) => m.id));
}

/**
 * Polls the dev outbox until a message to `to` whose text matches `pattern` (and whose id is not
 * in `seen`) is there, and, with `sent`, until the worker has sent it. Several messages written
 * at one instant of the manual clock have no order between them, so the text tells them apart.
 */
export async function waitForMessageTo(
  baseURL: string,
  to: string,
  pattern: RegExp,
  options: { seen?: Set<string>; sent?: boolean; timeoutMs?: number } = {},
): Promise<OutboxMessage & { state: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const res = await fetch(`${baseURL}/dev/outbox.json`);
    assert.equal(res.status, 200);
    const found = ((await res.json()) as Array<OutboxMessage & { state: string }>).find(
      (m) => m.to === to && pattern.test(m.text) && !options.seen?.has(m.id) && (!options.sent || m.state === 'sent'),
    );
    if (found) return found;
    assert.ok(Date.now() < deadline, `a message to ${to} matching ${pattern}${options.sent ? ', sent,' : ''} in the dev outbox`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What waitForMail reads of a test SMTP server (test/helpers/smtp.ts): the mails received so far. */
interface MailInbox<M extends { to: string[]; subject: string }> {
  mails: M[];
}

/** Polls a test SMTP server's mails until one to `to` has a subject matching `subject`. */
export async function waitForMail<M extends { to: string[]; subject: string }>(smtp: MailInbox<M>, to: string, subject: RegExp, timeoutMs = 5_000): Promise<M> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = smtp.mails.find((m) => m.to.includes(to) && subject.test(m.subject));
    if (mail) return mail;
    assert.ok(Date.now() < deadline, `a mail to ${to} with a subject matching ${subject} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A link to `pathname` in a message's text (pointing at PUBLIC_URL), pointed at the server under test. */
export function linkIn(text: string, pathname: string, baseURL: string): string {
  const link = new RegExp(`http://127\\.0\\.0\\.1:\\d+${pathname.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\?[\\w=&-]+`).exec(text)?.[0];
  assert.ok(link, `a link to ${pathname} in: ${text}`);
  const url = new URL(link);
  return `${baseURL}${url.pathname}${url.search}`;
}
