// The two OpenID Providers the SSO bench compares, each in its own process (so each one's memory
// is its own): Tongxing (`tongxing serve` on a scratch PostgreSQL database, with a platform and
// people registered through its own CLI and API) and the bare oidc-provider reference
// (bench/bare-provider.ts) with the same client and the same people.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { BENCH_PASSWORD, type BareReply } from './protocol.ts';

const root = new URL('..', import.meta.url).pathname;
export const REDIRECT = 'http://127.0.0.1:9/callback';

export interface ProviderProcess {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** VmRSS of a process, in MiB, from /proc/<pid>/status. */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

/** The node flags of the `start` script (package.json), so both providers run as deployed. */
function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  return (pkg.scripts.start ?? '').split(/\s+/).filter((part) => part.startsWith('--'));
}

/** BENCH_SERVER_NODE_ARGS: extra node flags for both providers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"). */
const extraNodeFlags = () => (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function tongxing(args: string[], env: Record<string, string>, nodeFlags: string[] = []) {
  const child = spawn(process.execPath, [...startNodeFlags(), ...nodeFlags, 'bin/tongxing.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return { child, output: () => out, exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
}

/**
 * `tongxing serve` on `databaseUrl` with an OIDC platform (and a CAS one) registered by
 * `tongxing client add`, and `accounts` people registered through the API (phone, SMS code,
 * password). `nodeFlags` go to the service's node (bench/sso-costs.ts loads bench/request-costs.ts so).
 */
export async function startTongxing(databaseUrl: string, accounts: number, nodeFlags: string[] = [], extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    // Each registration comes from its own (documentation-range) address, as people do: from one
    // address the fourth SMS would want a captcha.
    TRUST_PROXY: '127.0.0.1',
    // One bench session issues thousands of service tickets; a person's session may have 120 an
    // hour (casTicketsPerSession), which would turn the ticket cycle into refusals. Still counted.
    RATE_LIMITS: 'casTicketsPerSession=100000000/3600',
    ...extraEnv,
  };
  const add = tongxing(['client', 'add', '--name', 'bench', '--redirect-uri', REDIRECT, '--scopes', 'profile,phone,realname,offline_access'], env);
  await add.exited;
  const clientId = /client_id=(\S+)/.exec(add.output())?.[1];
  const clientSecret = /client_secret=(\S+)/.exec(add.output())?.[1];
  if (!clientId || !clientSecret) throw new Error(`client add failed:\n${add.output()}`);
  const casAdd = tongxing(
    ['client', 'add', '--protocol', 'cas', '--name', 'bench-cas', '--service', '^http://127\\.0\\.0\\.1:9/.*$', '--scopes', 'profile,phone'],
    env,
  );
  await casAdd.exited;
  if (!/client_id=/.test(casAdd.output())) throw new Error(`client add --protocol cas failed:\n${casAdd.output()}`);

  const server = tongxing(['serve'], env, [...extraNodeFlags(), ...nodeFlags]);
  const stop = async () => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.child.kill('SIGTERM');
    await server.exited;
  };
  try {
    // Up to a minute: a busy shared machine (or --cpu-prof) can take longer than ten seconds.
    for (let i = 0; i < 600 && !/listening on/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
    if (!/listening on/.test(server.output())) throw new Error(`tongxing serve did not start:\n${server.output()}`);
    const phones: string[] = [];
    for (let i = 0; i < accounts; i++) {
      const phone = `188${String(10_000_000 + i * 7_919).slice(-8)}`;
      const from = { 'x-forwarded-for': `198.51.100.${i + 1}` };
      await fetch(`${base}/api/v1/registrations/phone/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from },
        body: JSON.stringify({ phone }),
      });
      const outbox = (await (await fetch(`${base}/dev/outbox.json`)).json()) as Array<{ to: string; text: string }>;
      const code = /(\d{6})/.exec(outbox.find((m) => m.to === phone)!.text)![1]!;
      const made = await fetch(`${base}/api/v1/registrations/phone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from },
        body: JSON.stringify({ phone, code, password: BENCH_PASSWORD, agree: true }),
      });
      if (made.status !== 201) throw new Error(`registration failed: ${made.status} ${await made.text()}`);
      phones.push(phone);
    }
    const provider: ProviderProcess = { name: 'Tongxing', issuer: `${base}/oidc`, clientId, clientSecret, child: server.child, stop };
    return { provider, base, phones, output: server.output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The bare oidc-provider (bench/bare-provider.ts) with the same client and people, at the production argon2 cost. */
export async function startBareProvider(usernames: string[], nodeFlags: string[] = [], extraEnv: Record<string, string> = {}): Promise<ProviderProcess> {
  // The cost as the service takes it: its configuration's defaults, i.e. production's.
  const { argon2 } = loadConfig({ NODE_ENV: 'test' });
  const clientId = 'bare_bench_client';
  const clientSecret = Buffer.alloc(32, 7).toString('base64url');
  const child = spawn(
    process.execPath,
    [...startNodeFlags(), ...extraNodeFlags(), ...nodeFlags, '--import', './src/loader/register.js', 'bench/bare-provider.ts'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test', // as Tongxing's in this bench (oidc-provider does not read it)
        BARE_CLIENT_ID: clientId,
        BARE_CLIENT_SECRET: clientSecret,
        BARE_REDIRECT_URI: REDIRECT,
        BARE_USERNAMES: usernames.join(','),
        BARE_PASSWORD: BENCH_PASSWORD,
        BARE_ARGON2_MEMORY_KIB: String(argon2.memoryKiB),
        BARE_ARGON2_ITERATIONS: String(argon2.iterations),
        ...(argon2.concurrency ? { BARE_ARGON2_CONCURRENCY: String(argon2.concurrency) } : {}),
        ...extraEnv,
      },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    },
  );
  // The in-memory adapter is the point of the reference: the provider's warning about it is not news.
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString().replace(/^oidc-provider WARNING: a quick start development-only in-memory adapter.*\n?/m, '');
    if (text) process.stderr.write(text);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = await new Promise<Extract<BareReply, { kind: 'ready' }>>((resolve, reject) => {
    child.on('message', (reply: BareReply) => reply.kind === 'ready' && resolve(reply));
    void exited.then((code) => reject(new Error(`bench/bare-provider.ts exited (${code}) before it was ready`)));
  });
  return {
    name: 'bare oidc-provider',
    issuer: ready.issuer,
    clientId,
    clientSecret,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      await exited;
    },
  };
}
