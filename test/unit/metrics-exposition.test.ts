// The Prometheus text format as src/metrics/exposition.ts writes it: escaping, cumulative
// histogram buckets, label sets kept apart whatever the order they were given in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, escapeHelp, escapeLabelValue, formatValue } from '../../src/metrics/exposition.ts';
import { createServiceMetrics, statusClass } from '../../src/metrics/service-metrics.ts';

test('label values escape backslash, double quote and newline; HELP escapes backslash and newline', () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeHelp('line one\nC:\\path "quoted"'), 'line one\\nC:\\\\path "quoted"');
});

test('special values are written as the format spells them', () => {
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(0.25), '0.25');
  assert.equal(formatValue(12), '12');
});

test('a counter renders HELP, TYPE and one line per label set, counting each set apart', async () => {
  const registry = new Registry();
  const requests = registry.counter('app_requests_total', 'Requests\nanswered.', ['route', 'method']);
  requests.inc({ route: '/a', method: 'GET' });
  requests.inc({ method: 'GET', route: '/a' }); // the same set, written in another order
  requests.inc({ route: '/say "hi"', method: 'POST' }, 3);
  assert.equal(requests.get({ route: '/a', method: 'GET' }), 2);
  assert.equal(
    await registry.render(),
    [
      '# HELP app_requests_total Requests\\nanswered.',
      '# TYPE app_requests_total counter',
      'app_requests_total{route="/a",method="GET"} 2',
      'app_requests_total{route="/say \\"hi\\"",method="POST"} 3',
      '',
    ].join('\n'),
  );
});

test('a counter refuses a missing or extra label and going down', () => {
  const registry = new Registry();
  const c = registry.counter('c_total', 'c', ['route']);
  assert.throws(() => c.inc({}), /labels must be exactly route/);
  assert.throws(() => c.inc({ route: '/', phone: '13800138000' }), /labels must be exactly route/);
  assert.throws(() => c.inc({ route: '/' }, -1), /only goes up/);
});

test('histogram buckets are cumulative, end with +Inf, and carry _sum and _count', async () => {
  const registry = new Registry();
  const h = registry.histogram('latency_seconds', 'Latency.', ['route'], [0.1, 0.5, 1]);
  for (const v of [0.05, 0.1, 0.3, 0.7, 4]) h.observe({ route: '/x' }, v);
  const text = await registry.render();
  assert.equal(
    text,
    [
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{route="/x",le="0.1"} 2',
      'latency_seconds_bucket{route="/x",le="0.5"} 3',
      'latency_seconds_bucket{route="/x",le="1"} 4',
      'latency_seconds_bucket{route="/x",le="+Inf"} 5',
      'latency_seconds_sum{route="/x"} 5.15',
      'latency_seconds_count{route="/x"} 5',
      '',
    ].join('\n'),
  );
});

test('histograms refuse unordered buckets and the reserved "le" label', () => {
  const registry = new Registry();
  assert.throws(() => registry.histogram('h1', 'h', [], [1, 0.5]), /ascend/);
  assert.throws(() => registry.histogram('h2', 'h', ['le'], [1]), /bucket label/);
});

test('gauges are read when scraped; names are checked and registered once', async () => {
  const registry = new Registry();
  let depth = 1;
  registry.gauge('queue_depth', 'Depth.', ['state'], async () => [{ labels: { state: 'queued' }, value: depth }]);
  assert.match(await registry.render(), /^queue_depth\{state="queued"\} 1$/m);
  depth = 7;
  assert.match(await registry.render(), /^queue_depth\{state="queued"\} 7$/m);
  assert.throws(() => registry.counter('queue_depth', 'again'), /registered twice/);
  assert.throws(() => registry.counter('bad-name', 'x'), /invalid metric name/);
  assert.throws(() => registry.counter('ok_total', 'x', ['__reserved']), /invalid label name/);
});

test('status classes group answers by their first digit', () => {
  assert.deepEqual([200, 303, 404, 429, 503].map(statusClass), ['2xx', '3xx', '4xx', '4xx', '5xx']);
});

test('the pool and argon2 gauges read their sources at scrape time', async () => {
  const { createServiceMetrics } = await import('../../src/metrics/service-metrics.ts');
  const metrics = createServiceMetrics({
    outboxDepth: async () => [{ state: 'queued', channel: 'email', count: 4 }],
    pool: () => ({ total: 5, idle: 2, waiting: 1 }),
    argon2: () => ({ active: 2, waiting: 6 }),
  });
  const text = await metrics.registry.render();
  for (const line of [
    'tongxing_outbox_messages{state="queued",channel="email"} 4',
    'tongxing_db_pool_connections{state="idle"} 2',
    'tongxing_db_pool_connections{state="in_use"} 3',
    'tongxing_db_pool_waiting 1',
    'tongxing_argon2_hashes{state="running"} 2',
    'tongxing_argon2_hashes{state="waiting"} 6',
  ])
    assert.ok(text.split('\n').includes(line), `${line} in\n${text}`);
  // Embedded storage has no pool: no pool family at all rather than zeros that look like a fault.
  const embedded = createServiceMetrics({ outboxDepth: async () => [] });
  assert.doesNotMatch(await embedded.registry.render(), /tongxing_db_pool/);
});

test('a scrape answers while the database does not: the depth is left out and says so, the rest is there', async () => {
  const frozen = createServiceMetrics({ outboxDepth: () => new Promise(() => {}), argon2: () => ({ active: 1, waiting: 3 }) });
  const text = await frozen.registry.render();
  assert.match(text, /^tongxing_outbox_depth_read 0$/m);
  assert.doesNotMatch(text, /^tongxing_outbox_messages\{/m);
  assert.match(text, /^tongxing_argon2_hashes\{state="waiting"\} 3$/m, 'what shows the outage is still scraped');
  const away = createServiceMetrics({ outboxDepth: () => Promise.reject(new Error('Connection terminated unexpectedly')) });
  assert.match(await away.registry.render(), /^tongxing_outbox_depth_read 0$/m);
  const reachable = createServiceMetrics({ outboxDepth: async () => [{ state: 'queued', channel: 'sms', count: 2 }] });
  const read = await reachable.registry.render();
  assert.match(read, /^tongxing_outbox_messages\{state="queued",channel="sms"\} 2$/m);
  assert.match(read, /^tongxing_outbox_depth_read 1$/m);
});
