// The staff console in a real browser, as a staff member uses it: the password on /console/login,
// then the authenticator — enrolled the first time from the key beside the QR code on
// /console/enrol (the recovery codes page follows), a code typed on /console/login/code later.
// Codes are computed from that key at the app's manual clock, as an authenticator app computes
// them (test/helpers/staff.ts moves the clock a step first so no code is reused).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestInstance } from './app.ts';
import { base32Decode, currentCode, ownPassword, type TestStaff } from './staff.ts';
import { follow, path, submitWith, textOf } from './journey.ts';

/** /console/login: types the username and the password and presses 登录. Answers the form's status. */
export async function submitConsolePassword(page: Page, staff: TestStaff): Promise<number> {
  await page.goto('/console/login');
  await page.locator('#f-username').fill(staff.username);
  await page.locator('#f-password').fill(staff.password);
  return submitWith(page, page.locator('#staff-login-submit'));
}

/** The key the enrolment page shows beside its QR code, e.g. "ABCD EFGH …". */
export const enrolmentKey = async (page: Page) => textOf(page.locator('#totp-secret'));

/**
 * On /console/enrol: reads the key, types the code an authenticator app shows for it and presses
 * 验证. Keeps the key and the recovery codes the next page shows on `staff`. Answers the status.
 */
export async function enrolOnPage(page: Page, t: TestInstance, staff: TestStaff): Promise<number> {
  assert.equal(path(page), '/console/enrol');
  staff.secret = base32Decode(await enrolmentKey(page));
  await page.locator('#f-code').fill(currentCode(t, staff));
  const status = await submitWith(page, page.locator('#staff-enrol-submit'));
  if (status === 200) staff.recoveryCodes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim());
  return status;
}

/** On /console/login/code: types a code (from the authenticator, or a recovery code) and presses 验证. */
export async function submitConsoleCode(page: Page, code: string): Promise<number> {
  assert.equal(path(page), '/console/login/code');
  await page.locator('#f-code').fill(code);
  return submitWith(page, page.locator('#staff-code-submit'));
}

/**
 * Signs `staff` in from /console/login, enrolling the authenticator the first time (and going on
 * from the recovery codes page). Returns once the console's overview is shown.
 */
export async function signInConsole(page: Page, t: TestInstance, staff: TestStaff): Promise<void> {
  assert.equal(await submitConsolePassword(page, staff), 303, `${staff.username}'s password accepted`);
  if (!staff.secret) {
    assert.equal(await enrolOnPage(page, t, staff), 200, `${staff.username} enrolled`);
    assert.equal(staff.recoveryCodes?.length, 10, 'ten recovery codes shown');
    await follow(page, page.locator('main a[href="/console"]'));
  } else {
    assert.equal(await submitConsoleCode(page, currentCode(t, staff)), 303, `${staff.username}'s code accepted`);
  }
  if (path(page) === '/console/password') await choosePasswordOnPage(page, staff);
  assert.equal(path(page), '/console', `${staff.username} signed in to the console`);
  assert.equal(await textOf(page.locator('main h1')), '概况');
}

/**
 * The first sign-in (with the password an administrator made) leads to /console/password: the
 * member types it and a password of their own, then goes on to the console.
 */
export async function choosePasswordOnPage(page: Page, staff: TestStaff): Promise<void> {
  assert.match(await textOf(page.locator('main')), /请先设置您自己的密码/);
  const mine = ownPassword(staff);
  await page.locator('#f-current').fill(staff.password);
  await page.locator('#f-password').fill(mine);
  await page.locator('#f-password2').fill(mine);
  assert.equal(await submitWith(page, page.locator('#staff-password-submit')), 303);
  staff.password = mine;
  await page.goto('/console');
}

/** The header's 退出: ends the console session and lands on /console/login. */
export async function signOutConsole(page: Page): Promise<void> {
  assert.equal(await submitWith(page, page.locator('header form[action="/console/logout"] button')), 303);
  assert.equal(path(page), '/console/login');
}

/** The console sections the header offers (not the language switch), as shown. */
export async function consoleSections(page: Page): Promise<string[]> {
  return (await page.locator('header nav > a:not([hreflang])').allInnerTexts()).map((s) => s.trim());
}
