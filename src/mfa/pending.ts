// A sign-in half way: its first factor (password, SMS code, WeChat, Alipay) passed on an account
// with a second factor, which is still due. The browser that passed the first step holds the token
// (an HttpOnly cookie, never in a URL), the table its keyed hash; it lives 10 minutes and is used
// once, by the request that starts the session (or not at all once its guesses are spent).
import type { Executor } from '../db/client.ts';
import type { AuthMethod } from '../db/schema.ts';
import { MINUTE } from '../lib/clock.ts';
import { hmacSha256, randomToken } from '../lib/crypto.ts';
import { AppError } from '../lib/errors.ts';
import type { MfaDeps } from './deps.ts';
import * as q from './queries.ts';

export const PENDING_SIGN_IN_MS = 10 * MINUTE;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const tokenHash = (deps: Pick<MfaDeps, 'verification'>, token: string) => hmacSha256(deps.verification.codeKey, `pending-sign-in\0${token}`);

/**
 * Thrown by completeSignIn instead of starting a session: the page turns it into the second-factor
 * step (sign-in-reply.ts), the API answers 401 mfa.required. Carries the browser's pending token.
 */
export class SecondFactorRequired extends AppError {
  readonly token: string;
  readonly expiresAt: Date;
  constructor(token: string, expiresAt: Date) {
    super('mfa.required', { status: 401 });
    this.token = token;
    this.expiresAt = expiresAt;
  }
}

export async function beginPendingSignIn(deps: MfaDeps, accountId: string, firstMethod: AuthMethod): Promise<SecondFactorRequired> {
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_MS);
  await q.insertPendingSignIn(deps.db, { tokenHash: tokenHash(deps, token), accountId, firstMethod, now, expiresAt });
  return new SecondFactorRequired(token, expiresAt);
}

export interface PendingSignIn {
  id: string;
  accountId: string;
  firstMethod: AuthMethod;
  expiresAt: Date;
}

/** The live pending sign-in behind the browser's token, or undefined (expired, used, unknown). */
export async function pendingSignInOf(deps: MfaDeps, token: string | undefined): Promise<PendingSignIn | undefined> {
  if (!token || !TOKEN_SHAPE.test(token)) return undefined;
  const row = await q.livePendingSignIn(deps.db, tokenHash(deps, token), deps.clock.now());
  return row && { id: row.id, accountId: row.account_id, firstMethod: row.first_method, expiresAt: row.expires_at };
}

/** In the transaction that starts the session: true only for the one request that used it. */
export async function usePendingSignIn(tx: Executor, deps: MfaDeps, pending: PendingSignIn): Promise<boolean> {
  return q.usePendingSignIn(tx, pending.id, deps.clock.now());
}

/** Ended by too many wrong codes: the person signs in again from the start. */
export async function abandonPendingSignIn(deps: MfaDeps, pending: PendingSignIn): Promise<void> {
  await q.usePendingSignIn(deps.db, pending.id, deps.clock.now());
}
