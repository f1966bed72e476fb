// Staff members for tests: made the way `tongxing admin create` makes them, signed in through the
// real console pages (password, TOTP enrolment from the secret the page shows, codes computed as an
// authenticator app computes them).
import assert from 'node:assert/strict';
import type { TestInstance } from './app.ts';
import { Agent } from './agent.ts';
import { createStaffAccount } from '../../src/admin/staff-management.ts';
import { hotp, totpStep } from '../../src/lib/totp.ts';
import type { StaffRole } from '../../src/db/schema.ts';

export interface TestStaff {
  username: string;
  password: string;
  /** Known after the first sign-in (enrolment). */
  secret?: Buffer;
  recoveryCodes?: string[];
}

export async function createStaff(t: TestInstance, username: string, roles: StaffRole[]): Promise<TestStaff> {
  const { password } = await createStaffAccount(t.services.staff, { username, displayName: username, roles }, { username: 'operator', ip: null });
  return { username, password };
}

export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/\s/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator shows now; the clock moves a step first so no code is reused. */
export function currentCode(t: TestInstance, staff: TestStaff): string {
  t.clock.advance(30_000);
  return hotp(staff.secret!, totpStep(t.clock.now()));
}

/** The password a staff member chooses in place of the one an administrator made. */
export const ownPassword = (staff: TestStaff) => `${staff.username} chose this password`;

/** A console session for `staff` (enrolling TOTP and choosing a password on the first sign-in). */
export async function signInStaff(t: TestInstance, staff: TestStaff, ip = '192.0.2.50'): Promise<Agent> {
  const agent = new Agent(t.app, { ip, userAgent: 'staff-browser' });
  await agent.get('/console/login');
  const password = await agent.submit('/console/login', { username: staff.username, password: staff.password });
  assert.equal(password.status, 303, password.text);
  if (!staff.secret) {
    const enrol = await agent.get('/console/enrol');
    assert.equal(enrol.status, 200, enrol.text);
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)?.[1];
    assert.ok(secret, 'the enrolment page shows the key');
    staff.secret = base32Decode(secret);
    const done = await agent.submit('/console/enrol', { code: currentCode(t, staff) });
    assert.equal(done.status, 200, done.text);
    staff.recoveryCodes = [...done.body.matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((m) => m[1]!);
    assert.equal(staff.recoveryCodes.length, 10);
    // The administrator's password opens nothing but the page that replaces it.
    const held = await agent.get('/console');
    assert.equal(held.location, '/console/password');
    await agent.get('/console/password');
    const mine = ownPassword(staff);
    const changed = await agent.submit('/console/password', { current: staff.password, password: mine, password2: mine });
    assert.equal(changed.status, 303, changed.text);
    staff.password = mine;
    return agent;
  }
  await agent.get('/console/login/code');
  const code = await agent.submit('/console/login/code', { code: currentCode(t, staff) });
  assert.equal(code.status, 303, code.text);
  return agent;
}
