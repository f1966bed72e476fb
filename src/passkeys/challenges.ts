// The challenges of WebAuthn ceremonies. Each is 32 random bytes, sent once in the options and
// answered once, signed inside the authenticator's response. Stored only as keyed hashes, with the
// keyed hash of a random cookie of the browser that asked (browser-cookie.ts): a challenge read
// off one browser cannot be answered from another, nor twice (taking it deletes it), nor after
// CHALLENGE_TTL_MS. Registration and second-factor challenges also name their account.
import { AppError } from '../lib/errors.ts';
import { constantTimeEqual, hmacSha256, randomToken } from '../lib/crypto.ts';
import { MINUTE } from '../lib/clock.ts';
import type { Executor } from '../db/client.ts';
import type { PasskeyPurpose } from '../db/schema.ts';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { PasskeyDeps } from './deps.ts';
import * as q from './queries.ts';

/** How long a ceremony may take: the browser's prompt (or an autofill list left open) included. */
export const CHALLENGE_TTL_MS = 5 * MINUTE;

const challengeHash = (deps: Pick<PasskeyDeps, 'key'>, challenge: string) => hmacSha256(deps.key, `challenge:${challenge}`);
const browserHash = (deps: Pick<PasskeyDeps, 'key'>, browser: string) => hmacSha256(deps.key, `browser:${browser}`);

export interface Ceremony {
  purpose: PasskeyPurpose;
  /** The random value of the browser's passkey cookie. */
  browser: string;
  /** The account a registration or second-factor challenge is for; null for a sign-in. */
  accountId: string | null;
}

/** A new challenge for `ceremony`, stored; answers it (base64url) for the options. */
export async function issueChallenge(deps: PasskeyDeps, db: Executor, ceremony: Ceremony): Promise<string> {
  const challenge = randomToken(32);
  const now = deps.clock.now();
  await q.insertChallenge(db, {
    challengeHash: challengeHash(deps, challenge),
    browserHash: browserHash(deps, ceremony.browser),
    purpose: ceremony.purpose,
    accountId: ceremony.accountId,
    now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  });
  return challenge;
}

/** The challenge the browser signed, read from the response's client data; undefined when there is none to read. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 128 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the challenge a response answers: it must have been issued for this ceremony, to this
 * browser, and not have expired. Either way it is gone afterwards. Throws passkeys.expired
 * otherwise (one message for every case: an old page, another browser, a replay).
 */
export async function takeChallenge(deps: PasskeyDeps, db: Executor, clientDataJSON: string, ceremony: Ceremony): Promise<string> {
  const challenge = challengeOf(clientDataJSON);
  const row = challenge ? await q.takeChallenge(db, challengeHash(deps, challenge)) : undefined;
  const good =
    row !== undefined &&
    constantTimeEqual(row.browser_hash, browserHash(deps, ceremony.browser)) &&
    row.purpose === ceremony.purpose &&
    row.account_id === ceremony.accountId &&
    row.expires_at.getTime() > deps.clock.now().getTime();
  if (!good || !challenge) throw new AppError('passkeys.expired', { status: 400 });
  return challenge;
}

/** Clean-up: challenges nobody answered (maintenance). */
export const deleteExpiredChallenges = (deps: Pick<PasskeyDeps, 'db' | 'clock'>) => q.deleteExpiredChallenges(deps.db, deps.clock.now());
