// `npm run bench` (third part; alone with BENCH_ONLY=sso): single sign-on, Tongxing beside a
// reference measured in the same run. Tongxing runs as `tongxing serve` on a scratch PostgreSQL
// database (production argon2 cost); the reference is the same oidc-provider, bare
// (bench/bare-provider.ts: in-memory adapter, one argon2id verify per sign-in, nothing else). Both
// in their own processes, both driven over loopback by the same code (bench/sso-flows.ts):
//   - full logins: the authorization-code flow with PKCE, the password on the provider's sign-in
//     page (consent remembered from a first login), the code exchanged at the token endpoint;
//   - refresh-token grants (each rotates the token, so each worker follows its own chain);
//   - userinfo calls with an access token.
// Each flow runs BENCH_SECONDS (default 8) per provider with BENCH_SSO_CONCURRENCY workers
// (default 8), in halves ordered Tongxing, bare, bare, Tongxing so that a machine getting busier
// or quieter meanwhile weighs on both alike; printed as rates with p50/p99 and Tongxing ÷ bare,
// and as CPU per operation (the provider's process; for Tongxing also PostgreSQL's backends) with
// the ratio that CPU alone would give — steadier than the rates when other work shares the cores.
// The RSS of both processes idle and after the load. Then CAS on Tongxing (full logins; a service
// ticket issued and validated in a signed-in session) with its ratios to the OIDC figures.
// Anchors from the issue: Keycloak's sizing guide gives 15 password logins/s and 120 refresh
// grants/s per vCPU; the aims on this 2-core machine are ≥100 logins/s, ≥1,000 refresh grants/s and
// ≥3,000 userinfo/s. Writes test-results/bench-sso.json. BENCH_SERVER_NODE_ARGS adds node flags to
// both providers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { createScratchDatabase } from '../test/helpers/postgres.ts';
import { Browserless } from '../test/helpers/browserless.ts';
import { BENCH_PASSWORD } from './protocol.ts';
import { skipUnlessSelected } from './only.ts';
import { cpuMeter } from './cpu.ts';
import { REDIRECT, rssMB, startBareProvider, startTongxing, type ProviderProcess } from './sso-servers.ts';
import { connect, fullLogin, refreshGrant, userinfo, type SsoSite } from './sso-flows.ts';

skipUnlessSelected('sso');
const root = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_SSO_CONCURRENCY ?? 8);
const ACCOUNTS = 16;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (line: string) => console.log(`  ${line}`);
const providerVersion = (JSON.parse(readFileSync(join(root, 'node_modules/oidc-provider/package.json'), 'utf8')) as { version: string }).version;

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

interface Rate {
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU per successful operation (ms): the provider's process, all threads, and PostgreSQL's
   * backends for its database. Less moved by other work on the machine than the rates. */
  cpuMsPerOp: { provider: number; postgres: number };
}

/** A provider as measured: its flows' client, its process and (Tongxing) its database. */
interface Side {
  site: SsoSite;
  pid: number;
  database?: string | undefined;
}

/** Runs every worker's step in a loop for `seconds`; the duration of each success. */
async function timed(name: string, steps: Array<() => Promise<void>>, seconds: number, side?: Side) {
  const meter = side && cpuMeter(side.pid, side.database, availableParallelism());
  const times: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    steps.map(async (step) => {
      while (performance.now() < until) {
        const s = performance.now();
        try {
          await step();
          times.push(performance.now() - s);
        } catch (error) {
          if (failed++ === 0) log(`${name}: first failure: ${(error as Error).message} ${JSON.stringify((error as { cause?: unknown }).cause ?? '')}`);
        }
      }
    }),
  );
  // finish(1): the CPU milliseconds of the whole run.
  const cpu = meter?.finish(1);
  return { times, failed, seconds, cpuMs: { provider: cpu?.serviceMsPerRequest ?? NaN, postgres: cpu?.postgresMsPerRequest ?? NaN } };
}

function rate(parts: Array<Awaited<ReturnType<typeof timed>>>): Rate {
  const times = parts.flatMap((p) => p.times);
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const cpu = (pick: (c: { provider: number; postgres: number }) => number) => parts.reduce((sum, p) => sum + pick(p.cpuMs), 0) / times.length;
  return {
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    failed: parts.reduce((sum, p) => sum + p.failed, 0),
    cpuMsPerOp: { provider: cpu((c) => c.provider), postgres: cpu((c) => c.postgres) },
  };
}

const describe = (r: Rate) =>
  `${r.perSecond.toFixed(0).padStart(5)}/s p50 ${r.p50.toFixed(1).padStart(6)} ms p99 ${r.p99.toFixed(1).padStart(7)} ms${r.failed ? ` (${r.failed} failed)` : ''}`;

const describeWidth = describe({ perSecond: 0, p50: 0, p99: 0, failed: 0, cpuMsPerOp: { provider: 0, postgres: 0 } }).length;

/** Samples the RSS of the given processes every 100 ms; keeps each one's highest. */
function rssPeaks(processes: ProviderProcess[]) {
  const peaks = processes.map(() => 0);
  const sample = () =>
    processes.forEach((p, i) => {
      try {
        peaks[i] = Math.max(peaks[i]!, rssMB(p.child.pid!));
      } catch {
        // gone; the run says why
      }
    });
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/** Same flow on both providers, SECONDS each, in halves T B B T; the rates and Tongxing ÷ bare. */
async function compare(title: string, sides: [Side, Side], worker: (site: SsoSite, w: number) => Promise<() => Promise<void>>) {
  const [tongxing, bare] = sides;
  const stepsOf = (side: Side) => Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(side.site, w)));
  const [t, b] = [await stepsOf(tongxing), await stepsOf(bare)];
  const half = SECONDS / 2;
  const t1 = await timed(`${title}, ${tongxing.site.name}`, t, half, tongxing);
  const b1 = await timed(`${title}, ${bare.site.name}`, b, half, bare);
  const b2 = await timed(`${title}, ${bare.site.name}`, b, half, bare);
  const t2 = await timed(`${title}, ${tongxing.site.name}`, t, half, tongxing);
  const result = { tongxing: rate([t1, t2]), bare: rate([b1, b2]), ratio: 0, cpuRatio: 0 };
  result.ratio = result.tongxing.perSecond / result.bare.perSecond;
  // What the same CPU would give Tongxing against the bare provider: bare CPU ÷ Tongxing's (with PostgreSQL's).
  result.cpuRatio = result.bare.cpuMsPerOp.provider / (result.tongxing.cpuMsPerOp.provider + result.tongxing.cpuMsPerOp.postgres);
  log(`${title.padEnd(28)} ${describe(result.tongxing)}   ${describe(result.bare)}   ${result.ratio.toFixed(2)}`);
  const c = result.tongxing.cpuMsPerOp;
  log(
    `${''.padEnd(28)} CPU/op ${c.provider.toFixed(1)} ms + PostgreSQL ${c.postgres.toFixed(1)} ms`.padEnd(29 + describeWidth) +
      `   CPU/op ${result.bare.cpuMsPerOp.provider.toFixed(1)} ms`.padEnd(3 + describeWidth) +
      `   ${result.cpuRatio.toFixed(2)} by CPU`,
  );
  return result;
}

async function main() {
  console.log(
    `Single sign-on: Tongxing on PostgreSQL beside the bare oidc-provider ${providerVersion} (${CONCURRENCY} workers, ${SECONDS} s per provider and flow)`,
  );
  const scratch = await createScratchDatabase(adminUrl, 'tongxing_bench_sso');
  if (!scratch) {
    log('no PostgreSQL server answered; the SSO benchmark needs one');
    return;
  }
  const stops: Array<() => Promise<void>> = [];
  try {
    const started = await startTongxing(scratch.url, ACCOUNTS);
    stops.push(started.provider.stop);
    const { base, phones } = started;
    const bareProcess = await startBareProvider(phones);
    stops.push(bareProcess.stop);
    const processes = [started.provider, bareProcess];
    const sites = (await Promise.all(
      processes.map((p) =>
        connect({ name: p.name, issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret, redirectUri: REDIRECT, password: BENCH_PASSWORD }),
      ),
    )) as [SsoSite, SsoSite];
    await new Promise((r) => setTimeout(r, 1000));
    const idleMB = processes.map((p) => rssMB(p.child.pid!));
    log(`RSS idle: Tongxing ${idleMB[0]!.toFixed(0)} MB, bare oidc-provider ${idleMB[1]!.toFixed(0)} MB`);

    // First logins (with consent), which also give each worker its refresh-token chain.
    const firstTokens = new Map<SsoSite, Awaited<ReturnType<typeof fullLogin>>[]>();
    for (const site of sites) firstTokens.set(site, await Promise.all(phones.map((p) => fullLogin(site, p, true))));

    const sides: [Side, Side] = [
      { site: sites[0], pid: started.provider.child.pid!, database: scratch.name },
      { site: sites[1], pid: bareProcess.child.pid! },
    ];
    const peaks = rssPeaks(processes);
    log(`${'flow'.padEnd(28)} ${'Tongxing'.padEnd(describeWidth)}   ${'bare oidc-provider'.padEnd(describeWidth)}   Tongxing ÷ bare`);
    const logins = await compare(
      'full login (password + code)',
      sides,
      async (site, w) => () => fullLogin(site, phones[w % phones.length]!).then(() => undefined),
    );
    const refresh = await compare('refresh-token grant', sides, async (site, w) => {
      const first = firstTokens.get(site)!;
      // Workers sharing an account would replay each other's rotated token: one chain each.
      let token = w < first.length ? first[w]!.refresh_token! : (await fullLogin(site, phones[w % phones.length]!, true)).refresh_token!;
      return async () => {
        token = await refreshGrant(site, token);
      };
    });
    const info = await compare('userinfo', sides, async (site, w) => {
      const tokens = await fullLogin(site, phones[w % phones.length]!);
      return () => userinfo(site, tokens.access_token);
    });
    const peakMB = peaks.stop();
    const afterMB = processes.map((p) => rssMB(p.child.pid!));
    log(
      `RSS under load (peak) / after: Tongxing ${peakMB[0]!.toFixed(0)} / ${afterMB[0]!.toFixed(0)} MB, bare oidc-provider ${peakMB[1]!.toFixed(0)} / ${afterMB[1]!.toFixed(0)} MB`,
    );
    await bareProcess.stop();

    // CAS beside OIDC, on Tongxing: a full login (password on Tongxing's page, the ticket, its
    // validation), and within a signed-in session a service ticket issued and validated.
    const CAS_SERVICE = 'http://127.0.0.1:9/app';
    const validateCas = async (ticket: string | null) => {
      if (!ticket) throw new Error('no service ticket');
      const res = await fetch(`${base}/cas/p3/serviceValidate?ticket=${ticket}&service=${encodeURIComponent(CAS_SERVICE)}`);
      if (!(await res.text()).includes('<cas:authenticationSuccess>')) throw new Error('CAS validation failed');
    };
    const casLogin = async (phone: string, browser = new Browserless()) => {
      let step = await browser.follow(`${base}/cas/login?service=${encodeURIComponent(CAS_SERVICE)}`, base);
      if (new URL(step.url).pathname === '/login') {
        step = await browser.follow(`${base}/login`, base, {
          form: { username: phone, password: BENCH_PASSWORD, next: new URL(step.url).searchParams.get('next')! },
        });
      }
      if (step.response.status === 200 && browser.lastBody.includes('id="consent-allow"')) {
        const form = Object.fromEntries(
          [...browser.lastBody.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
        );
        step = await browser.follow(`${base}/cas/consent`, base, { form });
      }
      await validateCas(new URL(step.url).searchParams.get('ticket'));
      return browser;
    };
    for (const phone of phones) await casLogin(phone); // consents, once per person
    const casRun = async (name: string, worker: (w: number) => Promise<() => Promise<void>>) => {
      const r = rate([await timed(name, await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w))), SECONDS, sides[0])]);
      log(`${name.padEnd(28)} ${describe(r)}   CPU/op ${r.cpuMsPerOp.provider.toFixed(1)} ms + PostgreSQL ${r.cpuMsPerOp.postgres.toFixed(1)} ms`);
      return r;
    };
    const casLogins = await casRun('CAS full login', async (w) => () => casLogin(phones[w % phones.length]!).then(() => undefined));
    const casTickets = await casRun('CAS ticket issue + validate', async (w) => {
      const browser = await casLogin(phones[w % phones.length]!);
      return async () => {
        const issued = await browser.request(`${base}/cas/login?service=${encodeURIComponent(CAS_SERVICE)}`);
        await validateCas(new URL(issued.headers.get('location') ?? '', base).searchParams.get('ticket'));
      };
    });
    log(
      `ratios: CAS login / OIDC login ${(casLogins.perSecond / logins.tongxing.perSecond).toFixed(2)}; CAS ticket cycle / OIDC refresh grant ${(casTickets.perSecond / refresh.tongxing.perSecond).toFixed(2)}`,
    );
    const aims = { logins: 100, refresh: 1_000, userinfo: 3_000 };
    const met = (value: number, aim: number) => (value >= aim ? 'met' : 'NOT met');
    log(
      `aims (Tongxing): ≥ ${aims.logins} logins/s ${met(logins.tongxing.perSecond, aims.logins)}; ≥ ${aims.refresh} refresh/s ${met(refresh.tongxing.perSecond, aims.refresh)}; ≥ ${aims.userinfo} userinfo/s ${met(info.tongxing.perSecond, aims.userinfo)}`,
    );
    mkdirSync(join(root, 'test-results'), { recursive: true });
    const rss = (i: number) => ({ idleMB: idleMB[i], peakUnderLoadMB: peakMB[i], afterLoadMB: afterMB[i] });
    writeFileSync(
      join(root, 'test-results', 'bench-sso.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          concurrency: CONCURRENCY,
          seconds: SECONDS,
          oidcProvider: providerVersion,
          // Tongxing ÷ the bare oidc-provider, measured in the same run.
          ratios: { logins: logins.ratio, refresh: refresh.ratio, userinfo: info.ratio },
          // The bare provider's CPU per operation ÷ Tongxing's with PostgreSQL's: the ratio the
          // same CPU would give, less moved by other work on a shared machine.
          cpuRatios: { logins: logins.cpuRatio, refresh: refresh.cpuRatio, userinfo: info.cpuRatio },
          tongxing: { logins: logins.tongxing, refresh: refresh.tongxing, userinfo: info.tongxing, rss: rss(0) },
          bare: { logins: logins.bare, refresh: refresh.bare, userinfo: info.bare, rss: rss(1) },
          casLogins,
          casTickets,
          aims,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(String(error)));
    await scratch.drop();
  }
}

await main();
