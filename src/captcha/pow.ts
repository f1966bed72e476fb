// The captcha for browsers with JavaScript: a proof of work (the ALTCHA scheme, altcha-lib v2,
// PBKDF2/SHA-256 in deterministic mode). The page embeds a signed challenge; the browser's
// workers search for the counter that derives the published key prefix (about a second on a
// laptop) and post it back. Nothing to see, read or hear, so it works for people who cannot
// see an image; a program pays the same work for every try, which is what makes guessing,
// pumping SMS or scraping sign-ins expensive.
//
// The library is stateless: the same solution verifies every time. A solved challenge is
// therefore spent in the captchas table under its nonce (insert-if-absent), and each is signed
// for one form, so a solution cannot move from one form to another.
import { createHmac, randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

export interface PowSettings {
  /** PBKDF2 iterations per try. */
  cost: number;
  /** The counter to find is drawn from [counterMax / 2, counterMax): the expected work per solve. */
  counterMax: number;
  ttlMs: number;
}

export const ALGORITHM = 'PBKDF2/SHA-256';

interface Secrets {
  signature: string;
  keySignature: string;
}

/** The two HMAC secrets, derived from the service's code key. */
export function powSecrets(codeKey: Buffer): Secrets {
  const derive = (label: string) => createHmac('sha256', codeKey).update(`altcha\0${label}`).digest('hex');
  return { signature: derive('signature'), keySignature: derive('key-signature') };
}

export async function createPowChallenge(settings: PowSettings, secrets: Secrets, form: string, now: Date): Promise<Challenge> {
  const half = Math.max(1, Math.floor(settings.counterMax / 2));
  return createChallenge({
    algorithm: ALGORITHM,
    cost: settings.cost,
    counter: randomInt(half, half * 2),
    deriveKey,
    expiresAt: new Date(now.getTime() + settings.ttlMs),
    hmacSignatureSecret: secrets.signature,
    hmacKeySignatureSecret: secrets.keySignature,
    data: { form },
  });
}

export interface VerifiedPow {
  /** The challenge's nonce: what is spent so the solution serves once. */
  nonce: string;
  expiresAt: Date;
}

/**
 * Checks what the widget posted (base64 of {challenge, solution}) for `form`. Answers the nonce to
 * spend, or undefined for anything else: malformed, forged, expired, for another form, or the
 * widget's test mode.
 */
export async function verifyPow(secrets: Secrets, posted: string, form: string, now: Date): Promise<VerifiedPow | undefined> {
  if (posted.length > 4_000) return undefined;
  let payload: { challenge?: Challenge | null; solution?: Solution | null; test?: unknown };
  try {
    payload = JSON.parse(Buffer.from(posted, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parameters = payload?.challenge?.parameters;
  if (!parameters || !payload.solution || payload.test !== undefined) return undefined;
  if (parameters.algorithm !== ALGORITHM || parameters.data?.form !== form || typeof parameters.expiresAt !== 'number') return undefined;
  if (!/^[0-9a-f]{32}$/.test(parameters.nonce)) return undefined;
  // verifySolution checks the expiry against the real clock; the service's clock decides here.
  if (parameters.expiresAt * 1000 <= now.getTime()) return undefined;
  try {
    const result = await verifySolution({
      challenge: payload.challenge!,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret: secrets.signature,
      hmacKeySignatureSecret: secrets.keySignature,
    });
    if (!result.verified) return undefined;
  } catch {
    return undefined;
  }
  return { nonce: parameters.nonce, expiresAt: new Date(parameters.expiresAt * 1000) };
}
