// Where a single sign-on flow's time goes, Tongxing beside the bare oidc-provider: not part of
// `npm run bench` (run it alone: node --import ./src/loader/register.js bench/sso-costs.ts).
// Both providers as bench/sso.ts starts them, each with bench/request-costs.ts loaded; the flows
// of bench/sso-flows.ts run one at a time (no concurrency, so nothing queues), alternating between
// the two providers, and for each flow:
//   - the HTTP requests the platform and the browser make, in order, with their time as seen here;
//   - per endpoint, the time inside the provider and the SQL statements it sent (Tongxing);
//   - the CPU per flow of the provider (all threads, and its main thread) and of PostgreSQL.
// Knobs: BENCH_COSTS_LOGINS (default 30), BENCH_COSTS_REFRESH (100), BENCH_COSTS_USERINFO (200).
// Writes test-results/bench-sso-costs.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../test/helpers/postgres.ts';
import { BENCH_PASSWORD, endpointOf } from './protocol.ts';
import { cpuMeter } from './cpu.ts';
import { REDIRECT, startBareProvider, startTongxing, type ProviderProcess } from './sso-servers.ts';
import { connect, fullLogin, refreshGrant, userinfo, type SsoSite } from './sso-flows.ts';

const root = new URL('..', import.meta.url).pathname;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = {
  login: Number(process.env.BENCH_COSTS_LOGINS ?? 30),
  refresh: Number(process.env.BENCH_COSTS_REFRESH ?? 100),
  userinfo: Number(process.env.BENCH_COSTS_USERINFO ?? 200),
};
const ACCOUNTS = 4;

type Endpoints = Record<string, { requests: number; ms: number; statements: Record<string, { n: number; ms: number }> }>;

// The client side: every request this process makes (the browser's and openid-client's), in order.
let trace: Array<{ endpoint: string; status: number; ms: number }> = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input);
  const started = performance.now();
  const response = await realFetch(input, init);
  trace.push({
    endpoint: endpointOf(init?.method ?? (input instanceof Request ? input.method : 'GET'), url.pathname),
    status: response.status,
    ms: performance.now() - started,
  });
  return response;
};

/** What the provider counted since the last call (bench/request-costs.ts writes it on SIGUSR2). */
async function costsOf(provider: ProviderProcess, file: string): Promise<Endpoints> {
  rmSync(file, { force: true });
  provider.child.kill('SIGUSR2');
  // The file may be seen while it is still being written (a busy machine): read until it parses.
  for (let i = 0; ; i++) {
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
      } catch (error) {
        if (i >= 200) throw error;
      }
    } else if (i >= 200) throw new Error(`${provider.name} wrote no costs to ${file}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Lane {
  site: SsoSite;
  provider: ProviderProcess;
  file: string;
  database: string | undefined;
  step: (i: number) => Promise<void>;
}

/** The flow `runs` times on each provider, alternating (a machine getting busier weighs on both). */
async function profile(runs: number, lanes: Lane[]) {
  for (const lane of lanes) await costsOf(lane.provider, lane.file); // start from nothing
  const meters = lanes.map((lane) => cpuMeter(lane.provider.child.pid!, lane.database, availableParallelism()));
  const traces = lanes.map(() => ({ wallMs: 0, sequence: [] as typeof trace, steps: [] as Array<{ endpoint: string; status: number; ms: number }> }));
  for (let i = 0; i < runs; i++) {
    for (const [n, lane] of lanes.entries()) {
      const t = traces[n]!;
      trace = [];
      const started = performance.now();
      await lane.step(i);
      t.wallMs += (performance.now() - started) / runs;
      t.sequence = trace;
      trace.forEach((request, k) => {
        t.steps[k] ??= { endpoint: request.endpoint, status: request.status, ms: 0 };
        t.steps[k].ms += request.ms / runs;
      });
    }
  }
  const cpus = meters.map((meter) => meter.finish(runs));
  return Promise.all(
    lanes.map(async (lane, n) => {
      const endpoints = await costsOf(lane.provider, lane.file);
      delete endpoints['(background)'];
      const sum = (pick: (x: { n: number; ms: number }) => number) =>
        Object.values(endpoints).reduce((total, e) => total + Object.values(e.statements).reduce((t, x) => t + pick(x), 0), 0) / runs;
      const cpu = cpus[n]!;
      return {
        site: lane.site.name,
        runs,
        httpRequests: traces[n]!.sequence.length,
        wallMs: traces[n]!.wallMs,
        serviceCpuMs: cpu.serviceMsPerRequest,
        serviceMainThreadCpuMs: cpu.serviceMainThreadMsPerRequest,
        postgresCpuMs: cpu.postgresMsPerRequest,
        statements: sum((x) => x.n),
        sqlMs: sum((x) => x.ms),
        steps: traces[n]!.steps,
        endpoints,
      };
    }),
  );
}

type Profile = Awaited<ReturnType<typeof profile>>[number];

function print(flow: string, p: Profile) {
  console.log(
    `\n${p.site}, ${flow} (${p.runs} one at a time): ${p.httpRequests} HTTP requests, ${p.statements.toFixed(1)} SQL statements (${p.sqlMs.toFixed(1)} ms awaited), ` +
      `${p.wallMs.toFixed(1)} ms each; CPU per ${flow}: provider ${p.serviceCpuMs.toFixed(1)} ms (main thread ${p.serviceMainThreadCpuMs.toFixed(1)}), PostgreSQL ${p.postgresCpuMs.toFixed(1)} ms`,
  );
  for (const s of p.steps) {
    const e = p.endpoints[s.endpoint];
    const perRequest = (x: number) => (e && e.requests ? x / e.requests : 0);
    const sql = e ? Object.values(e.statements).reduce((sum, x) => sum + x.n, 0) : 0;
    const sqlMs = e ? Object.values(e.statements).reduce((sum, x) => sum + x.ms, 0) : 0;
    console.log(
      `  ${s.endpoint.padEnd(32)} ${String(s.status).padEnd(4)} ${s.ms.toFixed(1).padStart(6)} ms here, ${perRequest(e?.ms ?? 0)
        .toFixed(1)
        .padStart(6)} ms inside, SQL ${perRequest(sql).toFixed(1).padStart(4)} (${perRequest(sqlMs).toFixed(1)} ms)`,
    );
  }
  // Each endpoint's statements (an endpoint met twice in a flow shows its average per request).
  for (const endpoint of new Set(p.steps.map((s) => s.endpoint))) {
    const e = p.endpoints[endpoint];
    if (!e || !e.requests || !Object.keys(e.statements).length) continue;
    console.log(`  ${endpoint}, ${(e.requests / p.runs).toFixed(0)} per ${flow}; its statements per request:`);
    for (const [text, s] of Object.entries(e.statements).sort((a, b) => b[1].n - a[1].n)) {
      console.log(`    ${(s.n / e.requests).toFixed(1).padStart(4)} × ${(s.ms / s.n).toFixed(2)} ms  ${text.replace(/\s+/g, ' ').slice(0, 140)}`);
    }
  }
}

const scratch = await createScratchDatabase(adminUrl, 'tongxing_bench_costs');
if (!scratch) throw new Error('no PostgreSQL server answered; this needs one');
const dir = mkdtempSync(join(tmpdir(), 'tongxing-costs-'));
const files = { tongxing: join(dir, 'tongxing.json'), bare: join(dir, 'bare.json') };
const preload = ['--import', './bench/request-costs.ts'];
const stops: Array<() => Promise<void>> = [];
try {
  const started = await startTongxing(scratch.url, ACCOUNTS, preload, { BENCH_COSTS_FILE: files.tongxing });
  stops.push(started.provider.stop);
  const bare = await startBareProvider(started.phones, preload, { BENCH_COSTS_FILE: files.bare });
  stops.push(bare.stop);
  const phones = started.phones;
  const sides: Array<Omit<Lane, 'step'> & { refreshToken: string; accessToken: string }> = [];
  for (const [provider, file, database] of [
    [started.provider, files.tongxing, scratch.name],
    [bare, files.bare, undefined],
  ] as const) {
    const site = await connect({
      name: provider.name,
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri: REDIRECT,
      password: BENCH_PASSWORD,
    });
    // First logins consent; a few more warm the code paths up.
    const first = await Promise.all(phones.map((p) => fullLogin(site, p, true)));
    for (let i = 0; i < 10; i++) await fullLogin(site, phones[i % phones.length]!);
    sides.push({ site, provider, file, database, refreshToken: first[0]!.refresh_token!, accessToken: first[1]!.access_token });
  }
  const lanes = (step: (side: (typeof sides)[number], i: number) => Promise<void>): Lane[] => sides.map((side) => ({ ...side, step: (i) => step(side, i) }));
  // A flow given 0 runs is left out (e.g. to profile one flow alone with BENCH_SERVER_NODE_ARGS).
  const results: Record<string, Profile[]> = {};
  if (RUNS.login)
    results['full login'] = await profile(
      RUNS.login,
      lanes((side, i) => fullLogin(side.site, phones[i % phones.length]!).then(() => undefined)),
    );
  if (RUNS.refresh) {
    results['refresh grant'] = await profile(
      RUNS.refresh,
      lanes(async (side) => {
        side.refreshToken = await refreshGrant(side.site, side.refreshToken);
      }),
    );
  }
  if (RUNS.userinfo)
    results.userinfo = await profile(
      RUNS.userinfo,
      lanes((side) => userinfo(side.site, side.accessToken)),
    );
  for (const [flow, profiles] of Object.entries(results)) for (const p of profiles) print(flow, p);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results', 'bench-sso-costs.json'), JSON.stringify({ at: new Date().toISOString(), runs: RUNS, results }, null, 2) + '\n');
} finally {
  for (const stop of stops.reverse()) await stop().catch((error) => console.error(String(error)));
  await scratch.drop();
  rmSync(dir, { recursive: true, force: true });
}
