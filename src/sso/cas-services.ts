// Which registered CAS service a `service` URL is. A platform registers exact URLs, or patterns
// anchored at both ends (^https://app\.example\.edu/.*$): an unanchored pattern would let
// https://evil.example/?https://app.example.edu through, so registration refuses it. The service a
// ticket was issued for must then equal, character for character, the one it is validated for
// (§2.5.1); matching a pattern only decides whether Tongxing may send the person there at all.

/** Longer than any real service URL; keeps a pathological pattern's work bounded too. */
export const MAX_SERVICE_LENGTH = 2048;

export const isPattern = (entry: string) => entry.startsWith('^');

/** Why a registration entry is unusable, or undefined when it is fine. */
export function serviceEntryProblem(entry: string, allowLoopbackHttp: boolean): string | undefined {
  if (isPattern(entry)) {
    if (!entry.endsWith('$')) return `a service pattern must be anchored at both ends (^…$): ${entry}`;
    try {
      new RegExp(entry, 'u');
    } catch {
      return `not a valid pattern: ${entry}`;
    }
    // The pattern's own text, its escapes dropped: ^http://127\.0\.0\.1:… reads as the host it names.
    const plain = entry.replace(/\\/g, '');
    if (!plain.startsWith('^https://') && !(allowLoopbackHttp && /^\^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(plain)))
      return `a service pattern must start with ^https:// (http only for 127.0.0.1/localhost): ${entry}`;
    return undefined;
  }
  const problem = serviceUrlProblem(entry, allowLoopbackHttp);
  if (problem) return problem;
  // Compared character for character, an exact entry must be written as browsers send it
  // (https://app.example.edu/, not https://APP.example.edu); a forgotten ^ shows up here too.
  const written = new URL(entry).href;
  return written === entry ? undefined : `write the service as ${written}, or as a pattern ^…$: ${entry}`;
}

/** Why a URL cannot be a CAS service (or proxy callback), or undefined. */
export function serviceUrlProblem(url: string, allowLoopbackHttp: boolean): string | undefined {
  if (url.length > MAX_SERVICE_LENGTH) return 'the URL is too long';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback && allowLoopbackHttp))
    return `must use https (http only for 127.0.0.1/localhost outside production): ${url}`;
  if (parsed.hash) return `must not have a fragment: ${url}`;
  return undefined;
}

export function serviceMatches(entries: readonly string[], service: string): boolean {
  if (service.length > MAX_SERVICE_LENGTH) return false;
  return entries.some((entry) => (isPattern(entry) ? new RegExp(entry, 'u').test(service) : entry === service));
}
