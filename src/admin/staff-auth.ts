// Staff sign-in: password (argon2id), then a second factor: a TOTP code, or one of ten single-use
// recovery codes. A staff member without TOTP enrols first (QR code, confirm a code, recovery
// codes shown once). Every step gets a new session token; the full session is short (idle 15
// minutes, at most 8 hours) and ends when the staff account is suspended.
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { HOUR, MINUTE } from '../lib/clock.ts';
import type { PasswordHasher } from '../lib/passwords.ts';
import type { RateLimits } from '../security/rate-limits.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import { openBytes, sealBytes, resealAll } from '../lib/field-crypto.ts';
import { hmacSha256, randomToken } from '../lib/crypto.ts';
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { StaffRole, StaffSessionStage } from '../db/schema.ts';
import { base32, matchTotp, newTotpSecret, otpauthUri } from '../lib/totp.ts';
import { canonicalRecoveryCode, newRecoveryCodes } from '../lib/recovery-codes.ts';
import { passwordProblem } from '../accounts/rules.ts';
import * as q from './staff-queries.ts';

export interface StaffDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  limits: RateLimits;
  keys: FieldKeys;
  /** Keys session-token hashes and recovery-code hashes. */
  sessionKey: Buffer;
  codeKey: Buffer;
}

export const STAFF_IDLE_MS = 15 * MINUTE;
export const STAFF_ABSOLUTE_MS = 8 * HOUR;
/** Between the password and the second factor (or enrolment). */
const HALFWAY_MS = 10 * MINUTE;
const RECOVERY_CODES = 10;

export interface StaffSession {
  sessionId: string;
  stage: StaffSessionStage;
  staffId: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  /** The password was set by an administrator: nothing but changing it until it is changed. */
  mustChangePassword: boolean;
}

/** Who acts in the console, as the audit trail records them. */
export interface StaffActor {
  username: string;
  ip: string | null;
}

export interface Meta {
  ip: string;
  userAgent: string | null;
}

const tokenHash = (deps: Pick<StaffDeps, 'sessionKey'>, token: string) => hmacSha256(deps.sessionKey, `staff:${token}`);
const recoveryHash = (deps: Pick<StaffDeps, 'codeKey'>, staffId: string, code: string) =>
  hmacSha256(deps.codeKey, `staff-recovery:${staffId}:${canonicalRecoveryCode(code)}`);
export const totpAad = (staffId: string) => `staff-totp:${staffId}`;

async function newSession(deps: StaffDeps, staffId: string, stage: StaffSessionStage, meta: Meta) {
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + (stage === 'full' ? STAFF_ABSOLUTE_MS : HALFWAY_MS));
  const id = await q.insertStaffSession(deps.db, {
    tokenHash: tokenHash(deps, token),
    staffId,
    stage,
    now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, id, expiresAt };
}

/**
 * Spends one try before a guess is checked (and the caller gives it back when the guess was
 * right): a burst of parallel guesses is counted as it arrives, so none of it outruns the limit.
 */
async function spendTry(
  deps: StaffDeps,
  name: 'staffSignInFailuresPerIp' | 'staffSignInFailuresPerUser' | 'staffSecondFactorFailures' | 'staffPasswordChangeFailures',
  key: string,
): Promise<void> {
  const tries = await deps.limits.count(name, key);
  const rule = deps.limits.policy[name];
  if (tries > rule.points) throw new RateLimitedError((await deps.limits.retryAfter(name, key)) || (rule.blockSeconds ?? rule.durationSeconds));
}

/**
 * What a staff username looks like. A failed sign-in records the typed name only when it has this
 * shape: someone typing their own phone number or email here does not leave it in the audit log.
 */
export const STAFF_USERNAME = /^[a-z][a-z0-9._-]{2,31}$/;

/** Step one. The answer is the same for an unknown username and a wrong password, after the same work. */
export async function signInWithPassword(deps: StaffDeps, username: string, password: string, meta: Meta) {
  // Per username *and* IP: someone elsewhere guessing cannot lock a member out of their own desk
  // (the password is only half of a sign-in; the TOTP code is limited per member).
  const userKey = `${username}|${meta.ip}`;
  await spendTry(deps, 'staffSignInFailuresPerIp', meta.ip);
  try {
    await spendTry(deps, 'staffSignInFailuresPerUser', userKey);
  } catch (error) {
    // Refused without a check: the IP's try is not spent on it.
    await deps.limits.refund('staffSignInFailuresPerIp', meta.ip);
    throw error;
  }
  const staff = await q.findStaffByUsername(deps.db, username);
  const ok = staff ? await deps.hasher.verify(staff.password_hash, password) : (await deps.hasher.verifyDummy(password), false);
  const now = deps.clock.now();
  if (!staff || !ok) {
    await recordAudit(deps.db, {
      action: 'staff.sign_in_failed',
      actor: { kind: 'anonymous' },
      ip: meta.ip,
      detail: { username: STAFF_USERNAME.test(username) ? username : '(not a staff username)' },
      at: now,
    });
    throw new AppError('console.login_failed', { status: 401 });
  }
  if (staff.state !== 'active') throw new AppError('console.staff_suspended', { status: 403 });
  await deps.limits.refund('staffSignInFailuresPerIp', meta.ip);
  await deps.limits.refund('staffSignInFailuresPerUser', userKey);
  const session = await newSession(deps, staff.id, staff.totp_enrolled_at ? 'second_factor' : 'enrol', meta);
  await recordAudit(deps.db, { action: 'staff.password_accepted', actor: { kind: 'staff', id: staff.username }, ip: meta.ip, at: now });
  return session;
}

/** The session behind a token, if live; an idle, expired or suspended one is nothing. */
export async function resolveStaffSession(deps: StaffDeps, token: string): Promise<StaffSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await q.findLiveStaffSession(deps.db, tokenHash(deps, token));
  if (!row || row.state !== 'active') return undefined;
  const now = deps.clock.now().getTime();
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + STAFF_IDLE_MS <= now) return undefined;
  if (now - row.last_seen_at.getTime() > 30_000) await q.touchStaffSession(deps.db, row.id, new Date(now));
  return {
    sessionId: row.id,
    stage: row.stage,
    staffId: row.staff_id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles,
    mustChangePassword: row.must_change_password,
  };
}

/** The half-way session ends (and any pending secret with it); a full one with a new token begins. */
async function upgrade(deps: StaffDeps, session: StaffSession, meta: Meta) {
  await q.revokeStaffSession(deps.db, session.sessionId, deps.clock.now());
  return newSession(deps, session.staffId, 'full', meta);
}

async function guardSecondFactor(deps: StaffDeps, staffId: string): Promise<void> {
  await spendTry(deps, 'staffSecondFactorFailures', staffId);
}

async function secondFactorFailed(deps: StaffDeps, session: StaffSession, meta: Meta): Promise<never> {
  await recordAudit(deps.db, { action: 'staff.second_factor_failed', actor: { kind: 'staff', id: session.username }, ip: meta.ip, at: deps.clock.now() });
  throw new AppError('console.code_wrong', { field: 'code' });
}

/** Step two: a TOTP code (6 digits) or a recovery code. */
export async function completeSecondFactor(deps: StaffDeps, session: StaffSession, typed: string, meta: Meta) {
  if (session.stage !== 'second_factor') throw new AppError('console.step_expired', { status: 409 });
  await guardSecondFactor(deps, session.staffId);
  const staff = await q.findStaffById(deps.db, session.staffId);
  if (!staff?.totp_cipher || !staff.totp_key_id) throw new AppError('console.step_expired', { status: 409 });
  const now = deps.clock.now();
  const code = typed.trim();
  let method: 'totp' | 'recovery_code';
  if (/^\d{3}\s?\d{3}$/.test(code)) {
    const secret = openBytes(deps.keys, { keyId: staff.totp_key_id, data: Buffer.from(staff.totp_cipher) }, totpAad(staff.id));
    const step = matchTotp(secret, code, now, staff.totp_last_step === null ? null : Number(staff.totp_last_step));
    if (step === undefined || !(await q.advanceTotpStep(deps.db, staff.id, step))) return secondFactorFailed(deps, session, meta);
    method = 'totp';
  } else {
    if (!(await q.useRecoveryCode(deps.db, staff.id, recoveryHash(deps, staff.id, code), now))) return secondFactorFailed(deps, session, meta);
    method = 'recovery_code';
  }
  await deps.limits.reset('staffSecondFactorFailures', staff.id);
  const full = await upgrade(deps, session, meta);
  await recordAudit(deps.db, { action: 'staff.signed_in', actor: { kind: 'staff', id: staff.username }, ip: meta.ip, detail: { method }, at: now });
  return { ...full, recoveryCodesLeft: await q.unusedRecoveryCodes(deps.db, staff.id) };
}

/** The secret being enrolled in this session (made on first sight), for the QR code. */
/** The secret this enrolment session holds, if it has made one yet. */
async function pendingSecretOf(deps: StaffDeps, session: StaffSession): Promise<Buffer | undefined> {
  const row = await q.pendingTotpOf(deps.db, session.sessionId);
  return row?.pending_totp_cipher && row.pending_totp_key_id
    ? openBytes(deps.keys, { keyId: row.pending_totp_key_id, data: Buffer.from(row.pending_totp_cipher) }, `${totpAad(session.staffId)}:pending`)
    : undefined;
}

export async function enrolmentSecret(deps: StaffDeps, session: StaffSession, issuer: string): Promise<{ uri: string; secret: string }> {
  if (session.stage !== 'enrol') throw new AppError('console.step_expired', { status: 409 });
  let secret = await pendingSecretOf(deps, session);
  if (!secret) {
    secret = newTotpSecret();
    await q.setPendingTotp(deps.db, session.sessionId, sealBytes(deps.keys, secret, `${totpAad(session.staffId)}:pending`));
  }
  return {
    uri: otpauthUri(issuer, session.username, secret),
    secret: base32(secret)
      .replace(/(.{4})/g, '$1 ')
      .trim(),
  };
}

/** Confirms the enrolment with a code from the app; returns the recovery codes, shown once. */
export async function completeEnrolment(deps: StaffDeps, session: StaffSession, typed: string, meta: Meta) {
  if (session.stage !== 'enrol') throw new AppError('console.step_expired', { status: 409 });
  await guardSecondFactor(deps, session.staffId);
  const secret = await pendingSecretOf(deps, session);
  if (!secret) throw new AppError('console.step_expired', { status: 409 });
  const now = deps.clock.now();
  const step = matchTotp(secret, typed, now, null);
  if (step === undefined) return secondFactorFailed(deps, session, meta);
  const codes = newRecoveryCodes(RECOVERY_CODES);
  await deps.db.transaction().execute(async (tx) => {
    // Only an account without an authenticator enrols: a second enrolment started in parallel
    // (someone else with the password) cannot replace the one that finished first.
    if (!(await q.enrolStaffTotp(tx, session.staffId, sealBytes(deps.keys, secret, totpAad(session.staffId)), now, step)))
      throw new AppError('console.step_expired', { status: 409 });
    await q.replaceRecoveryCodes(
      tx,
      session.staffId,
      codes.map((c) => recoveryHash(deps, session.staffId, c)),
      now,
    );
    // Every other sign-in still half way (enrolling, or waiting for a code) ends with it.
    await q.revokeHalfwayStaffSessions(tx, session.staffId, now);
    await recordAudit(tx, { action: 'staff.totp_enrolled', actor: { kind: 'staff', id: session.username }, ip: meta.ip, at: now });
  });
  await deps.limits.reset('staffSecondFactorFailures', session.staffId);
  const full = await upgrade(deps, session, meta);
  return { ...full, recoveryCodes: codes };
}

export async function signOutStaff(deps: StaffDeps, session: StaffSession, meta: Meta): Promise<void> {
  await q.revokeStaffSession(deps.db, session.sessionId, deps.clock.now());
  await recordAudit(deps.db, { action: 'staff.signed_out', actor: { kind: 'staff', id: session.username }, ip: meta.ip, at: deps.clock.now() });
}

/** Staff change their own password (the first one came from an administrator); other sessions end. */
export async function changeStaffPassword(deps: StaffDeps, session: StaffSession, current: string, next: string, meta: Meta): Promise<void> {
  // Its own counter, per member: failed sign-ins by others never block changing one's password.
  await spendTry(deps, 'staffPasswordChangeFailures', session.staffId);
  const staff = await q.findStaffById(deps.db, session.staffId);
  if (!staff || !(await deps.hasher.verify(staff.password_hash, current))) throw new AppError('settings.password_wrong', { field: 'current' });
  await deps.limits.refund('staffPasswordChangeFailures', session.staffId);
  if ([...next].length < STAFF_PASSWORD_MIN) throw new AppError('console.password_short', { field: 'password', params: { min: STAFF_PASSWORD_MIN } });
  const problem = passwordProblem(next, staff.username);
  if (problem) throw new AppError(problem, { field: 'password' });
  if (await deps.hasher.verify(staff.password_hash, next)) throw new AppError('settings.password_same', { field: 'password' });
  const hash = await deps.hasher.hash(next);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await q.setStaffPassword(tx, staff.id, hash, false, now);
    await q.endOtherStaffSessions(tx, staff.id, session.sessionId, now);
    await recordAudit(tx, { action: 'staff.password_changed', actor: { kind: 'staff', id: staff.username }, ip: meta.ip, at: now });
  });
}

/** Staff passwords are longer than people's: they open everyone's data. */
export const STAFF_PASSWORD_MIN = 12;

/** `tongxing keys rotate`: staff TOTP secrets sealed under an older key, re-sealed under the active one. */
export async function rotateTotpKeys(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = (await q.totpSecretsUnderOtherKeys(deps.db, deps.keys.activeKeyId)).flatMap((r) =>
    r.totp_key_id && r.totp_cipher ? [{ id: r.id, keyId: r.totp_key_id, cipher: r.totp_cipher }] : [],
  );
  return resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.keyId, data: r.cipher }, aad: totpAad(r.id) }),
    (r, sealed, oldKeyId) => q.replaceTotpCipher(deps.db, r.id, oldKeyId, sealed.keyId, sealed.data),
  );
}
