// 实人验证 for 途径1, behind an interface: the app starts the provider's check with what the
// provider returns from start(), and posts back the provider's signed verdict, which verify()
// checks (signature, that it is about this session, freshness) before anything is believed.
//
// Plugging in a real provider: implement LivenessProvider, or point LIVENESS_PROVIDER=http at a
// gateway that speaks the small contract of httpLivenessProvider below (POST {url}/sessions with
// the reference, name and ID number, answering the SDK parameters as JSON; verdicts signed with
// HMAC-SHA256 over "reference.passed.issuedAt" with LIVENESS_SECRET, hex).
import { constantTimeEqual, hmacSha256 } from '../lib/crypto.ts';

export interface LivenessVerdict {
  passed: boolean;
  /** Why it failed, in words the person may read (or a provider code). */
  reason?: string | undefined;
}

export interface LivenessProvider {
  readonly name: string;
  /** Who performs the check, as the consent names them: the person's name and ID number go to them. */
  readonly operator: string;
  /** Registers a check for this session and returns what the app's SDK needs to run it. */
  start(check: { reference: string; name: string; idNumber: string }): Promise<Record<string, unknown>>;
  /** Believes a verdict only when it is signed, about this session, and recent. */
  verify(reference: string, result: unknown, now: Date): Promise<LivenessVerdict>;
}

/** A verdict as both built-in providers sign it. */
export interface SignedVerdict {
  reference: string;
  passed: boolean;
  issuedAt: string;
  reason?: string;
  signature: string;
}

const VERDICT_MAX_AGE_MS = 5 * 60_000;

function signature(secret: Buffer, v: Pick<SignedVerdict, 'reference' | 'passed' | 'issuedAt'>): Buffer {
  return hmacSha256(secret, `${v.reference}.${v.passed ? 1 : 0}.${v.issuedAt}`);
}

export function signVerdict(secret: Buffer, verdict: Omit<SignedVerdict, 'signature'>): SignedVerdict {
  return { ...verdict, signature: signature(secret, verdict).toString('hex') };
}

function verifySigned(secret: Buffer, reference: string, result: unknown, now: Date): LivenessVerdict {
  const v = result as Partial<SignedVerdict> | null;
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.reference !== 'string' ||
    typeof v.passed !== 'boolean' ||
    typeof v.issuedAt !== 'string' ||
    typeof v.signature !== 'string'
  ) {
    return { passed: false, reason: 'malformed' };
  }
  if (!/^[0-9a-f]{64}$/.test(v.signature) || !constantTimeEqual(Buffer.from(v.signature, 'hex'), signature(secret, v as SignedVerdict)))
    return { passed: false, reason: 'bad_signature' };
  if (v.reference !== reference) return { passed: false, reason: 'other_session' };
  const issued = Date.parse(v.issuedAt);
  if (!Number.isFinite(issued) || Math.abs(now.getTime() - issued) > VERDICT_MAX_AGE_MS) return { passed: false, reason: 'stale' };
  return { passed: v.passed, reason: v.passed ? undefined : (v.reason ?? 'not_passed').slice(0, 100) };
}

/**
 * For development and tests: passes or fails as the page that plays the app says, with verdicts
 * signed like a real provider's so the same checks run. Refused in production by the config.
 */
export function simulatorLivenessProvider(
  secret: Buffer,
  operator = SIMULATOR_OPERATOR,
): LivenessProvider & { sign(verdict: Omit<SignedVerdict, 'signature'>): SignedVerdict } {
  return {
    name: 'simulator',
    operator,
    async start(check) {
      return { provider: 'simulator', reference: check.reference };
    },
    async verify(reference, result, now) {
      return verifySigned(secret, reference, result, now);
    },
    sign: (verdict) => signVerdict(secret, verdict),
  };
}

/** The simulator's name in the liveness consent, so that nobody takes it for a real provider. */
export const SIMULATOR_OPERATOR = '通行人脸核验模拟器（开发用）';

export function httpLivenessProvider(options: { url: string; secret: string; operator: string; fetch?: typeof fetch }): LivenessProvider {
  const secret = Buffer.from(options.secret, 'utf8');
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'http',
    operator: options.operator,
    async start(check) {
      const res = await doFetch(`${options.url.replace(/\/$/, '')}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `HMAC ${hmacSha256(secret, check.reference).toString('hex')}` },
        body: JSON.stringify(check),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`liveness provider answered ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async verify(reference, result, now) {
      return verifySigned(secret, reference, result, now);
    },
  };
}
