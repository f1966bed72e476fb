// Concurrent HTTP load over loopback for a fixed time, through autocannon (it writes prebuilt
// request buffers on raw sockets, so the generator takes little of the 2 cores the service also
// needs). Every response's status and latency is recorded here, so rates and percentiles are
// computed the same way for every scenario and only successful answers count.
import { createRequire } from 'node:module';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests?: Array<
    AutocannonRequest & {
      setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest | undefined;
      onResponse?: (status: number, body: string, context: object, headers: Record<string, string | string[]>) => void;
    }
  >;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'done', listener: (result: { errors: number; timeouts: number }) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
  stop(): void;
}
type Autocannon = (options: AutocannonOptions, callback?: (error: Error | null, result: unknown) => void) => AutocannonInstance;

// autocannon is CommonJS without bundled types; load it through require with the small type above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  /** Successful (expected status) responses per second over the measured time. */
  rps: number;
  ok: number;
  failed: number;
  /** status → count, including the expected one */
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  connections: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  firstError?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method: 'GET' | 'POST';
  path: string;
  expect: number;
  headers?: Record<string, string>;
  /** Builds each request; return undefined when there is nothing left to send (ends the run). */
  next?: () => { body?: string; headers?: Record<string, string> } | undefined;
  /** Sees every response body (only for low-rate scenarios: bodies cost the generator). */
  onBody?: (status: number, body: string) => void;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let errors = 0;
  let firstError: string | undefined;
  let exhausted = false;
  let exhaustedAt: number | undefined;
  let instance: AutocannonInstance | undefined;
  const baseHeaders = { ...(options.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...options.headers };

  const request: NonNullable<AutocannonOptions['requests']>[number] = { method: options.method, path: options.path, headers: baseHeaders };
  if (options.next) {
    const next = options.next;
    request.setupRequest = (req) => {
      const made = next();
      if (!made) {
        // Nothing left (e.g. pre-issued codes used up): stop here and measure what was done.
        if (!exhausted) {
          exhausted = true;
          exhaustedAt = performance.now();
          setImmediate(() => instance?.stop());
        }
        return { ...req, body: '{}' };
      }
      return { ...req, headers: { ...baseHeaders, ...made.headers }, ...(made.body !== undefined ? { body: made.body } : {}) };
    };
  }
  if (options.onBody) {
    const onBody = options.onBody;
    request.onResponse = (status, body) => onBody(status, body);
  }

  const started = performance.now();
  let ended = started;
  await new Promise<void>((resolve, reject) => {
    instance = autocannon({ url: options.url, connections: options.connections, duration: options.seconds, timeout: 30, requests: [request] }, (error) => {
      ended = performance.now();
      if (error) reject(error);
      else resolve();
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === options.expect && !exhausted) {
        ok++;
        latencies.push(ms);
      } else if (!exhausted) failed++;
    });
    instance.on('reqError', (error) => {
      errors++;
      firstError ??= String(error);
    });
  });

  latencies.sort((a, b) => a - b);
  const seconds = ((exhaustedAt ?? ended) - started) / 1000;
  const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN;
  return {
    rps: ok / seconds,
    ok,
    failed,
    statuses,
    errors,
    seconds,
    connections: options.connections,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, mean },
    ...(firstError ? { firstError } : {}),
  };
}
