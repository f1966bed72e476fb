// Which registered CAS service a `service` URL is. A platform registers exact URLs, or patterns
// anchored at both ends (^https://app\.example\.edu/.*$). A pattern is a redirect allow-list, so:
//   - it is matched whole, as ^(?:body)$: a top-level alternation (^https://a/.*|https://b/.*$)
//     cannot leave its second branch unanchored and let https://evil/?https://b/ through;
//   - its scheme and host are literal and end at a "/" or ":" (^https://app\.example\.edu.*$ would
//     match app.example.edu.evil.com);
//   - no quantified group holds a quantifier ((x+)+, ([\w-]+/?)*), and there are at most three
//     unbounded repeats: the pattern runs on whatever a visitor sends, and nested or many
//     quantifiers backtrack exponentially or polynomially;
//   - only a URL written as browsers write it (ASCII, normalised, no fragment) can match one.
// The service a ticket was issued for must then equal, character for character, the one it is
// validated for (§2.5.1); matching a pattern only decides whether Tongxing may send the person there.
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
      compiled(entry);
    } catch {
      return { code: 'cas.service_bad_pattern' };
    }
    // The scheme and host, written literally (dots escaped), up to the "/" or ":" that ends the host.
    const origin = /^\^(https?):\/\/((?:[A-Za-z0-9-]+\\\.)*[A-Za-z0-9-]+)[/:]/.exec(entry);
    if (!origin) return { code: 'cas.service_host_literal' };
    const host = origin[2]!.replace(/\\/g, '');
    if (origin[1] !== 'https' && !(allowLoopbackHttp && (host === '127.0.0.1' || host === 'localhost'))) return { code: 'cas.service_not_https' };
    if (NESTED_QUANTIFIER.test(entry) || (entry.match(UNBOUNDED) ?? []).length > MAX_UNBOUNDED) return { code: 'cas.service_nested_quantifier' };
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

/** A group, closed, then quantified, holding a quantifier of its own: (a+)+, ([\w-]+/?)*, (a{2,})+. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;

/**
 * Unbounded repeats (*, +, {n,}) not escaped: each one more multiplies the work of a failing match
 * by the URL's length (.*.*.*x over 2,000 characters is billions of steps), so a pattern has few.
 */
const UNBOUNDED = /(?<!\\)(?:[*+]|\{\d+,\})/g;
const MAX_UNBOUNDED = 3;

/** Patterns compiled once each (operators register a handful; every request tries them). */
const patterns = new Map<string, RegExp>();
function compiled(entry: string): RegExp {
  let re = patterns.get(entry);
  if (!re) {
    // ^body$ → ^(?:body)$: the whole of it anchored, whatever alternation it holds.
    re = new RegExp(`^(?:${entry.slice(1, -1)})$`, 'u');
    if (patterns.size > 1000) patterns.clear();
    patterns.set(entry, re);
  }
  return re;
}

/** Whether the service is one of the entries: an exact entry equal to it, or a pattern matching it whole. */
export function serviceMatches(entries: readonly string[], service: string): boolean {
  if (service.length > MAX_SERVICE_LENGTH) return false;
  if (entries.includes(service)) return true;
  const patternEntries = entries.filter(isPattern);
  if (patternEntries.length === 0 || !isWrittenAsBrowsersDo(service)) return false;
  return patternEntries.some((entry) => compiled(entry).test(service));
}

/** An absolute http(s) URL, ASCII, normalised (new URL(x).href === x) and without a fragment. */
function isWrittenAsBrowsersDo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.href === url && !parsed.hash && /^[\x21-\x7e]+$/.test(url);
  } catch {
    return false;
  }
}
