// The service's metrics and its /metrics route. Requests are counted and timed in onResponse by
// the route's pattern (`/api/v1/accounts/:id`), never the raw URL, so no phone number, id or
// query string reaches a label and the label sets stay few. A 429 answer is a limiter's refusal
// (every limiter refuses with RateLimitedError or a 429 AppError), counted by route as well.
// What lives elsewhere — the outbox, the database pool, the argon2 queue — is read at scrape time
// through the sources the composition root passes (this module sits below notifications).
//
// Who may read /metrics: with METRICS_TOKEN, whoever sends it as a bearer token; without it, only
// a request whose socket comes from loopback and that no proxy relayed (no X-Forwarded-For), so a
// balancer on the same host does not open it to everyone. Production needs the token (config.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../lib/crypto.ts';
import type { PoolStats } from '../db/client.ts';
import { EXPOSITION_CONTENT_TYPE, Registry } from './exposition.ts';
import { settlesWithin } from '../lib/settles-within.ts';

/** How long a scrape waits for the outbox depth from the database. */
const DEPTH_READ_MS = 1_000;

export interface MetricsSources {
  /** Outbox messages not yet sent (queued, sending) or given up (failed), by state and channel. */
  outboxDepth(): Promise<Array<{ state: string; channel: string; count: number }>>;
  /** PostgreSQL's pool; absent for embedded storage. */
  pool?: (() => PoolStats) | undefined;
  /** The password hasher's queue; absent for a hasher without one. */
  argon2?: (() => { active: number; waiting: number }) | undefined;
}

/** Seconds; from a cached page to a slow argon2 under load. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** A route Fastify did not match (404s, probes for /wp-login.php) shares one label. */
const UNMATCHED = 'unmatched';

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function createServiceMetrics(sources: MetricsSources): { registry: Registry; observe(request: FastifyRequest, status: number, seconds: number): void } {
  const registry = new Registry();
  const requests = registry.counter('tongxing_http_requests_total', 'HTTP requests answered, by route pattern, method and status class.', [
    'route',
    'method',
    'status',
  ]);
  const latency = registry.histogram(
    'tongxing_http_request_duration_seconds',
    'Time to answer an HTTP request, by route pattern and method.',
    ['route', 'method'],
    LATENCY_BUCKETS,
  );
  const refusals = registry.counter('tongxing_rate_limit_refusals_total', 'Requests a rate limit refused (HTTP 429), by route pattern.', ['route']);
  // The depth is the one family read from the database. While the database is away or frozen a
  // scrape must still answer, and quickly (Prometheus gives up after 10 s), with the request,
  // pool and argon2 figures that show the outage: the depth is left out and says so.
  let depthRead = 1;
  registry.gauge(
    'tongxing_outbox_messages',
    'Outbox messages waiting (queued), being sent (sending) or given up (failed), by channel.',
    ['state', 'channel'],
    async () => {
      const reading = sources.outboxDepth();
      depthRead = (await settlesWithin(reading, DEPTH_READ_MS)) ? 1 : 0;
      const rows = depthRead ? await reading.catch(() => undefined) : undefined;
      if (!rows) depthRead = 0;
      return (rows ?? []).map((r) => ({ labels: { state: r.state, channel: r.channel }, value: r.count }));
    },
  );
  registry.gauge(
    'tongxing_outbox_depth_read',
    `1 when this scrape read the outbox depth; 0 when the database did not answer within ${DEPTH_READ_MS / 1000} s (the depth is then missing).`,
    [],
    () => [{ labels: {}, value: depthRead }],
  );
  if (sources.pool) {
    const pool = sources.pool;
    registry.gauge('tongxing_db_pool_connections', 'PostgreSQL pool connections, by state (idle or in use).', ['state'], () => {
      const s = pool();
      return [
        { labels: { state: 'idle' }, value: s.idle },
        { labels: { state: 'in_use' }, value: s.total - s.idle },
      ];
    });
    registry.gauge('tongxing_db_pool_waiting', 'Queries waiting for a PostgreSQL pool connection.', [], () => [{ labels: {}, value: pool().waiting }]);
  }
  if (sources.argon2) {
    const argon2 = sources.argon2;
    registry.gauge('tongxing_argon2_hashes', 'argon2id hashes and verifications, by state (running or waiting for a turn).', ['state'], () => {
      const load = argon2();
      return [
        { labels: { state: 'running' }, value: load.active },
        { labels: { state: 'waiting' }, value: load.waiting },
      ];
    });
  }
  return {
    registry,
    observe(request, status, seconds) {
      const route = request.routeOptions.url ?? UNMATCHED;
      const method = request.method;
      requests.inc({ route, method, status: statusClass(status) });
      latency.observe({ route, method }, seconds);
      if (status === 429) refusals.inc({ route });
    },
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** True when the request may read /metrics (the header comment says who). */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    // Hashed first so the compare takes the same time whatever the length given.
    return constantTimeEqual(digest(given), digest(token));
  }
  return LOOPBACK.has(request.socket.remoteAddress ?? '') && request.headers['x-forwarded-for'] === undefined;
}

export function installMetrics(app: FastifyInstance, sources: MetricsSources, access: { token: string | undefined }): void {
  const metrics = createServiceMetrics(sources);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(request, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (request, reply) => {
    if (!mayReadMetrics(request, access.token)) {
      if (access.token) reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply
        .status(access.token ? 401 : 403)
        .type('text/plain; charset=utf-8')
        .send(access.token ? 'metrics: bearer token required\n' : 'metrics: loopback only (set METRICS_TOKEN to scrape from elsewhere)\n');
    }
    return reply.type(EXPOSITION_CONTENT_TYPE).send(await metrics.registry.render());
  });
}
