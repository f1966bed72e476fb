// Which registered CAS service a `service` URL is. A platform registers exact URLs, or patterns
// anchored at both ends (^https://app\.example\.edu/.*$): an unanchored pattern would let
// https://evil.example/?https://app.example.edu through, so registration refuses it. The service a
// ticket was issued for must then equal, character for character, the one it is validated for
// (§2.5.1); matching a pattern only decides whether Tongxing may send the person there at all.
import type { MessageKey } from '../i18n/index.ts';

/** Longer than any real service URL; keeps a pathological pattern's work bounded too. */
export const MAX_SERVICE_LENGTH = 2048;

export const isPattern = (entry: string) => entry.startsWith('^');

export interface ServiceProblem {
  code: MessageKey;
  /** The URL as browsers write it, when that is all that is wrong. */
  written?: string;
}

/** Why a registration entry is unusable, or undefined when it is fine. */
export function serviceEntryProblem(entry: string, allowLoopbackHttp: boolean): ServiceProblem | undefined {
  if (isPattern(entry)) {
    if (!entry.endsWith('$')) return { code: 'cas.service_not_anchored' };
    if (entry.length > MAX_SERVICE_LENGTH) return { code: 'cas.service_too_long' };
    try {
      new RegExp(entry, 'u');
    } catch {
      return { code: 'cas.service_bad_pattern' };
    }
    // The pattern's own text, its escapes dropped: ^http://127\.0\.0\.1:… reads as the host it names.
    const plain = entry.replace(/\\/g, '');
    if (!plain.startsWith('^https://') && !(allowLoopbackHttp && /^\^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(plain)))
      return { code: 'cas.service_not_https' };
    return undefined;
  }
  const problem = serviceUrlProblem(entry, allowLoopbackHttp);
  if (problem) return { code: problem };
  // Compared character for character, an exact entry must be written as browsers send it
  // (https://app.example.edu/, not https://APP.example.edu); a forgotten ^ shows up here too.
  const written = new URL(entry).href;
  return written === entry ? undefined : { code: 'cas.service_not_normal', written };
}

/** Why a URL cannot be a CAS service (or proxy callback), or undefined. */
export function serviceUrlProblem(url: string, allowLoopbackHttp: boolean): MessageKey | undefined {
  if (url.length > MAX_SERVICE_LENGTH) return 'cas.service_too_long';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'cas.service_not_url';
  }
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback && allowLoopbackHttp)) return 'cas.service_not_https';
  if (parsed.hash) return 'cas.service_fragment';
  return undefined;
}

export function serviceMatches(entries: readonly string[], service: string): boolean {
  if (service.length > MAX_SERVICE_LENGTH) return false;
  return entries.some((entry) => (isPattern(entry) ? new RegExp(entry, 'u').test(service) : entry === service));
}
