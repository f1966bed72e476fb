// 途径1 APP自助验证: the resolution page shows a QR code holding a short-lived (5 minutes),
// single-use token; the app (signed in to the same account, over the JSON API) starts the
// provider's liveness check with it and posts the provider's signed verdict. A passing verdict
// passes the resolution in the same transaction that spends the token; the page, polling its
// status, moves on without a reload.
import { MINUTE } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { hmacSha256, randomToken } from '../lib/crypto.ts';
import { recordSensitiveConsent } from '../consent/service.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { revealIdNumber } from '../identity/service.ts';
import type { LivenessProvider } from './liveness.ts';
import { passResolution } from './passing.ts';
import * as q from './queries.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';
import { findById } from '../accounts/queries.ts';

export const APP_TOKEN_TTL_MS = 5 * MINUTE;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const tokenHash = (deps: AccountDeps, token: string) => hmacSha256(deps.verification.codeKey, `liveness\0${token}`);

/** Begins 途径1; the page's form carried the separate consent to the face check (recorded here). */
export async function startAppVerification(deps: AccountDeps, provider: LivenessProvider, accountId: string, meta: { ip: string | null }) {
  const account = await lockAccount(deps.db, accountId);
  if (account?.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
  await deps.limits.consume('livenessSessionsPerAccount', accountId);
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + APP_TOKEN_TTL_MS);
  const id = await deps.db.transaction().execute(async (tx) => {
    await recordSensitiveConsent(tx, accountId, 'liveness', { ip: meta.ip, at: now }, { operator: provider.operator });
    const sessionId = await q.insertLivenessSession(tx, { accountId, tokenHash: tokenHash(deps, token), provider: provider.name, now, expiresAt });
    await recordAudit(tx, { action: 'resolution.app_started', actor: { kind: 'account', id: accountId }, accountId, detail: { sessionId }, at: now });
    return sessionId;
  });
  return { id, token, expiresAt, link: `${deps.publicUrl}/app/verify?token=${token}` };
}

export type AppSessionState = 'pending' | 'passed' | 'failed' | 'expired';

export async function appSessionStatus(
  deps: AccountDeps,
  accountId: string,
  sessionId: string,
): Promise<{ state: AppSessionState; reason: string | null } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(sessionId)) return undefined;
  const row = await q.livenessById(deps.db, sessionId, accountId);
  if (!row) return undefined;
  const expired = row.state === 'pending' && row.expires_at.getTime() <= deps.clock.now().getTime();
  return { state: expired ? 'expired' : row.state, reason: row.reason };
}

async function liveSession(deps: AccountDeps, token: string, accountId: string | null) {
  const row = TOKEN_SHAPE.test(token) ? await q.livenessByToken(deps.db, tokenHash(deps, token)) : undefined;
  // One answer for unknown, used, expired and someone else's token.
  if (!row || row.state !== 'pending' || row.expires_at.getTime() <= deps.clock.now().getTime() || (accountId !== null && row.account_id !== accountId)) {
    throw new AppError('app.token_invalid', { status: 410 });
  }
  return row;
}

/**
 * The app scanned the code: registers the check with the provider (which needs the person's name
 * and number to compare the face with; reading the number is audited) and returns its parameters.
 * `accountId` is the app's signed-in account; null only for the development page that plays the app.
 */
export async function beginProviderCheck(deps: AccountDeps, provider: LivenessProvider, token: string, accountId: string | null) {
  const row = await liveSession(deps, token, accountId);
  // The name and number go to the provider only for an account that still has to prove itself
  // (one that left, or owns the number by now, keeps no live check: number-handover.ts).
  if ((await findById(deps.db, row.account_id))?.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
  const identity = await identityIndexOf(deps.db, row.account_id);
  const idNumber = await revealIdNumber(deps.identity, row.account_id, { kind: 'system' }, 'liveness check');
  if (!identity || !idNumber) throw new AppError('resolution.not_needed', { status: 409 });
  const params = await provider.start({ reference: row.id, name: identity.name, idNumber });
  return { reference: row.id, expiresAt: row.expires_at, provider: provider.name, params };
}

/** The provider's verdict, posted by the app. Spends the token whatever it says. */
export async function completeAppVerification(deps: AccountDeps, provider: LivenessProvider, token: string, result: unknown, accountId: string | null) {
  const row = await liveSession(deps, token, accountId);
  const verdict = await provider.verify(row.id, result, deps.clock.now());
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    if (verdict.passed) await lockClaimOfAccount(tx, row.account_id); // the first lock of every resolution
    if (!(await q.finishLiveness(tx, row.id, verdict.passed ? 'passed' : 'failed', verdict.passed ? null : (verdict.reason ?? 'not_passed'), now))) {
      return new AppError('app.token_invalid', { status: 410 });
    }
    await recordAudit(tx, {
      action: verdict.passed ? 'resolution.app_passed' : 'resolution.app_failed',
      actor: { kind: 'account', id: row.account_id },
      accountId: row.account_id,
      detail: { sessionId: row.id, provider: provider.name, reason: verdict.reason ?? null },
      at: now,
    });
    if (!verdict.passed) return { passed: false as const, reason: verdict.reason ?? 'not_passed' };
    return { passed: true as const, ...(await passResolution(tx, deps, row.account_id, 'app', { kind: 'account', id: row.account_id })) };
  });
  if (outcome instanceof AppError) throw outcome;
  if (outcome.passed) deps.outbox.nudge();
  return outcome;
}
