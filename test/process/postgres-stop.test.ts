// The service when PostgreSQL itself is stopped, not cut off by a proxy: a private cluster of
// its own (initdb, pg_ctl, as the postgres user), stopped with `pg_ctl stop -m fast` and
// `-m immediate` while people sign in, ask for codes and a balancer polls /readyz. Either mode
// ends every open connection from the server's side (FATAL 57P01 admin_shutdown for fast; the
// socket simply closing for immediate), idle ones in the pool and ones in the middle of a
// statement alike; an 'error' event on a pg client without a listener used to end the process.
// It must stay up, answer 503 with its own message in the person's language while the server is
// away, and once `pg_ctl start` brings it back answer as before without a restart, with every
// acknowledged registration still there. Each stop is repeated: a process that survives one may
// not survive the pool's next reconnect.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTongxing, type Running } from '../helpers/service-process.ts';
import { freePort } from '../helpers/example-platform.ts';
import { codeIn } from '../helpers/agent.ts';

const BIN = '/usr/lib/postgresql/15/bin';
const required = process.env.REQUIRE_POSTGRES === '1';
const installed = existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
const PASSWORD = 'survives a stopped database';
const UNAVAILABLE = {
  'zh-CN': '服务暂时无法访问数据，请稍候几秒再试。您的操作未被保存。',
  en: 'The service cannot reach its data just now. Please try again in a few seconds; nothing was saved.',
} as const;
type Language = keyof typeof UNAVAILABLE;

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // Already gone (a server stopped by the test itself): the next cleanup still runs.
    }
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(what: string, ready: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    assert.ok(Date.now() < deadline, what);
    await sleep(100);
  }
}

/** A PostgreSQL cluster of this test's own on a free port, run by the postgres user (it refuses root). */
async function privateCluster(): Promise<{ url: string; pgCtl: (...args: string[]) => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-pgstop-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(run('id', '-u', 'postgres')), Number(run('id', '-g', 'postgres')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const asPostgres = (command: string, ...args: string[]) => (asRoot ? run('runuser', '-u', 'postgres', '--', command, ...args) : run(command, ...args));
  const data = join(dir, 'data');
  asPostgres(join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions');
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => void asPostgres(join(BIN, 'pg_ctl'), '-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', ...args);
  pgCtl('start');
  // Stopped before the directory is removed, however the test ended.
  cleanups.push(() => pgCtl('stop', '-m', 'immediate'));
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, pgCtl };
}

function run(command: string, ...args: string[]): string {
  const done = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(done.status, 0, `${command} ${args.join(' ')}:\n${done.stdout}${done.stderr}${done.error ?? ''}`);
  return done.stdout.trim();
}

interface Answer {
  status: number;
  type: string;
  text: string;
  retryAfter: string | null;
}

let people = 0;
/** Each request from an address of its own (the service trusts the test as its proxy): no limit a crowd shares is met. */
const someone = () => `10.${(++people >> 16) & 255}.${(people >> 8) & 255}.${people & 255}`;

async function call(base: string, path: string, language: Language, body?: Record<string, unknown>, address = someone()): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'accept-language': language, 'x-forwarded-for': address, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answerOf(response);
}

const answerOf = async (response: Response): Promise<Answer> => ({
  status: response.status,
  type: response.headers.get('content-type') ?? '',
  text: await response.text(),
  retryAfter: response.headers.get('retry-after'),
});

/** The sign-in page as a person uses it: the form (its CSRF token and cookie), then posted. */
async function signInByPage(base: string, language: Language, username: string, password: string): Promise<Answer> {
  const address = someone();
  const page = await fetch(`${base}/login`, { headers: { 'accept-language': language, 'x-forwarded-for': address } });
  if (page.status !== 200) return answerOf(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'accept-language': language, 'x-forwarded-for': address, 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  return answerOf(response);
}

const signIn = (base: string, language: Language, username: string, password: string) => call(base, '/api/v1/sessions', language, { username, password });

/** The service's own 503: Retry-After and its message in the person's language, nothing of Fastify's or pg's. */
function assertOwnUnavailable(answer: Answer, language: Language, what: string): void {
  assert.equal(answer.status, 503, `${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  assert.equal(answer.retryAfter, '5', what);
  if (answer.type.startsWith('application/json')) {
    assert.deepEqual(JSON.parse(answer.text), { error: { code: 'error.unavailable.body', message: UNAVAILABLE[language] } }, what);
  } else {
    assert.ok(answer.text.includes(UNAVAILABLE[language]), `${what}: the page says so in ${language}`);
  }
  assert.doesNotMatch(answer.text, /FST_|Internal Server Error|terminating connection|ECONNREFUSED|statusCode/, what);
}

async function register(base: string, phone: string): Promise<Answer> {
  const address = someone();
  const sent = await call(base, '/api/v1/registrations/phone/code', 'zh-CN', { phone }, address);
  assert.equal(sent.status, 200, sent.text);
  let code: string | undefined;
  await eventually(`the code for ${phone} is in the outbox`, async () => {
    const outbox = JSON.parse((await call(base, '/dev/outbox.json', 'zh-CN')).text) as Array<{ to: string; text: string }>;
    const message = outbox.find((m) => m.to === phone);
    if (message) code = codeIn(message.text);
    return code !== undefined;
  });
  return call(base, '/api/v1/registrations/phone', 'zh-CN', { phone, code, password: PASSWORD, agree: true }, address);
}

/** Requests all along, as people and a balancer make them: each answer kept to be checked later. */
function load(base: string, server: Running): { stop: () => Promise<Array<{ path: string; answer: Answer; language: Language }>> } {
  const answers: Array<{ path: string; answer: Answer; language: Language }> = [];
  let running = true;
  const loops = [0, 1, 2].map(async (lane) => {
    for (let i = 0; running && server.child.exitCode === null; i++) {
      const language: Language = (lane + i) % 2 === 0 ? 'zh-CN' : 'en';
      const requests: Array<[string, () => Promise<Answer>]> = [
        ['/api/v1/sessions', () => signIn(base, language, `1370001${String(lane * 1000 + (i % 1000)).padStart(4, '0')}`, 'not anyone’s password')],
        ['/readyz', () => call(base, '/readyz', language)],
        [
          '/api/v1/registrations/phone/code',
          () => call(base, '/api/v1/registrations/phone/code', language, { phone: `1370002${String(lane * 1000 + (i % 1000)).padStart(4, '0')}` }),
        ],
        ['/login', () => signInByPage(base, language, '13700009999', 'wrong')],
      ];
      const [path, request] = requests[i % requests.length]!;
      try {
        answers.push({ path, answer: await request(), language });
      } catch (error) {
        // The service went away under the request: what the test is here to catch.
        answers.push({ path, answer: { status: 0, type: '', text: String(error), retryAfter: null }, language });
        await sleep(50);
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

// Defined where PostgreSQL's binaries are, and always under REQUIRE_POSTGRES (CI), where their
// absence fails it, as the other PostgreSQL suites are defined only where a server answers.
if (installed || required)
  test(
    'PostgreSQL stopped with pg_ctl (fast, immediate, again): the process stays up, answers 503 in the person’s language, recovers',
    { timeout: 60_000 },
    async () => {
      assert.ok(installed, `REQUIRE_POSTGRES=1 but no PostgreSQL binaries in ${BIN} (apt-get install postgresql-15)`);
      const cluster = await privateCluster();
      const server: Running = runTongxing(['serve'], { DATABASE_URL: cluster.url, DATABASE_POOL_SIZE: '4', TRUST_PROXY: '127.0.0.1' });
      cleanups.push(async () => {
        server.child.kill('SIGKILL');
        await server.exit;
      });
      const base = await server.url;
      const alive = () => assert.equal(server.child.exitCode, null, `the process is still running:\n${server.output()}`);

      assert.equal((await register(base, '13700000001')).status, 201, 'a registration acknowledged before any stop');
      assert.equal((await signIn(base, 'zh-CN', '13700000001', PASSWORD)).status, 201);
      const acknowledged = ['13700000001'];

      for (const [round, mode] of (['fast', 'immediate', 'fast', 'immediate'] as const).entries()) {
        const traffic = load(base, server);
        cleanups.push(() => traffic.stop());
        // Connections open and idle in the pool, and some in the middle of a statement, when the server ends them.
        await sleep(300);
        cluster.pgCtl('stop', '-m', mode);
        await sleep(300);
        alive();
        for (const language of ['zh-CN', 'en'] as const) {
          assertOwnUnavailable(await signIn(base, language, '13700000001', PASSWORD), language, `round ${round} (${mode}): sign-in`);
          assertOwnUnavailable(
            await call(base, '/api/v1/registrations/phone/code', language, { phone: '13700003333' }),
            language,
            `round ${round} (${mode}): a code asked for`,
          );
          assertOwnUnavailable(await signInByPage(base, language, '13700000001', PASSWORD), language, `round ${round} (${mode}): the sign-in page`);
          // A platform's token request: the provider's own answer for an outage, not its "oops!".
          const token = await fetch(`${base}/oidc/token`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Basic ${Buffer.from('tx_AAAAAAAAAAAAAAAA:secret').toString('base64')}`,
            },
            body: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fyz.example.edu.cn%2Fcb',
          });
          assert.equal(token.status, 503, `round ${round} (${mode}): /oidc/token`);
          assert.equal(token.headers.get('retry-after'), '5');
          assert.equal(((await token.json()) as { error: string }).error, 'temporarily_unavailable');
          const ready = await call(base, '/readyz', language);
          assert.equal(ready.status, 503, `round ${round}: /readyz`);
          assert.deepEqual(JSON.parse(ready.text), { status: 'database unreachable' });
        }
        cluster.pgCtl('start');
        await eventually(
          `round ${round} (${mode}): sign-in answers again once PostgreSQL is back`,
          async () => (await signIn(base, 'en', '13700000001', PASSWORD)).status === 201,
        );
        const answers = await traffic.stop();
        alive();

        assert.equal((await call(base, '/readyz', 'en')).status, 200);
        for (const { path, answer, language } of answers) {
          const what = `round ${round} (${mode}): ${path} answered ${answer.status}`;
          assert.ok(answer.status !== 0 && answer.status < 500 ? true : answer.status === 503, `${what}: ${answer.text.slice(0, 300)}`);
          if (answer.status === 503 && path !== '/readyz') assertOwnUnavailable(answer, language, what);
        }
        assert.ok(
          answers.some((a) => a.answer.status === 503),
          `round ${round}: requests met the stopped server (${answers.length} answers)`,
        );
        // A registration acknowledged between stops, found after the next one.
        const phone = `137000001${String(round).padStart(2, '0')}`;
        assert.equal((await register(base, phone)).status, 201, `round ${round}: registering once PostgreSQL is back`);
        acknowledged.push(phone);
      }

      for (const phone of acknowledged) assert.equal((await signIn(base, 'zh-CN', phone, PASSWORD)).status, 201, `${phone} still signs in`);
      alive();
      assert.doesNotMatch(server.output(), /Unhandled 'error' event|uncaught|request failed/i);
    },
  );
