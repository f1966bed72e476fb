// Whether an error means the database cannot be reached right now (stopped, restarting, failing
// over, frozen, out of connections) rather than that a statement was wrong. Such a request is
// answered 503 with Retry-After, and the next one may well succeed: nothing to fix in the request.
//
// A refused or reset socket, or a "Connection terminated", says so only when it came from our own
// connection pool (client.ts marks what its connections throw): the same codes from an SMTP
// relay, an SMS gateway or a social login's API are that service's failure, not the database's,
// and must not tell a person "nothing was saved" nor give back the limits the request spent.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE: 08 connection exception; 57P01 admin shutdown (pg_ctl -m fast), 57P02 crash shutdown
// (another backend crashed, or -m immediate), 57P03 cannot connect now (starting up or shutting
// down); 53300 too many connections; 57014 statement cancelled (our timeout); 25006 a write on a
// read-only server (the address still leads to a former primary, or a standby, after a failover).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25006']);
// node-postgres reports its own failures by message only.
const CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Client has encountered a connection error/,
];

/** What a request refused while the database is away suggests (Retry-After): a restart or failover. */
export const DATABASE_RETRY_SECONDS = 5;

const fromOurDatabase = new WeakSet<object>();

/** Notes that `error` was thrown by one of our database connections (client.ts); returns it. */
export function thrownByDatabase<T>(error: T): T {
  if (error && typeof error === 'object') fromOurDatabase.add(error);
  return error;
}

/** An error PostgreSQL itself sent (an ErrorResponse: severity and a five-character SQLSTATE). */
const isServerError = (e: { code?: unknown; severity?: unknown }) =>
  typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);

/** The error and the causes it wraps (a few levels: enough for every wrapper we have met). */
function chainOf(error: unknown): object[] {
  const chain: object[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < 4; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const chain = chainOf(error);
  return matches(
    chain,
    chain.some((e) => fromOurDatabase.has(e)),
  );
}

function matches(chain: object[], ours: boolean): boolean {
  for (const e of chain) {
    const { code, message } = e as { code?: unknown; message?: unknown; severity?: unknown };
    if ((ours || isServerError(e)) && typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code))) return true;
    if (!ours) continue;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && CLIENT_MESSAGES.some((m) => m.test(message))) return true;
    // Connecting to a name with several addresses fails once per address.
    if (e instanceof AggregateError && e.errors.some((inner) => matches(chainOf(inner), true))) return true;
  }
  return false;
}
