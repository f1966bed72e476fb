// Whether an error means the database cannot be reached right now (stopped, restarting, failing
// over, frozen, out of connections) rather than that a statement was wrong. Such a request is
// answered 503 with Retry-After, and the next one may well succeed: nothing to fix in the request.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE: 08 connection exception; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
// connect now (starting up); 53300 too many connections; 57014 statement cancelled (our timeout).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
// node-postgres reports its own failures by message only.
const CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Client has encountered a connection error/,
];

/** What a request refused while the database is away suggests (Retry-After): a restart or failover. */
export const DATABASE_RETRY_SECONDS = 5;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_STATES.has(code))) return true;
    if (typeof message === 'string' && CLIENT_MESSAGES.some((m) => m.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}
