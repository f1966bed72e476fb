// Loaded into a provider's process with `--import ./bench/request-costs.ts` (bench/sso-costs.ts
// does): what each HTTP request costs inside it. Per endpoint (method and path, long ids as :id)
// the requests, their time from arrival to the last byte sent, and every SQL statement sent to
// PostgreSQL while handling them (node-postgres queries, by text, with their round-trip time),
// found through the request's async context; statements outside any request (workers) are under
// "(background)". On SIGUSR2 it writes all of it as JSON to BENCH_COSTS_FILE and starts again.
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { endpointOf } from './protocol.ts';

interface Endpoint {
  requests: number;
  ms: number;
  statements: Record<string, { n: number; ms: number }>;
}

const file = process.env.BENCH_COSTS_FILE;
if (!file) throw new Error('bench/request-costs.ts needs BENCH_COSTS_FILE');
let endpoints = new Map<string, Endpoint>();
const endpoint = (label: string) => {
  let e = endpoints.get(label);
  if (!e) endpoints.set(label, (e = { requests: 0, ms: 0, statements: {} }));
  return e;
};
const context = new AsyncLocalStorage<string>();

const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event !== 'request') return emit.call(this, event, ...args);
  const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
  const label = endpointOf(req.method, req.url);
  const started = performance.now();
  res.once('finish', () => {
    const e = endpoint(label);
    e.requests++;
    e.ms += performance.now() - started;
  });
  return context.run(label, () => emit.call(this, event, ...args));
} as typeof http.Server.prototype.emit;

const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as string | { text?: string } | undefined;
  const text = (typeof config === 'string' ? config : config?.text) ?? '(no text)';
  const statements = endpoint(context.getStore() ?? '(background)').statements;
  const s = (statements[text] ??= { n: 0, ms: 0 });
  s.n++;
  const started = performance.now();
  const result = query.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      () => (s.ms += performance.now() - started),
      () => (s.ms += performance.now() - started),
    );
  }
  return result;
} as typeof pg.Client.prototype.query;

process.on('SIGUSR2', () => {
  writeFileSync(file, JSON.stringify(Object.fromEntries(endpoints)));
  endpoints = new Map();
});
