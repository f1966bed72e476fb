// One-time codes (6 digits, sent by SMS or email) and link tokens (in activation emails).
// Codes: CSPRNG, stored as a keyed hash bound to purpose and target, single use, a limited
// number of wrong tries, compared in constant time. Tokens: 256 bits, stored as a keyed hash.
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { constantTimeEqual, hmacSha256, randomDigits, randomToken } from '../lib/crypto.ts';
import { AppError } from '../lib/errors.ts';
import * as q from './queries.ts';
import type { RateLimits } from '../security/rate-limits.ts';

export const MAX_WRONG_TRIES = 5;

export interface VerificationDeps {
  codeKey: Buffer;
  clock: Clock;
}

const targetHash = (deps: VerificationDeps, purpose: string, target: string) => hmacSha256(deps.codeKey, `target\0${purpose}\0${target}`);
const codeHash = (deps: VerificationDeps, purpose: string, target: string, code: string) => hmacSha256(deps.codeKey, `code\0${purpose}\0${target}\0${code}`);

/**
 * Creates a code and returns it in clear once, for the message that carries it. `reuse` makes it
 * one a person already holds (a re-sent code, see resendableCode), expiring when that one does.
 */
export async function issueCode(
  db: Executor,
  deps: VerificationDeps,
  purpose: string,
  target: string,
  ttlMs: number,
  reuse?: { code: string; expiresAt: Date },
): Promise<string> {
  const code = reuse?.code ?? randomDigits(6);
  const now = deps.clock.now();
  await q.insertCode(db, {
    purpose,
    targetHash: targetHash(deps, purpose, target),
    codeHash: codeHash(deps, purpose, target, code),
    createdAt: now,
    expiresAt: reuse?.expiresAt ?? new Date(now.getTime() + ttlMs),
  });
  return code;
}

// Resendable codes: a code someone may ask to have sent again within its life (the same code, not
// a new one, so asking again spends no daily allowance and the code already on the phone keeps
// working). The store still holds no code in clear: the code is derived from its row's random id
// under the code key, which is not in the database.
const derivedCode = (deps: VerificationDeps, id: string) => String(hmacSha256(deps.codeKey, `resendable\0${id}`).readUIntBE(0, 6) % 1_000_000).padStart(6, '0');

export interface ResendableCode {
  code: string;
  expiresAt: Date;
}

/** The live resendable code for a purpose and target, if there is one. */
export async function liveResendableCode(db: Executor, deps: VerificationDeps, purpose: string, target: string): Promise<ResendableCode | undefined> {
  const live = await q.findLiveCode(db, purpose, targetHash(deps, purpose, target), deps.clock.now());
  return live ? { code: derivedCode(deps, live.id), expiresAt: live.expires_at } : undefined;
}

/**
 * A new resendable code (replacing any other for the purpose and target), or undefined when
 * another request made one at the same moment (one live code per purpose and target: migration 0015).
 */
export async function newResendableCode(
  db: Executor,
  deps: VerificationDeps,
  purpose: string,
  target: string,
  ttlMs: number,
): Promise<ResendableCode | undefined> {
  const now = deps.clock.now();
  const id = randomUUID();
  const code = derivedCode(deps, id);
  const expiresAt = new Date(now.getTime() + ttlMs);
  const made = await q.insertResendableCode(db, {
    id,
    purpose,
    targetHash: targetHash(deps, purpose, target),
    codeHash: codeHash(deps, purpose, target, code),
    createdAt: now,
    expiresAt,
  });
  return made ? { code, expiresAt } : undefined;
}

/** Ends a resendable code once it has been used: asking again then makes a new one. */
export async function retireResendableCode(db: Executor, deps: VerificationDeps, purpose: string, target: string): Promise<void> {
  await q.consumeCodesFor(db, purpose, targetHash(deps, purpose, target), deps.clock.now());
}

/**
 * Checks a code in its own short transaction, so a wrong guess is counted even though the
 * action it was meant for never happens. Returns a ticket that `spendCode` redeems inside the
 * action's transaction: the code is spent exactly when the action commits, and only once.
 */
export async function checkCode(db: Db, deps: VerificationDeps, purpose: string, target: string, code: string): Promise<CodeTicket> {
  const result = await db.transaction().execute(async (tx) => {
    const row = await q.findLiveCodeForUpdate(tx, purpose, targetHash(deps, purpose, target));
    const now = deps.clock.now();
    if (!row) return new AppError('code.missing', { field: 'code' });
    if (row.expires_at.getTime() <= now.getTime()) return new AppError('code.expired', { field: 'code' });
    if (row.attempts >= MAX_WRONG_TRIES) return new AppError('code.too_many_tries', { field: 'code' });
    const given = codeHash(deps, purpose, target, code.trim());
    if (constantTimeEqual(Buffer.from(row.code_hash), given)) return { codeId: row.id };
    const left = MAX_WRONG_TRIES - (await q.countWrongAttempt(tx, row.id));
    return left > 0 ? new AppError('code.wrong', { field: 'code', params: { left } }) : new AppError('code.too_many_tries', { field: 'code' });
  });
  if (result instanceof AppError) throw result;
  return result;
}

/**
 * checkCode for a code a person typed, behind the per-IP guessing limit every code form shares:
 * refused while the IP is over it, and each wrong code counted against it.
 */
export async function checkTypedCode(
  db: Db,
  deps: VerificationDeps,
  limits: RateLimits,
  ip: string,
  check: { purpose: string; target: string; code: string },
): Promise<CodeTicket> {
  await limits.assertAllowed('codeGuessesPerIp', ip);
  try {
    return await checkCode(db, deps, check.purpose, check.target, check.code);
  } catch (error) {
    if (error instanceof AppError && error.code === 'code.wrong') await limits.count('codeGuessesPerIp', ip);
    throw error;
  }
}

export interface CodeTicket {
  codeId: string;
}

/** Marks the checked code used; fails when a concurrent request spent it first. */
export async function spendCode(tx: Executor, deps: VerificationDeps, ticket: CodeTicket): Promise<void> {
  const spent = await q.consumeCodeIfLive(tx, ticket.codeId, deps.clock.now());
  if (!spent) throw new AppError('code.missing', { field: 'code' });
}

export async function issueLinkToken(
  db: Executor,
  deps: VerificationDeps,
  input: { purpose: string; accountId: string; email: string; ttlMs: number },
): Promise<string> {
  const token = randomToken(32);
  const now = deps.clock.now();
  await q.retireLinkTokens(db, input.accountId, input.purpose, now);
  await q.insertLinkToken(db, {
    purpose: input.purpose,
    tokenHash: hmacSha256(deps.codeKey, `link\0${token}`),
    accountId: input.accountId,
    email: input.email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.ttlMs),
  });
  return token;
}

export type LinkTokenCheck =
  | { status: 'valid'; accountId: string; email: string; id: string }
  | { status: 'used'; accountId: string; email: string }
  | { status: 'expired'; accountId: string; email: string }
  | { status: 'unknown' };

/** Looks a token up (locked) without consuming it; the caller decides and consumes. */
export async function checkLinkToken(db: Executor, deps: VerificationDeps, purpose: string, token: string): Promise<LinkTokenCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
  const row = await q.findLinkTokenForUpdate(db, purpose, hmacSha256(deps.codeKey, `link\0${token}`));
  if (!row) return { status: 'unknown' };
  const base = { accountId: row.account_id, email: row.email };
  if (row.consumed_at) return { status: 'used', ...base };
  if (row.expires_at.getTime() <= deps.clock.now().getTime()) return { status: 'expired', ...base };
  return { status: 'valid', id: row.id, ...base };
}

export async function consumeLinkToken(db: Executor, deps: VerificationDeps, id: string): Promise<void> {
  await q.consumeLinkToken(db, id, deps.clock.now());
}
