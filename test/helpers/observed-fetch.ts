// Every request a process test sends through the balancer, on record: when it started and ended,
// the node that answered (HAProxy's X-Node, test/helpers/haproxy.ts; none when HAProxy answered
// itself), the status, or the network error that ended it. A 5xx or a network error ends the
// caller's step with `Cut`, which carries the record, so the test can judge afterwards whether
// that failure was one it allows. Anything else a step throws (a body that is not JSON, a shape
// the step did not expect) is not a Cut, and fails the test instead of being counted as a casualty.

export interface Exchange {
  /** Which kind of step sent it (the test's own name: 'registration', 'oidc', …). */
  label: string;
  /** `METHOD /path`. */
  what: string;
  /** performance.now() when it was sent and when its answer (or its failure) was in. */
  started: number;
  ended: number;
  /** The node that answered, from X-Node; undefined when HAProxy answered itself, or nobody did. */
  node?: string;
  status?: number;
  /** The network failure (connection refused or reset, body cut off), when there was one. */
  network?: string;
  /** The start of a failed answer's body, to say what went wrong. */
  body?: string;
}

export type Fetcher = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** A request that failed — answered 5xx, or the connection failed: `exchange` says how. */
export class Cut extends Error {
  readonly exchange: Exchange;
  constructor(exchange: Exchange, text: string) {
    super(`cut off: ${text}`);
    this.exchange = exchange;
  }
}

/** The Cut behind `error`, also when a library wrapped it (openid-client keeps it as the cause). */
export function cutIn(error: unknown): Cut | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof Cut) return e;
  return undefined;
}

/**
 * Only the network's own failures: undici rejects fetch() with TypeError('fetch failed') and a
 * cause (ECONNREFUSED, ECONNRESET, …), and a body read with TypeError('terminated') and a
 * SocketError. Every other TypeError is a defect in the step, not a casualty of the network.
 */
export function isNetworkError(error: unknown): error is TypeError {
  return error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated') && error.cause !== undefined;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export class Exchanges {
  readonly all: Exchange[] = [];
  /** The moment the times are told from (the kill), once set. */
  origin: number | undefined;

  /** Like fetch, but recorded under `label`, as a person from `address` (X-Forwarded-For) when given. */
  fetcher(label: string, address?: string): Fetcher {
    return async (input, init) => {
      const url = new URL(input);
      const headers = new Headers(init?.headers);
      if (address) headers.set('x-forwarded-for', address);
      const exchange: Exchange = { label, what: `${init?.method ?? 'GET'} ${url.pathname}`, started: performance.now(), ended: 0 };
      this.all.push(exchange);
      let response: Response;
      let body: ArrayBuffer;
      try {
        response = await fetch(url, { ...init, headers });
        exchange.status = response.status;
        exchange.node = response.headers.get('x-node') ?? undefined;
        // Read whole here, so a connection cut mid-body is this request's failure, not a later one's.
        body = await response.arrayBuffer();
        exchange.ended = performance.now();
      } catch (error) {
        exchange.ended = performance.now();
        if (!isNetworkError(error)) throw error;
        const cause = error.cause as { code?: string; message?: string };
        exchange.network = `${error.message}: ${[cause.code, cause.message].filter(Boolean).join(' ') || String(cause)}`;
        throw new Cut(exchange, this.describe(exchange));
      }
      if (response.status >= 500) {
        exchange.body = new TextDecoder().decode(body).slice(0, 300);
        throw new Cut(exchange, this.describe(exchange));
      }
      return new Response(NULL_BODY.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /** The failed ones: answered 5xx, or lost to the network. */
  failures(): Exchange[] {
    return this.all.filter((x) => x.network !== undefined || (x.status ?? 0) >= 500);
  }

  /** Milliseconds from the origin (the kill), rounded. */
  at(time: number): number {
    return Math.round(time - (this.origin ?? 0));
  }

  describe(x: Exchange): string {
    const answer = x.network ?? `${x.status}${x.body ? ` ${JSON.stringify(x.body)}` : ''}`;
    const when = this.origin === undefined ? '' : `, sent at ${this.at(x.started)} ms and ended at ${this.at(x.ended)} ms from the kill`;
    return `${x.label} ${x.what} → ${answer} from ${x.node ?? 'no node (HAProxy itself, or nobody)'}${when}`;
  }
}
