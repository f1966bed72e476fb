// `npm run bench`: how fast is Tongxing on this machine, and how much memory does it take?
//   1. the argon2id ceiling: raw hashes/s at the configured cost, one lane per core;
//   2. the real service (bench/server.ts, a child process) on PGlite and on PostgreSQL, loaded
//      over loopback for a fixed time each: sign-in, phone registration, GET /account; its RSS
//      idle and under load, read from /proc;
//   3. a table with the aims from the issue beside the figures, and test-results/bench.json.
// Takes about 1.5 minutes. Without a PostgreSQL server it runs the PGlite part and says so.
// Knobs (environment): BENCH_SECONDS (per scenario, default 8), BENCH_ONLY (bench/only.ts: e.g. postgres, or sso),
// BENCH_DATABASE_URL (default TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test),
// BENCH_REDIS_URL (the service keeps its rate limits in that Redis, as several nodes would),
// BENCH_SERVER_NODE_ARGS (extra node flags for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"),
// BENCH_SCALE_ACCOUNTS (then, last, bench/scale.ts: per-request look-ups among that many accounts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createScratchDatabase } from '../test/helpers/postgres.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { measureArgon2, type Argon2Ceiling } from './argon2.ts';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';
import { cpuMeter, type CpuSplit } from './cpu.ts';
import { BENCH_PASSWORD, type Command, type Reply, type Storage } from './protocol.ts';
import { isSelected, skipUnlessSelected } from './only.ts';

skipUnlessSelected('pglite', 'postgres');

const root = new URL('..', import.meta.url).pathname;
const cores = availableParallelism();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 1.5;
const ACCOUNTS = 200;
/** Password-bound scenarios: enough connections to keep every hashing lane busy while others do
 * their database work, few enough that latency is not mostly queueing behind the hash limit. */
const HASH_CONNECTIONS = cores * 4;
const PAGE_CONNECTIONS = 32;

const AIMS = { signInVsCeiling: 0.8, accountPageRpsOnPostgres: 3_000, rssIdleMB: 150, rssLoadMB: 300 };

// ---------------------------------------------------------------- the service in a child process

/** A command without its id (Omit over each member of the union). */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type CommandInput = Without<Command, 'id'>;

class ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly startMs: number;
  #nextId = 1;
  #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  #exited: Promise<number | null>;

  private constructor(child: ChildProcess, ready: Extract<Reply, { kind: 'ready' }>, exited: Promise<number | null>) {
    this.child = child;
    this.url = ready.url;
    this.startMs = ready.startMs;
    this.#exited = exited;
    child.on('message', (reply: Reply) => {
      if (!('id' in reply)) return;
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.kind === 'error') waiting?.reject(new Error(`service: ${reply.message}`));
      else waiting?.resolve(reply);
    });
    void exited.then((code) => {
      for (const waiting of this.#pending.values()) waiting.reject(new Error(`service exited (${code}) during a command`));
      this.#pending.clear();
    });
  }

  static async start(storage: Storage, env: Record<string, string>): Promise<ServerProcess> {
    const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
    // process.execPath is the project's Node 24; spawning it directly (no shell, no npm) makes
    // child.pid the service's own pid, whose /proc status we read.
    // The same V8 flags as `npm start` (package.json), so memory is measured as deployed.
    const child = spawn(process.execPath, [...startNodeFlags(), ...extra, '--import', './src/loader/register.js', 'bench/server.ts'], {
      cwd: root,
      env: { ...process.env, ...env, BENCH_STORAGE: storage },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = await new Promise<Extract<Reply, { kind: 'ready' }>>((resolve, reject) => {
      child.on('message', (reply: Reply) => {
        if (reply.kind === 'ready') resolve(reply);
        else if (reply.kind === 'fatal') reject(new Error(`the service did not start:\n${reply.message}`));
      });
      void exited.then((code) => reject(new Error(`the service exited (${code}) before it was ready`)));
    });
    return new ServerProcess(child, ready, exited);
  }

  command<K extends Reply['kind']>(command: CommandInput): Promise<Extract<Reply, { kind: K }>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (reply: Reply) => void, reject });
      this.child.send({ ...command, id } as Command);
    });
  }

  /** VmRSS and VmHWM (peak) of the service, in MiB, from /proc/<pid>/status. */
  memory(): { rssMB: number; hwmMB: number } {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
  }

  /** Asks the service to close (server, worker, database); kills it if it does not in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    const stopped = this.command({ kind: 'stop' }).then(
      () => this.#exited,
      () => undefined,
    );
    await Promise.race([stopped, timeout]);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.#exited;
    }
  }
}

/** Samples the service's RSS every 100 ms while the load runs; keeps the highest. */
function rssSampler(server: ServerProcess) {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, server.memory().rssMB);
    } catch {
      // the process is gone; the run will say why
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    takePeak() {
      sample();
      const value = peak;
      peak = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}

// ---------------------------------------------------------------- PostgreSQL: a throw-away database

function postgresAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A throw-away database beside the admin URL's, dropped when the bench ends. */
const createBenchDatabase = (adminUrl: string) => createScratchDatabase(adminUrl, 'tongxing_bench');

// ---------------------------------------------------------------- the scenarios

/** One timed scenario: its load figures and where the CPU went meanwhile. */
interface Scenario extends LoadResult {
  cpu: CpuSplit;
  peakRssMB: number;
}

interface StorageRun {
  storage: Storage;
  startMs: number;
  seedMs: number;
  codes: { issued: number; perSecond: number; failed: number };
  signIn: Scenario;
  registration: Scenario;
  accountPage: Scenario;
  accountPageCookies: string;
  rss: { idleMB: number; peakUnderLoadMB: number; hwmMB: number; idleBreakdown: MemoryBreakdown; afterLoadBreakdown: MemoryBreakdown };
}

/** What the service's memory is made of (MiB): V8's heap, and memory outside it (Buffers and
 * WebAssembly memory: PGlite's whole database engine lives there). */
interface MemoryBreakdown {
  rssMB: number;
  heapTotalMB: number;
  heapUsedMB: number;
  externalMB: number;
}
const breakdown = (u: NodeJS.MemoryUsage): MemoryBreakdown => ({
  rssMB: u.rss / 2 ** 20,
  heapTotalMB: u.heapTotal / 2 ** 20,
  heapUsedMB: u.heapUsed / 2 ** 20,
  externalMB: u.external / 2 ** 20,
});
const describeMemory = (b: MemoryBreakdown) =>
  `RSS ${b.rssMB.toFixed(0)}; V8 heap ${b.heapTotalMB.toFixed(0)} (${b.heapUsedMB.toFixed(0)} used); external ${b.externalMB.toFixed(0)} (Buffers and WebAssembly memory, at full size even where not resident)`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`  ${line}`);

/** Issues registration codes through the API (not timed as a scenario): `lanes` at a time. */
async function issueCodes(url: string, phones: string[], lanes = 8): Promise<{ failed: number; perSecond: number }> {
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < phones.length) {
        const phone = phones[next++]!;
        const response = await fetch(`${url}/api/v1/registrations/phone/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone }),
        });
        const text = await response.text();
        if (response.status !== 200) {
          failed++;
          firstFailure ??= `${response.status} ${text}`;
        }
      }
    }),
  );
  if (firstFailure) log(`warning: ${failed} code requests failed, first: ${firstFailure}`);
  return { failed, perSecond: phones.length / ((performance.now() - t0) / 1000) };
}

async function benchStorage(storage: Storage, env: Record<string, string>, ceilingHashesPerSecond: number, database?: string): Promise<StorageRun> {
  if (storage === 'pglite') {
    // A new PGlite data directory costs an initdb, whose memory the WASM heap keeps for the life
    // of the process. A production service starts on an existing directory, so create and
    // migrate it in a first process, then measure a second one started on it.
    const first = await ServerProcess.start(storage, env);
    await first.stop();
    log(`data directory created and migrated in ${(first.startMs / 1000).toFixed(1)} s (first start, not measured)`);
  }
  const server = await ServerProcess.start(storage, env);
  const stopServer = () => server.stop();
  cleanups.add(stopServer);
  try {
    log(`service up at ${server.url} in ${(server.startMs / 1000).toFixed(1)} s (pid ${server.child.pid})`);
    await sleep(1000);
    const idle = server.memory();
    const idleUsage = (await server.command<'memory'>({ kind: 'memory' })).usage;
    log(`idle RSS ${idle.rssMB.toFixed(0)} MB`);

    const seeded = await server.command<'seeded'>({ kind: 'seed', count: ACCOUNTS, phonePrefix: '139', password: BENCH_PASSWORD });
    log(`${ACCOUNTS} accounts inserted in ${seeded.ms.toFixed(0)} ms`);

    // Enough codes that registration never runs dry: each registration costs one hash, so the
    // CPU-bound ceiling (unaffected by other work on the machine) bounds the rate.
    const codeCount = Math.ceil(ceilingHashesPerSecond * (SECONDS + WARMUP_SECONDS) * 1.1) + 50;
    const phones = Array.from({ length: codeCount }, (_, i) => `138${String(i).padStart(8, '0')}`);
    const issued = await issueCodes(server.url, phones);
    const { codes } = await server.command<'codes'>({ kind: 'codes', phones });
    const registrable = phones.filter((p) => codes[p]);
    log(`${registrable.length} registration codes issued (${issued.perSecond.toFixed(0)}/s) and read from the outbox`);

    const sampler = rssSampler(server);
    /** A warm-up run, then the timed one, with the CPU split and peak RSS of the timed one. */
    const measure = async (options: Omit<LoadOptions, 'seconds'>): Promise<Scenario> => {
      await runLoad({ ...options, seconds: WARMUP_SECONDS });
      sampler.takePeak();
      const meter = cpuMeter(server.child.pid!, database, cores);
      const result = await runLoad({ ...options, seconds: SECONDS });
      return { ...result, cpu: meter.finish(result.ok), peakRssMB: sampler.takePeak() };
    };
    try {
      // --- sign-in: POST /api/v1/sessions, round-robin over the seeded accounts
      let signInIndex = 0;
      const tokens: string[] = [];
      const signInOptions = {
        url: server.url,
        connections: HASH_CONNECTIONS,
        method: 'POST' as const,
        path: '/api/v1/sessions',
        expect: 201,
        next: () => ({ body: JSON.stringify({ username: seeded.usernames[signInIndex++ % seeded.usernames.length], password: BENCH_PASSWORD }) }),
        onBody: (status: number, body: string) => {
          if (status === 201 && tokens.length < ACCOUNTS) tokens.push((JSON.parse(body) as { session: { token: string } }).session.token);
        },
      };
      const signIn = await measure(signInOptions);
      log(`sign-in ${describe(signIn)}`);

      // --- registration: POST /api/v1/registrations/phone with the pre-issued codes
      let registrationIndex = 0;
      const registrationOptions = {
        url: server.url,
        connections: HASH_CONNECTIONS,
        method: 'POST' as const,
        path: '/api/v1/registrations/phone',
        expect: 201,
        next: () => {
          const phone = registrable[registrationIndex++];
          return phone ? { body: JSON.stringify({ phone, code: codes[phone], password: BENCH_PASSWORD, agree: true }) } : undefined;
        },
      };
      const registration = await measure(registrationOptions);
      if (registrationIndex > registrable.length) log('warning: the pre-issued codes ran out; registration was measured over a shorter time');
      log(`registration ${describe(registration)}`);

      // --- GET /account with a session cookie, as a browser sends it: the first page view also
      // sets the CSRF secret cookie (every page carries a CSRF token), which a browser returns.
      if (tokens.length === 0) throw new Error('no sign-in succeeded, so there is no session for GET /account');
      const first = await fetch(`${server.url}/account`, { headers: { cookie: `tx_session=${tokens[0]}` }, redirect: 'manual' });
      await first.text();
      if (first.status !== 200) throw new Error(`GET /account with a fresh session answered ${first.status}`);
      const csrfCookie = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .filter((c) => !c.startsWith('tx_session='))
        .join('; ');
      let pageIndex = 0;
      const pageOptions = {
        url: server.url,
        connections: PAGE_CONNECTIONS,
        method: 'GET' as const,
        path: '/account',
        expect: 200,
        next: () => ({ headers: { cookie: `tx_session=${tokens[pageIndex++ % tokens.length]}${csrfCookie ? `; ${csrfCookie}` : ''}` } }),
      };
      const accountPage = await measure(pageOptions);
      log(`GET /account ${describe(accountPage)} over ${tokens.length} sessions`);

      const hwmMB = server.memory().hwmMB;
      const loadedUsage = (await server.command<'memory'>({ kind: 'memory' })).usage;
      return {
        storage,
        startMs: server.startMs,
        seedMs: seeded.ms,
        codes: { issued: registrable.length, perSecond: issued.perSecond, failed: issued.failed },
        signIn,
        registration,
        accountPage,
        accountPageCookies: csrfCookie ? 'tx_session + tx_csrf' : 'tx_session',
        rss: {
          idleMB: idle.rssMB,
          peakUnderLoadMB: Math.max(signIn.peakRssMB, registration.peakRssMB, accountPage.peakRssMB),
          hwmMB,
          idleBreakdown: breakdown(idleUsage),
          afterLoadBreakdown: breakdown(loadedUsage),
        },
      };
    } finally {
      sampler.stop();
    }
  } finally {
    await server.stop();
    cleanups.delete(stopServer);
  }
}

function describe(r: Scenario): string {
  const failures =
    r.failed || r.errors
      ? `, ${r.failed} unexpected statuses ${JSON.stringify(r.statuses)}, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ''}`
      : '';
  return (
    `${r.rps.toFixed(1)}/s, p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms (${r.ok} in ${r.seconds.toFixed(1)} s, ${r.connections} connections${failures}); ` +
    `service ${r.cpu.serviceMsPerRequest.toFixed(2)} ms CPU/req, others ${r.cpu.otherCores.toFixed(2)} cores`
  );
}

// ---------------------------------------------------------------- report

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
const label = (s: Storage) => (s === 'pglite' ? 'PGlite' : 'PostgreSQL');

function report(ceilings: Argon2Ceiling[], ceilingRate: number, runs: StorageRun[]): string {
  const times = (r: LoadResult) => `${(r.rps / ceilingRate).toFixed(2)} ×`;
  const rows: string[][] = [['scenario', 'storage', 'req/s', '× ceiling', 'p50 ms', 'p99 ms', 'aim', 'met']];
  for (const run of runs) {
    const name = label(run.storage);
    const signInRatio = run.signIn.rps / ceilingRate;
    const pageAim = run.storage === 'postgres';
    rows.push(
      [
        'sign-in (POST /api/v1/sessions)',
        name,
        run.signIn.rps.toFixed(1),
        times(run.signIn),
        ms(run.signIn.latencyMs.p50),
        ms(run.signIn.latencyMs.p99),
        `≥ ${AIMS.signInVsCeiling} × ceiling`,
        mark(signInRatio >= AIMS.signInVsCeiling),
      ],
      [
        'registration (POST /api/v1/registrations/phone)',
        name,
        run.registration.rps.toFixed(1),
        times(run.registration),
        ms(run.registration.latencyMs.p50),
        ms(run.registration.latencyMs.p99),
        '—',
        '',
      ],
      [
        'authenticated page (GET /account)',
        name,
        run.accountPage.rps.toFixed(0),
        '',
        ms(run.accountPage.latencyMs.p50),
        ms(run.accountPage.latencyMs.p99),
        pageAim ? `≥ ${AIMS.accountPageRpsOnPostgres.toLocaleString('en')}/s` : '(aim is for PostgreSQL)',
        pageAim ? mark(run.accountPage.rps >= AIMS.accountPageRpsOnPostgres) : '',
      ],
      ['RSS idle (MB)', name, run.rss.idleMB.toFixed(0), '', '', '', `< ${AIMS.rssIdleMB} MB`, mark(run.rss.idleMB < AIMS.rssIdleMB)],
      [
        'RSS under load, peak (MB)',
        name,
        run.rss.peakUnderLoadMB.toFixed(0),
        '',
        '',
        '',
        `< ${AIMS.rssLoadMB} MB`,
        mark(run.rss.peakUnderLoadMB < AIMS.rssLoadMB),
      ],
      ['RSS high-water mark, whole life (MB)', name, run.rss.hwmMB.toFixed(0), '', '', '', '', ''],
    );
  }

  const cpuRows: string[][] = [
    [
      'scenario',
      'storage',
      'CPU ms/req: service',
      '(main thread)',
      'PostgreSQL',
      'generator',
      'cores used: service',
      'PostgreSQL',
      'generator',
      'others',
      'req/s if alone',
      'failed',
    ],
  ];
  for (const run of runs) {
    for (const [title, sc] of [
      ['sign-in', run.signIn],
      ['registration', run.registration],
      ['GET /account', run.accountPage],
    ] as const) {
      cpuRows.push([
        title,
        label(run.storage),
        sc.cpu.serviceMsPerRequest.toFixed(2),
        sc.cpu.serviceMainThreadMsPerRequest.toFixed(2),
        run.storage === 'postgres' ? sc.cpu.postgresMsPerRequest.toFixed(2) : '(in service)',
        sc.cpu.generatorMsPerRequest.toFixed(2),
        sc.cpu.serviceCores.toFixed(2),
        run.storage === 'postgres' ? sc.cpu.postgresCores.toFixed(2) : '',
        sc.cpu.generatorCores.toFixed(2),
        sc.cpu.otherCores.toFixed(2),
        sc.cpu.aloneRps.toFixed(0),
        sc.failed || sc.errors ? `${sc.failed + sc.errors} ${JSON.stringify(sc.statuses)}` : '0',
      ]);
    }
  }

  const lines = [
    '',
    `argon2id ceiling: ${ceilingRate.toFixed(1)} hashes/s (m=${config.argon2.memoryKiB} KiB, t=${config.argon2.iterations}, p=1; ${cores} in flight = cores)`,
    `  the higher of ${ceilings.map((c) => `${c.hashesPerSecond.toFixed(1)}/s (${c.hashes} hashes in ${c.seconds.toFixed(1)} s, mean ${c.meanMs.toFixed(1)} ms)`).join(' before and ')} after the service runs`,
    '',
    table(rows),
    '',
  ];
  const idealHash = ceilings.reduce((a, b) => (a.cpuMsPerHash <= b.cpuMsPerHash ? a : b));
  for (const run of runs) {
    lines.push(
      `${label(run.storage)}: sign-in ${run.signIn.rps.toFixed(1)}/s = ${times(run.signIn)} ceiling; registration ${run.registration.rps.toFixed(1)}/s = ${times(run.registration)} ceiling`,
    );
  }
  lines.push(
    '',
    `Where the CPU went (${cores} cores; "cores used" = CPU seconds per second; "others" = other processes on the machine, which lower every figure).`,
    `One argon2id hash costs ${idealHash.cpuMsPerHash.toFixed(1)} ms of CPU, so with nothing else running the ceiling would be ${idealHash.idealHashesPerSecond.toFixed(0)} hashes/s;`,
    `"req/s if alone" = ${cores} cores ÷ (service + PostgreSQL + generator CPU per request): what CPU alone would allow on an otherwise idle machine.`,
    table(cpuRows),
    ...runs.map(
      (run) =>
        `${label(run.storage)}, CPU-bound estimate on an idle machine: sign-in ${run.signIn.cpu.aloneRps.toFixed(0)}/s = ${(run.signIn.cpu.aloneRps / idealHash.idealHashesPerSecond).toFixed(2)} × ideal ceiling; ` +
        `registration ${run.registration.cpu.aloneRps.toFixed(0)}/s = ${(run.registration.cpu.aloneRps / idealHash.idealHashesPerSecond).toFixed(2)} ×; GET /account ${run.accountPage.cpu.aloneRps.toFixed(0)}/s`,
    ),
    '',
    `Load: ${SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up; ${HASH_CONNECTIONS} connections for sign-in and registration, ${PAGE_CONNECTIONS} for GET /account (cookies: ${runs[0]?.accountPageCookies ?? '—'}), generated by this process over loopback on the same ${cores} cores.`,
    'RSS is the service process alone (a child process), from /proc/<pid>/status, in MiB; "under load" is the highest VmRSS sampled every 100 ms during the timed scenarios;',
    'the high-water mark covers the whole life of the process, start-up included.',
    ...runs.flatMap((run) => [
      `${label(run.storage)} memory, idle: ${describeMemory(run.rss.idleBreakdown)}`,
      `${label(run.storage)} memory, after the load: ${describeMemory(run.rss.afterLoadBreakdown)}`,
    ]),
  );
  return lines.join('\n');
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

// ---------------------------------------------------------------- main

/** What to undo if the run is interrupted, newest first: stop the service before dropping its
 * database (dropping it under a live pool would crash the service), then remove files. */
const cleanups = new Set<() => Promise<void>>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the service and dropping the bench database…`);
    void (async () => {
      for (const cleanup of [...cleanups].reverse()) await cleanup().catch((error) => console.error(String(error)));
    })().finally(() => process.exit(130));
  });
}

const config = loadConfig({ NODE_ENV: 'test' }); // the defaults: the production argon2 cost
const runStarted = performance.now();
console.log(`Tongxing bench — ${cpus()[0]?.model ?? 'cpu'} × ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);

const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const loadBefore = loadAverage();
if (loadBefore > 0.5) {
  console.log(
    `warning: the machine is busy before the bench starts (1-minute load average ${loadBefore.toFixed(2)} on ${cores} cores); figures will be lower and noisier than on an idle machine`,
  );
}

console.log('\n[1/3] argon2id ceiling');
const ceilings: Argon2Ceiling[] = [];
const argon2 = (warmupSeconds: number, seconds: number) =>
  measureArgon2({ memoryKiB: config.argon2.memoryKiB, iterations: config.argon2.iterations, concurrency: cores, warmupSeconds, seconds });
ceilings.push(await argon2(1, 5));
log(`${ceilings[0]!.hashesPerSecond.toFixed(1)} hashes/s with ${cores} in flight (mean ${ceilings[0]!.meanMs.toFixed(1)} ms each)`);
const ceilingRate = () => Math.max(...ceilings.map((c) => c.hashesPerSecond));
const idealCeiling = () => Math.max(...ceilings.map((c) => c.idealHashesPerSecond));

const runs: StorageRun[] = [];
const notices: string[] = [];

if (isSelected('pglite') && !interrupted) {
  console.log('\n[2/3] PGlite (embedded, temporary data directory)');
  const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-bench-'));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  cleanups.add(removeDir);
  try {
    runs.push(await benchStorage('pglite', { BENCH_DATA_DIR: dataDir }, idealCeiling()));
  } finally {
    await removeDir();
    cleanups.delete(removeDir);
  }
}

if (isSelected('postgres') && !interrupted) {
  console.log('\n[3/3] PostgreSQL');
  const adminUrl = postgresAdminUrl();
  const database = await createBenchDatabase(adminUrl);
  if (!database) {
    const notice = `notice: no PostgreSQL server answers at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}; the PostgreSQL part was not run`;
    notices.push(notice);
    log(notice);
  } else {
    cleanups.add(database.drop);
    try {
      log(`database ${database.name} created`);
      runs.push(await benchStorage('postgres', { DATABASE_URL: database.url }, idealCeiling(), database.name));
    } finally {
      await database.drop();
      cleanups.delete(database.drop);
      log('bench database dropped');
    }
  }
}

// Measured again after the service runs: on a machine shared with other work the ceiling
// moves, and a ratio against a momentarily low ceiling would flatter the service. The higher of
// the two is the ceiling the ratios use.
if (!interrupted) {
  ceilings.push(await argon2(0.5, 3));
  log(`\nargon2id ceiling re-measured: ${ceilings[1]!.hashesPerSecond.toFixed(1)} hashes/s`);
}
const loadAfter = loadAverage();
console.log(report(ceilings, ceilingRate(), runs));
const [low, high] = [Math.min(...ceilings.map((c) => c.hashesPerSecond)), ceilingRate()];
if (high > low * 1.15) console.log(`note: the two ceiling measurements differ by ${((high / low - 1) * 100).toFixed(0)} %: something else was using the CPU`);
console.log(`1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cores} cores)`);
for (const notice of notices) console.log(notice);

const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, 'bench.json');
writeFileSync(
  resultsFile,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model, cores, memoryGiB: totalmem() / 2 ** 30, node: process.version },
      settings: {
        secondsPerScenario: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        accounts: ACCOUNTS,
        hashConnections: HASH_CONNECTIONS,
        pageConnections: PAGE_CONNECTIONS,
      },
      aims: AIMS,
      argon2: { ceilingHashesPerSecond: ceilingRate(), measurements: ceilings },
      loadAverage: { before: loadBefore, after: loadAfter },
      runs: runs.map((run) => ({ ...run, signInVsCeiling: run.signIn.rps / ceilingRate(), registrationVsCeiling: run.registration.rps / ceilingRate() })),
      notices,
      totalSeconds: (performance.now() - runStarted) / 1000,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nresults: ${resultsFile} (${((performance.now() - runStarted) / 1000).toFixed(0)} s in all)`);

// Only when asked: at the sizes it is meant for it fills tens of GB and takes an hour or more.
if (process.env.BENCH_SCALE_ACCOUNTS && !interrupted) {
  const { benchScale } = await import('./scale.ts');
  await benchScale(Number(process.env.BENCH_SCALE_ACCOUNTS), postgresAdminUrl());
}

/** The node flags of the `start` script, e.g. --max-semi-space-size=16. */
function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  return (pkg.scripts.start ?? '').split(/\s+/).filter((part) => part.startsWith('--'));
}
