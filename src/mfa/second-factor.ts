// A person's second factor: an authenticator app (TOTP, RFC 6238 in lib/totp.ts, the staff
// console's own) with ten single-use recovery codes. Turning it on, renewing the codes and turning
// it off happen on 帐号管理 › 两步验证 after a fresh sign-in; each change is audited and told to the
// account's proved phone and address, in the transaction that makes it.
//
// The states of an account's authenticator (person_totps):
//   none ──set up──▶ pending (secret shown, enabled_at null) ──code confirmed──▶ on
//   on ──turned off (fresh sign-in + a code) or a removal through recovery falls due──▶ none
// A code is accepted one 30-second step either side of now and never twice (last_step), and a
// recovery code once (used_at). Wrong codes are counted per pending sign-in and per account.
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { MINUTE } from '../lib/clock.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { openBytes, resealAll, sealBytes } from '../lib/field-crypto.ts';
import { canonicalRecoveryCode, newRecoveryCodes } from '../lib/recovery-codes.ts';
import { base32, matchTotp, newTotpSecret, otpauthUri } from '../lib/totp.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import type { NoticeText } from '../notifications/templates/notices.ts';
import type { AuditAction } from '../audit/actions.ts';
import type { MfaDeps } from './deps.ts';
import { recoveryCodesRenewed, secondFactorDisabled, secondFactorEnabled } from './notices.ts';
import { applyDueRemoval } from './removal.ts';
import * as q from './queries.ts';

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = '通行 Tongxing';
/** A secret shown for setting up stays the same this long (reloading the page shows the same QR). */
const SETUP_REUSE_MS = 30 * MINUTE;

export type SecondMethod = 'totp' | 'recovery_code';

export const totpAad = (accountId: string) => `person-totp:${accountId}`;
const recoveryHash = (deps: MfaDeps, accountId: string, code: string) =>
  hmacSha256(deps.verification.codeKey, `person-recovery:${accountId}:${canonicalRecoveryCode(code)}`);

export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  /** The authenticator app is on (otherwise, when enabled, it is the passkey way: passkey-factor.ts). */
  totp: boolean;
  /** Turned on with passkeys alone (no authenticator needed). */
  passkeyWay: boolean;
  recoveryCodesLeft: number;
  /** A removal asked through 找回密码, waiting for its date. */
  removalAt: Date | undefined;
}

export async function secondFactorStatus(deps: MfaDeps, accountId: string): Promise<SecondFactorStatus> {
  await applyDueRemoval(deps, accountId);
  const totp = await q.totpOf(deps.db, accountId);
  const passkeyWay = await q.passkeyFactorOf(deps.db, accountId);
  const since = [totp?.enabled_at, passkeyWay?.enabled_at].filter((d): d is Date => Boolean(d)).sort((a, b) => a.getTime() - b.getTime());
  const enabledAt = since[0] ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    totp: Boolean(totp?.enabled_at),
    passkeyWay: passkeyWay !== undefined,
    recoveryCodesLeft: enabledAt ? await q.unusedRecoveryCodes(deps.db, accountId) : 0,
    removalAt: (await q.openRemoval(deps.db, accountId))?.effective_at,
  };
}

/**
 * Whether a sign-in of this account needs the second step. A removal whose waiting period is
 * over takes effect here first (and in the sweep), so its date holds even between sweeps.
 */
export async function hasSecondFactor(deps: MfaDeps, accountId: string): Promise<boolean> {
  // One statement on every sign-in (issue 20); the rare due removal takes the long way.
  const facts = await q.secondFactorFacts(deps.db, accountId);
  if (!facts.removalAt || facts.removalAt.getTime() > deps.clock.now().getTime()) return facts.on;
  await applyDueRemoval(deps, accountId);
  return q.secondFactorOn(deps.db, accountId);
}

/**
 * 确认密码 on an account with a second factor asks for a code too (ASVS V7.5.1: re-authenticate
 * at the account's level before changing how it is protected): a password and an open session
 * alone must not add a passkey, renew recovery codes or bind a way in. Throws the code's error.
 */
export async function confirmSecondFactor(deps: MfaDeps, accountId: string, typed: string, meta: RequestMeta): Promise<SecondMethod> {
  if (!typed.trim()) throw new AppError('mfa.code_required', { field: 'code' });
  await spendGuess(deps, accountId);
  const method = await deps.db.transaction().execute((tx) => spendSecondFactor(tx, deps, accountId, typed));
  if (!method) return guessFailed(deps, accountId, meta);
  await refundGuess(deps, accountId);
  return method;
}

/** What the set-up page shows: the otpauth:// URI (QR code) and the secret to type by hand. */
export async function beginTotpSetup(deps: MfaDeps, accountId: string): Promise<{ uri: string; secret: string }> {
  const now = deps.clock.now();
  const existing = await q.totpOf(deps.db, accountId);
  if (existing?.enabled_at) throw new AppError('mfa.already_on', { status: 409 });
  let secret: Buffer | undefined;
  if (existing && now.getTime() - existing.created_at.getTime() < SETUP_REUSE_MS) {
    secret = openBytes(deps.identity.keys, { keyId: existing.key_id, data: Buffer.from(existing.cipher) }, totpAad(accountId));
  } else {
    secret = newTotpSecret();
    if (!(await q.putPendingTotp(deps.db, accountId, sealBytes(deps.identity.keys, secret, totpAad(accountId)), now))) {
      throw new AppError('mfa.already_on', { status: 409 });
    }
  }
  return {
    uri: otpauthUri(TOTP_ISSUER, await q.labelOf(deps.db, accountId), secret),
    secret: base32(secret)
      .replace(/(.{4})/g, '$1 ')
      .trim(),
  };
}

/**
 * Spends one guess for the account (and the pending sign-in) before a code is checked; the caller
 * gives it back when the code was right. A burst of parallel guesses is counted as it arrives.
 */
export async function spendGuess(deps: MfaDeps, accountId: string, pendingId?: string): Promise<void> {
  const spend = async (name: 'secondFactorGuessesPerAccount' | 'secondFactorGuessesPerSignIn', key: string) => {
    const tries = await deps.limits.count(name, key);
    const rule = deps.limits.policy[name];
    if (tries > rule.points) {
      if (name === 'secondFactorGuessesPerSignIn') throw new AppError('mfa.too_many_tries', { status: 429 });
      throw new RateLimitedError((await deps.limits.retryAfter(name, key)) || (rule.blockSeconds ?? rule.durationSeconds));
    }
  };
  // The sign-in's own allowance first: a try it refuses is not counted against the account.
  if (pendingId) await spend('secondFactorGuessesPerSignIn', pendingId);
  try {
    await spend('secondFactorGuessesPerAccount', accountId);
  } catch (error) {
    if (pendingId) await deps.limits.refund('secondFactorGuessesPerSignIn', pendingId);
    throw error;
  }
  // The long count of wrong codes in a row: the short windows above reopen, this one does not.
  await deps.limits.consume('secondFactorFailuresInARow', accountId);
}

/** A right code: its guess given back, and the count of wrong ones in a row starts again. */
export async function refundGuess(deps: MfaDeps, accountId: string, pendingId?: string): Promise<void> {
  await deps.limits.refund('secondFactorGuessesPerAccount', accountId);
  await deps.limits.reset('secondFactorFailuresInARow', accountId);
  if (pendingId) await deps.limits.refund('secondFactorGuessesPerSignIn', pendingId);
}

/** Turning the second factor on or off and renewing its codes each tell the contacts: limited per day. */
const spendChange = (deps: MfaDeps, accountId: string) => deps.limits.consume('secondFactorChangesPerAccount', accountId);

/** A wrong code: audited (the security log shows it as a warning), and the form says so. */
export async function guessFailed(deps: MfaDeps, accountId: string, meta: RequestMeta): Promise<never> {
  await recordAudit(deps.db, { action: 'mfa.code_failed', actor: { kind: 'anonymous' }, accountId, ip: meta.ip, at: deps.clock.now() });
  throw new AppError('mfa.code_wrong', { field: 'code' });
}

/**
 * Checks and spends a typed code in the caller's transaction: an authenticator code (its step
 * recorded) or a recovery code (marked used). Undefined when it is neither; nothing is spent then.
 */
export async function spendSecondFactor(tx: Executor, deps: MfaDeps, accountId: string, typed: string): Promise<SecondMethod | undefined> {
  const totp = await q.totpOf(tx, accountId);
  // Recovery codes stand behind either way (the authenticator, or passkeys alone).
  if (!totp?.enabled_at && !(await q.secondFactorOn(tx, accountId))) return undefined;
  const code = typed.trim();
  const now = deps.clock.now();
  if (/^\d{3}\s?\d{3}$/.test(code)) {
    if (!totp?.enabled_at) return undefined;
    const secret = openBytes(deps.identity.keys, { keyId: totp.key_id, data: Buffer.from(totp.cipher) }, totpAad(accountId));
    const step = matchTotp(secret, code, now, totp.last_step === null ? null : Number(totp.last_step));
    return step !== undefined && (await q.advanceTotpStep(tx, accountId, step)) ? 'totp' : undefined;
  }
  if (canonicalRecoveryCode(code).length !== 10) return undefined;
  return (await q.useRecoveryCode(tx, accountId, recoveryHash(deps, accountId, code), now)) ? 'recovery_code' : undefined;
}

export async function changed(tx: Executor, deps: MfaDeps, accountId: string, action: AuditAction, notice: NoticeText, meta: RequestMeta, now: Date) {
  await recordAudit(tx, { action, actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, at: now });
  await notifyContacts(tx, deps.outbox, await q.provedContactsOf(tx, accountId), notice);
}

export async function newCodes(tx: Executor, deps: MfaDeps, accountId: string, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await q.replaceRecoveryCodes(
    tx,
    accountId,
    codes.map((c) => recoveryHash(deps, accountId, c)),
    now,
  );
  return codes;
}

/** The first code from the app turns the authenticator on; the recovery codes are answered once. */
export async function confirmTotpSetup(deps: MfaDeps, accountId: string, typed: string, meta: RequestMeta): Promise<string[]> {
  await spendChange(deps, accountId);
  await spendGuess(deps, accountId);
  const pending = await q.totpOf(deps.db, accountId);
  if (pending?.enabled_at) throw new AppError('mfa.already_on', { status: 409 });
  if (!pending) throw new AppError('mfa.setup_expired', { status: 409 });
  const now = deps.clock.now();
  const secret = openBytes(deps.identity.keys, { keyId: pending.key_id, data: Buffer.from(pending.cipher) }, totpAad(accountId));
  const step = matchTotp(secret, typed, now, null);
  if (step === undefined) return guessFailed(deps, accountId, meta);
  const codes = await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    // Only the set-up that was shown is turned on: one finished in another tab meanwhile stays.
    if (!(await q.enableTotp(tx, accountId, step, now))) throw new AppError('mfa.already_on', { status: 409 });
    const made = await newCodes(tx, deps, accountId, now);
    await changed(tx, deps, accountId, 'mfa.enabled', secondFactorEnabled(now), meta, now);
    return made;
  });
  await refundGuess(deps, accountId);
  deps.outbox.nudge();
  return codes;
}

/** New recovery codes (the old ones stop working), answered once. */
export async function renewRecoveryCodes(deps: MfaDeps, accountId: string, meta: RequestMeta): Promise<string[]> {
  await spendChange(deps, accountId);
  const now = deps.clock.now();
  const codes = await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    if (!(await q.secondFactorOn(tx, accountId))) throw new AppError('mfa.not_on', { status: 409 });
    const made = await newCodes(tx, deps, accountId, now);
    await changed(tx, deps, accountId, 'mfa.recovery_codes_renewed', recoveryCodesRenewed(now), meta, now);
    return made;
  });
  deps.outbox.nudge();
  return codes;
}

/** Turning it off takes a current code (or a recovery code) besides the fresh sign-in. */
export async function disableSecondFactor(deps: MfaDeps, accountId: string, typed: string, meta: RequestMeta): Promise<void> {
  await spendChange(deps, accountId);
  await spendGuess(deps, accountId);
  const now = deps.clock.now();
  if (!(await q.secondFactorOn(deps.db, accountId))) throw new AppError('mfa.not_on', { status: 409 });
  const done = await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    if (!(await spendSecondFactor(tx, deps, accountId, typed))) return false;
    await turnOffInTransaction(tx, deps, accountId, meta, now);
    return true;
  });
  if (!done) return guessFailed(deps, accountId, meta);
  await refundGuess(deps, accountId);
  deps.outbox.nudge();
}

/** In the caller's transaction (the account locked, the proof checked): every way and code goes. */
export async function turnOffInTransaction(tx: Executor, deps: MfaDeps, accountId: string, meta: RequestMeta, now: Date): Promise<void> {
  await q.deleteSecondFactor(tx, accountId);
  // A removal waiting through recovery has nothing left to remove.
  const removal = await q.openRemoval(tx, accountId);
  if (removal) await q.closeRemoval(tx, removal.id, 'cancelled_at', now);
  await changed(tx, deps, accountId, 'mfa.disabled', secondFactorDisabled(now), meta, now);
}

/** `tongxing keys rotate`: people's TOTP secrets sealed under an older key, re-sealed under the active one. */
export async function rotatePersonTotpKeys(deps: Pick<MfaDeps, 'db' | 'identity'>): Promise<number> {
  const rows = await q.totpsUnderOtherKeys(deps.db, deps.identity.keys.activeKeyId);
  return resealAll(
    deps.identity.keys,
    rows,
    (r) => ({ sealed: { keyId: r.key_id, data: r.cipher }, aad: totpAad(r.account_id) }),
    (r, sealed, oldKeyId) => q.replaceTotpCipher(deps.db, r.account_id, oldKeyId, sealed.keyId, sealed.data),
  );
}
