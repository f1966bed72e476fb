// The check of a name and ID number against the public-security registry (公安联审). Tongxing
// does not have that registry; by default it checks the format only and says so on the account.
// An HTTP verifier can be configured: it receives the pair, signed, and answers match or not.
import { createHmac } from 'node:crypto';

export type VerifierResult = 'format_only' | 'match' | 'mismatch' | 'unavailable';

export interface IdentityVerifier {
  readonly name: string;
  /**
   * Who receives the name and number to check them (IDENTITY_VERIFIER_OPERATOR), named in the
   * ID number's separate consent; undefined: nobody, the check stays inside Tongxing.
   */
  readonly operator?: string | undefined;
  verify(input: { name: string; idType: string; idNumber: string }): Promise<VerifierResult>;
}

export const formatOnlyVerifier: IdentityVerifier = {
  name: 'format_only',
  async verify() {
    return 'format_only';
  },
};

/**
 * POSTs {name, idType, idNumber, timestamp} as JSON with an HMAC-SHA256 signature header
 * (X-Tongxing-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, t + "." + body)>) and
 * expects 200 {"match": true|false}. Anything else counts as unavailable, never as a match.
 */
export function httpIdentityVerifier(options: { url: string; secret: string; operator: string; timeoutMs?: number; fetch?: typeof fetch }): IdentityVerifier {
  const send = options.fetch ?? fetch;
  return {
    name: 'http',
    operator: options.operator,
    async verify(input) {
      const timestamp = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ ...input, timestamp });
      const signature = createHmac('sha256', options.secret).update(`${timestamp}.${body}`).digest('hex');
      try {
        const res = await send(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tongxing-signature': `t=${timestamp},v1=${signature}` },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        if (res.status !== 200) return 'unavailable';
        const answer = (await res.json()) as { match?: unknown };
        return answer.match === true ? 'match' : answer.match === false ? 'mismatch' : 'unavailable';
      } catch {
        return 'unavailable';
      }
    },
  };
}
