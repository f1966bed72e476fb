// Three `tongxing serve` processes behind HAProxy (the shipped deploy/haproxy/haproxy.cfg), on one
// PostgreSQL and one Redis, each reached through a TCP proxy the test controls, and an SMS
// gateway on loopback that answers as Aliyun's SendSms does and counts what it was asked to send.
// People register by SMS code and sign in through the balancer all along, while
//   - PostgreSQL is away for ten seconds (stopped: connections ended, new ones refused): requests
//     answer the service's own 503 (Retry-After, the person's language) — HAProxy passes it on
//     although no node is ready —, the nodes stay up and recover without a restart;
//   - Redis is away: codes, registrations and sign-ins go on (limits count in the database), and
//     go on again once it is back.
// At the end every acknowledged registration signs in, every acknowledged code reached the
// gateway exactly once (no duplicate, none lost), and the nodes made one signing key, which each publishes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { runTongxing, type Running } from '../helpers/service-process.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { haproxyInstalled, startBalancer } from '../helpers/haproxy.ts';
import { freePort } from '../helpers/example-platform.ts';
import { signAliyunRpc } from '../../src/notifications/sms/aliyun.ts';

const PASSWORD = 'outages survived';
const REDIRECT = 'http://127.0.0.1:9/callback';
const SMS_KEY = { id: 'outage-key-id', secret: 'outage-key-secret' };
const CODE_TEMPLATE = 'SMS_100000001';
const UNAVAILABLE = {
  'zh-CN': '服务暂时无法访问数据，请稍候几秒再试。您的操作未被保存。',
  en: 'The service cannot reach its data just now. Please try again in a few seconds; nothing was saved.',
} as const;
/** The limit of this test: far above what a loaded 2-core machine needs, well under CI's patience. */
const WITHIN_MS = 30_000;

const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `ready` until it holds; `what` names it when it never does. */
async function eventually(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = WITHIN_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    assert.ok(Date.now() < deadline, what);
    await sleep(100);
  }
}

interface Sent {
  phone: string;
  template: string;
  params: Record<string, string>;
}

/**
 * Aliyun SendSms on loopback: a form POST signed with the access key (checked, as the gateway
 * does), answered HTTP 200 with Code OK, a RequestId and a BizId. Every message taken is kept.
 */
async function smsGateway(): Promise<{ url: string; sent: Sent[] }> {
  const sent: Sent[] = [];
  const body = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      request.on('data', (d) => (text += d));
      request.on('end', () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    const params = Object.fromEntries(new URLSearchParams(await body(request)));
    response.setHeader('content-type', 'application/json');
    const signed = params.Signature === signAliyunRpc(params, SMS_KEY.secret);
    if (request.method !== 'POST' || params.Action !== 'SendSms' || params.AccessKeyId !== SMS_KEY.id || !signed) {
      response.statusCode = 400;
      return void response.end(JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'bad request', RequestId: randomBytes(8).toString('hex') }));
    }
    sent.push({ phone: params.PhoneNumbers!, template: params.TemplateCode!, params: JSON.parse(params.TemplateParam ?? '{}') });
    response.end(JSON.stringify({ Code: 'OK', Message: 'OK', RequestId: randomBytes(8).toString('hex'), BizId: `${Date.now()}^0` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent };
}

type Phase = 'before' | 'postgres away' | 'postgres back' | 'redis away' | 'redis back';

interface Answer {
  path: string;
  phase: Phase;
  /** The phase when the answer came; a request spanning a change belongs to neither side. */
  endPhase: Phase;
  status: number;
  backend: string;
  body: unknown;
  retryAfter: string | null;
  language: keyof typeof UNAVAILABLE;
}

if (database) {
  cleanups.push(() => database.drop());

  test(
    'three nodes behind HAProxy: PostgreSQL away ten seconds and Redis away, nothing acknowledged lost, no message twice',
    { timeout: 150_000 },
    async () => {
      assert.ok(haproxyInstalled(), 'HAProxy is installed (apt-get install haproxy; .ci/run does)');
      const postgresUrl = new URL(database.url);
      const postgres = await startTcpProxy({ host: postgresUrl.hostname, port: Number(postgresUrl.port || 5432) });
      cleanups.push(() => postgres.close());
      postgresUrl.port = String(postgres.port);
      const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
      const redis = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
      cleanups.push(() => redis.close());
      redisUrl.host = `127.0.0.1:${redis.port}`;
      const gateway = await smsGateway();

      const port = await freePort();
      const env = {
        DATABASE_URL: postgresUrl.toString(),
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: redisUrl.toString(),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        TRUST_PROXY: '127.0.0.1',
        SECRET_KEY: randomBytes(32).toString('base64'),
        ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ID_INDEX_KEY: randomBytes(32).toString('base64'),
        OUTBOX_POLL_MS: '100',
        SMS_PROVIDER: 'aliyun',
        ALIYUN_ACCESS_KEY_ID: SMS_KEY.id,
        ALIYUN_ACCESS_KEY_SECRET: SMS_KEY.secret,
        ALIYUN_SMS_SIGN_NAME: '通行',
        ALIYUN_SMS_TEMPLATE_CODE: CODE_TEMPLATE,
        ALIYUN_SMS_TEMPLATES:
          'username:SMS_100000002,reset_link:SMS_100000003,data_export:SMS_100000007,notice:SMS_100000004,support_reply:SMS_100000005,support_follow:SMS_100000006',
        ALIYUN_SMS_ENDPOINT: gateway.url,
      };
      const nodes: Running[] = [0, 1, 2].map(() => runTongxing(['serve'], env));
      for (const node of nodes)
        cleanups.push(async () => {
          node.child.kill('SIGKILL');
          await node.exit;
        });
      const { base, output: balancerOutput } = await startBalancer(port, await Promise.all(nodes.map((node) => node.url)), cleanups);
      // A platform, added by the operator's command, for the OpenID Connect requests below.
      const added = runTongxing(['client', 'add', '--name', '研招网', '--redirect-uri', REDIRECT, '--scopes', 'profile'], env);
      assert.equal(await added.exit, 0, added.output());
      const clientId = /client_id=(\S+)/.exec(added.output())![1]!;
      const authorizationPath = () =>
        `/oidc/auth?client_id=${clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'}&code_challenge_method=S256`;

      let phase: Phase = 'before';
      const answers: Answer[] = [];
      /** One person's request through the balancer, from their own address and in their language. */
      const call = async (path: string, address: string, language: keyof typeof UNAVAILABLE, body?: unknown, record = true): Promise<Answer> => {
        const started = phase;
        const response = await fetch(`${base}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': language, 'x-forwarded-for': address },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {
          // HAProxy's own page is HTML: kept as text, so the checks below name it.
        }
        const answer: Answer = {
          path,
          phase: started,
          endPhase: phase,
          status: response.status,
          backend: response.headers.get('x-backend') ?? 'haproxy itself',
          body: json,
          retryAfter: response.headers.get('retry-after'),
          language,
        };
        if (record) answers.push(answer);
        return answer;
      };
      /** A 503 the service wrote itself: Retry-After and its message in the person's language. */
      const isOwnUnavailable = (a: Answer) =>
        a.status === 503 &&
        a.backend !== 'haproxy itself' &&
        a.retryAfter !== null &&
        JSON.stringify(a.body) === JSON.stringify({ error: { code: 'error.unavailable.body', message: UNAVAILABLE[a.language] } });
      /** What a person does on a 503: waits as Retry-After says (capped: people are impatient, and so is CI). */
      const backOff = () => sleep(1_000);

      // Per phone: the code requests the service acknowledged (200) and those it refused.
      const codesAcknowledged = new Map<string, number>();
      const codesRefused = new Map<string, number>();
      const registered = new Map<string, Phase>();
      const people = new Map<string, { address: string; language: keyof typeof UNAVAILABLE }>();
      const signedIn: Phase[] = [];
      const codeFor = (phone: string) => gateway.sent.find((m) => m.phone === phone && m.template === CODE_TEMPLATE)?.params.code;

      /** One person: asks for a code once (a refused one is not asked again), registers with it, signs in. */
      const newcomer = async (sequence: number) => {
        // Each person their own number block and address, so no limit shared between them is reached.
        const phone = `15${String(sequence).padStart(5, '0')}${String(port % 10_000).padStart(4, '0')}`;
        const person = { address: `10.40.${sequence >> 8}.${sequence & 255}`, language: sequence % 2 ? ('en' as const) : ('zh-CN' as const) };
        people.set(phone, person);
        const sent = await call('/api/v1/registrations/phone/code', person.address, person.language, { phone });
        if (sent.status !== 200) {
          codesRefused.set(phone, (codesRefused.get(phone) ?? 0) + 1);
          return backOff();
        }
        codesAcknowledged.set(phone, (codesAcknowledged.get(phone) ?? 0) + 1);
        // The code arrives once the outbox can read it: after PostgreSQL is back, if it was away.
        await eventually(`the code acknowledged for ${phone} reaches the gateway`, () => codeFor(phone) !== undefined);
        const code = codeFor(phone)!;
        const deadline = Date.now() + WITHIN_MS;
        for (;;) {
          const done = await call('/api/v1/registrations/phone', person.address, person.language, { phone, code, password: PASSWORD, agree: true });
          if (done.status === 201) return void registered.set(phone, done.phase);
          // A registration refused 503 saved nothing: the same code, still unspent, registers later.
          assert.ok(isOwnUnavailable(done), `registration of ${phone}: ${done.status} ${JSON.stringify(done.body)}`);
          assert.ok(Date.now() < deadline, `${phone} registers once PostgreSQL is back`);
          await backOff();
        }
      };
      /** Someone registered earlier signs in again (each in turn): sign-ins go on all along. */
      let turn = 0;
      const returning = async () => {
        const phones = [...registered.keys()];
        if (phones.length === 0) return;
        const phone = phones[turn++ % phones.length]!;
        const { address, language } = people.get(phone)!;
        const session = await call('/api/v1/sessions', address, language, { username: phone, password: PASSWORD });
        if (session.status === 201) signedIn.push(session.phase);
        else await backOff();
      };

      let sequence = 0;
      let stop = false;
      const load = Promise.all(
        Array.from({ length: 6 }, async () => {
          while (!stop) {
            await newcomer(++sequence);
            await returning();
          }
        }),
      );
      const registeredIn = (p: Phase) => [...registered.values()].filter((q) => q === p).length;
      const signedInDuring = (p: Phase) => signedIn.filter((q) => q === p).length;

      try {
        await eventually('people register before anything goes away', () => registeredIn('before') >= 6);

        // PostgreSQL away for ten seconds.
        postgres.set('down');
        phase = 'postgres away';
        const cutAt = Date.now();
        const probe = (path: string) => call(path, '10.41.0.1', 'zh-CN', undefined, false);
        await eventually('HAProxy sends requests to the nodes although none is ready', async () => (await probe('/readyz')).backend === 'tongxing-unready');
        const ready = await probe('/readyz');
        assert.equal(ready.status, 503);
        assert.deepEqual(ready.body, { status: 'database unreachable' });
        assert.equal((await probe('/healthz')).status, 200, 'the processes live');
        // What needs no database is still served; the key set, read from it, is the service's own 503.
        assert.equal((await probe('/oidc/.well-known/openid-configuration')).status, 200);
        const jwks = await probe('/oidc/jwks');
        assert.equal(jwks.status, 503);
        assert.ok(jwks.retryAfter !== null && String(jwks.body).includes(UNAVAILABLE['zh-CN']), `the service's own page: ${String(jwks.body).slice(0, 300)}`);
        // A platform's sign-in request: the provider's own handler would say 500 server_error.
        const authorizing = await probe(authorizationPath());
        assert.equal(authorizing.status, 503, String(authorizing.body).slice(0, 300));
        assert.ok(authorizing.retryAfter !== null && String(authorizing.body).includes(UNAVAILABLE['zh-CN']), String(authorizing.body).slice(0, 300));
        while (Date.now() - cutAt < 10_000) await sleep(100);
        postgres.set('up');
        phase = 'postgres back';
        await eventually(
          'every node is ready again, without a restart',
          async () => (await fetchAll(nodes, '/readyz')).every((status) => status === 200) && (await probe('/readyz')).backend === 'tongxing',
        );
        await eventually(
          'people register and sign in again once PostgreSQL is back',
          () => registeredIn('postgres back') >= 6 && signedInDuring('postgres back') >= 3,
        );

        // Redis away: limits count in the database, nothing refused for want of it.
        redis.set('down');
        phase = 'redis away';
        await eventually('people register and sign in while Redis is away', () => registeredIn('redis away') >= 6 && signedInDuring('redis away') >= 6);
        const wrong = await call('/api/v1/sessions', '10.41.0.2', 'en', { username: [...registered.keys()][0], password: 'not the password' });
        assert.equal(wrong.status, 401, `a wrong password is still told so: ${JSON.stringify(wrong.body)}`);
        redis.set('up');
        phase = 'redis back';
        await eventually('people register and sign in once Redis is back', () => registeredIn('redis back') >= 6 && signedInDuring('redis back') >= 3);
      } finally {
        stop = true;
        await load;
      }

      for (const node of nodes) {
        assert.equal(node.child.exitCode, null, `every node is still running:\n${node.output()}`);
        assert.doesNotMatch(node.output(), /Unhandled 'error' event|uncaught/i);
      }

      // No request failed as a fault, and none got HAProxy's page: the service answered each.
      const faults = answers.filter((a) => a.status >= 500 && !isOwnUnavailable(a) && a.path !== '/readyz');
      assert.deepEqual(faults, [], `no 500, no balancer page\n${balancerOutput().slice(-2_000)}`);
      const refusals = answers.filter((a) => a.status >= 400 && a.status !== 503 && a.path !== '/api/v1/sessions');
      assert.deepEqual(refusals, [], 'no code or registration refused');
      // While PostgreSQL was away, the service's own 503 reached people — also from nodes HAProxy
      // no longer counted as ready — and Redis being away refused nobody.
      const away = answers.filter((a) => a.phase === 'postgres away' && a.endPhase === 'postgres away' && a.path.startsWith('/api/'));
      assert.ok(
        away.length > 0 && away.every(isOwnUnavailable),
        `API requests answered 503 while PostgreSQL was away: ${JSON.stringify(away.filter((a) => !isOwnUnavailable(a)))}`,
      );
      assert.ok(away.some((a) => a.backend === 'tongxing-unready' && a.language === 'en'));
      assert.ok(away.some((a) => a.backend === 'tongxing-unready' && a.language === 'zh-CN'));
      const withoutRedis = answers.filter((a) => a.phase === 'redis away' && a.endPhase === 'redis away');
      assert.deepEqual(
        withoutRedis.filter((a) => a.status >= 500),
        [],
        'Redis away refuses nothing',
      );

      // Nothing acknowledged is lost: every registration answered 201 signs in.
      for (const phone of registered.keys()) {
        const answer = await call('/api/v1/sessions', '10.42.0.1', 'en', { username: phone, password: PASSWORD });
        assert.equal(answer.status, 201, `${phone} was acknowledged and signs in (${JSON.stringify(answer.body)})`);
      }
      // Every acknowledged code reached the gateway once, and none twice: the outbox of three nodes
      // through an outage sends each message exactly once. A refused request may have been saved
      // just before the database went (its answer lost): at most its one message. Counted once the
      // outbox holds no SMS still to send or being sent, so none can come later.
      const outbox = new pg.Client({ connectionString: database.url });
      await outbox.connect();
      try {
        await eventually('the outbox has sent every SMS', async () => {
          const { rows } = await outbox.query<{ state: string }>(`select state from outbox where channel = 'sms' and state <> 'sent'`);
          return rows.length === 0;
        });
      } finally {
        await outbox.end();
      }
      for (const phone of new Set([...codesAcknowledged.keys(), ...codesRefused.keys()])) {
        const messages = gateway.sent.filter((m) => m.phone === phone).length;
        const acknowledged = codesAcknowledged.get(phone) ?? 0;
        if (acknowledged) assert.equal(messages, acknowledged, `${phone}: one message per acknowledged request`);
        else assert.ok(messages <= (codesRefused.get(phone) ?? 0), `${phone}: no more messages than requests`);
      }

      // Platforms sign people in again: an authorization request goes on to the sign-in.
      const authorize = await fetch(`${base}${authorizationPath()}`, { redirect: 'manual' });
      assert.equal(authorize.status, 303, await authorize.text());
      assert.match(authorize.headers.get('location') ?? '', /\/login|\/sso\/interaction\//);

      // One key set: the three nodes started together made one signing key between them (not one
      // each), and every node publishes it and only it.
      const keys = new pg.Client({ connectionString: database.url });
      await keys.connect();
      try {
        const { rows } = await keys.query<{ kid: string }>('select kid from oidc_signing_keys');
        assert.equal(rows.length, 1, `one signing key was made, not ${rows.length}`);
        const jwks = await Promise.all(nodes.map(async (node) => (await fetch(`${await node.url}/oidc/jwks`)).json()));
        for (const set of jwks)
          assert.deepEqual(
            (set as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid),
            [rows[0]!.kid],
          );
        assert.deepEqual(jwks[1], jwks[0]);
        assert.deepEqual(jwks[2], jwks[0]);
      } finally {
        await keys.end();
      }
    },
  );
}

/** Each node's own answer for `path` (straight to the node, not through the balancer). */
async function fetchAll(nodes: Running[], path: string): Promise<number[]> {
  return Promise.all(nodes.map(async (node) => (await fetch(`${await node.url}${path}`).catch(() => ({ status: 0 }))).status));
}
