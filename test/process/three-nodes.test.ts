// The deployment shape of docs/deployment.md with real parts: three `tongxing serve` processes
// behind HAProxy (Debian's, running deploy/haproxy/haproxy.cfg), on one PostgreSQL and one Redis.
// Through the balancer people register, sign in and sign in to a platform over OpenID Connect
// (openid-client, authorization code + PKCE), each request landing on whichever node the balancer
// picks — so sessions, codes, OIDC interactions and the signing keys must be the cluster's, not a
// node's. While all three kinds run side by side, one node is killed (SIGKILL). Every request is
// on record (test/helpers/observed-fetch.ts): the node that answered (HAProxy's X-Node), the
// status or the network error, and the time from the kill. A request may fail only by the kill:
// a lost connection, or a 502/503 from HAProxy itself or the killed node, ending after the kill
// and sent at most 3 s after it; HAProxy's log must put each 5xx on the killed node. A 5xx from a
// node that lives, or a step that breaks on an answer it cannot read, fails the test. Afterwards
// every acknowledged registration signs in, every acknowledged session still opens its account,
// and a registration cut off half way left either a whole account or none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { runTongxing, type Running } from '../helpers/service-process.ts';
import { Browserless } from '../helpers/browserless.ts';
import { codeIn } from '../helpers/agent.ts';
import { haproxyInstalled, startBalancer } from '../helpers/haproxy.ts';
import { freePort } from '../helpers/example-platform.ts';
import { cutIn, Exchanges, type Cut, type Exchange, type Fetcher } from '../helpers/observed-fetch.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const PASSWORD = 'three nodes and a balancer';
/** HAProxy's name for nodes[1], the one killed. */
const KILLED = 'n2';
/**
 * How long after the kill a request may still be sent and fail. HAProxy checks every 300 ms and
 * drops a node after two failed checks, and a refused connection is sent to another node at once,
 * so 3 s is generous: a bound on whom the kill may be blamed for, not a measure of speed.
 */
const WINDOW_MS = 3_000;

type Kind = 'registration' | 'sign-in' | 'oidc';
const KINDS: Kind[] = ['registration', 'sign-in', 'oidc'];
interface Flow {
  kind: Kind;
  started: number;
  ended: number;
  cut?: Cut;
}
interface Session {
  token: string;
  accountId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

type Api = (path: string, body?: unknown, token?: string) => Promise<{ status: number; json: unknown }>;

/** The JSON API through the balancer, sent with `send` (a recording fetch: one person's). */
function api(base: string, send: Fetcher): Api {
  return async (path, body, token) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'zh-CN' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await send(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Every answer below 500 from these routes is JSON: one that is not is a defect to surface,
    // so a parse error is thrown, never counted as a request the kill cut off.
    return { status: response.status, json: JSON.parse(await response.text()) as unknown };
  };
}

/** Registers `phone` by SMS code (a code already read is used again); throws unless answered 201. */
async function register(call: Api, phone: string, codes: Map<string, string>): Promise<void> {
  if (!codes.has(phone)) {
    const sent = await call('/api/v1/registrations/phone/code', { phone });
    assert.equal(sent.status, 200, `code for ${phone}: ${JSON.stringify(sent.json)}`);
    codes.set(phone, await codeFromOutbox(call, phone));
  }
  const done = await call('/api/v1/registrations/phone', { phone, code: codes.get(phone), password: PASSWORD, agree: true });
  assert.equal(done.status, 201, `registration of ${phone}: ${JSON.stringify(done.json)}`);
}

/** The SMS is queued in the transaction that answered 200, so any node's dev outbox has it; the retries only ride out load. */
async function codeFromOutbox(call: Api, phone: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const outbox = await call('/dev/outbox.json');
    assert.equal(outbox.status, 200, JSON.stringify(outbox.json));
    assert.ok(Array.isArray(outbox.json), `the outbox is a list: ${JSON.stringify(outbox.json)}`);
    const message = (outbox.json as Array<{ to: string; text: string }>).find((m) => m.to === phone);
    if (message) return codeIn(message.text);
    await sleep(100);
  }
  return assert.fail(`the code for ${phone} is in the outbox`);
}

/** Signs `phone` in (acknowledged: the 201, kept in `sessions`) and uses the session at once, on whichever node. */
async function signIn(call: Api, phone: string, sessions: Session[]): Promise<void> {
  const signedIn = await call('/api/v1/sessions', { username: phone, password: PASSWORD });
  assert.equal(signedIn.status, 201, `sign-in of ${phone}: ${JSON.stringify(signedIn.json)}`);
  const answer = signedIn.json as { accountId: string; session: { token: string } };
  sessions.push({ token: answer.session.token, accountId: answer.accountId });
  await ownAccount(call, answer);
}

async function ownAccount(call: Api, session: { accountId: string; session: { token: string } }): Promise<void> {
  const account = await call('/api/v1/account', undefined, session.session.token);
  assert.equal(account.status, 200, JSON.stringify(account.json));
  assert.equal((account.json as { id: string }).id, session.accountId);
}

/** A platform's sign-in: the browser's steps sent with `send`, the platform's (token, userinfo) with the config's own fetch. */
async function oidcLogin(base: string, config: oidc.Configuration, send: Fetcher, phone: string): Promise<string> {
  const browser = new Browserless(send);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  let step = await browser.follow(url.toString(), base);
  // Signed out: the sign-in page at the platform sign-in's own address.
  const next = new URL(step.url).pathname;
  assert.match(next, /^\/sso\/interaction\/[\w-]+$/);
  assert.match(browser.lastBody, /<form[^>]*id="login"/);
  step = await browser.follow(`${base}/login`, base, { form: { username: phone, password: PASSWORD, next } });
  if (step.url.includes('/sso/interaction/') && step.response.status === 200) {
    const uid = /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
    step = await browser.follow(`${base}/sso/interaction/${uid}/confirm`, base, { form: {} });
  }
  assert.ok(step.url.startsWith(REDIRECT), `back at the platform, not ${step.url} (${step.response.status})`);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: state });
  const sub = tokens.claims()!.sub;
  const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
  assert.equal(info.sub, sub);
  return sub;
}

if (database) {
  cleanups.push(() => database.drop());

  test(
    'three nodes behind HAProxy: registrations, sign-ins and OIDC logins across nodes; a node killed under them fails only requests on it, and nothing acknowledged is lost',
    { timeout: 90_000 },
    async (t) => {
      assert.ok(haproxyInstalled(), 'HAProxy is installed (apt-get install haproxy; .ci/run does)');
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      // What a cluster shares: one database, one Redis, the same secrets, one public address.
      const env = {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        PUBLIC_URL: base,
        TRUST_PROXY: '127.0.0.1',
        SECRET_KEY: randomBytes(32).toString('base64'),
        ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ID_INDEX_KEY: randomBytes(32).toString('base64'),
        OUTBOX_POLL_MS: '100',
      };
      const migrated = runTongxing(['migrate'], env);
      assert.equal(await migrated.exit, 0, migrated.output());
      const nodes: Running[] = [0, 1, 2].map(() => runTongxing(['serve'], env));
      for (const node of nodes)
        cleanups.push(async () => {
          node.child.kill('SIGKILL');
          await node.exit;
        });
      const urls = await Promise.all(nodes.map((node) => node.url));
      const balancer = await startBalancer(port, urls, cleanups);

      // A platform, registered by the operator's command against the same database.
      const added = runTongxing(['client', 'add', '--name', '研招网', '--redirect-uri', REDIRECT, '--scopes', 'profile'], env);
      assert.equal(await added.exit, 0, added.output());
      const clientId = /client_id=(\S+)/.exec(added.output())![1]!;
      const clientSecret = /client_secret=(\S+)/.exec(added.output())![1]!;
      const exchanges = new Exchanges();
      /** The platform's client, its requests recorded under `label`. */
      const platform = async (label: string) => {
        const fetcher = exchanges.fetcher(label);
        // Its bodies are strings and URLSearchParams (a Uint8Array only for DPoP, unused here).
        const send: oidc.CustomFetch = (url, options) => fetcher(url, options as RequestInit);
        const config = await oidc.discovery(new URL(`${base}/oidc`), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
          execute: [oidc.allowInsecureRequests],
          [oidc.customFetch]: send,
        });
        config[oidc.customFetch] = send;
        return config;
      };

      // Before the kill: three people, each signing in and (two of them) into the platform;
      // their journeys cross every node, and one person is the same subject whichever node signed.
      const codes = new Map<string, string>();
      const people = ['13800000001', '13800000002', '13800000003'];
      const setupConfig = await platform('setup');
      const subs = new Map<string, string>();
      for (const [i, phone] of people.entries()) {
        const call = api(base, exchanges.fetcher('setup', `10.20.0.${i + 1}`));
        await register(call, phone, codes);
        await signIn(call, phone, []);
      }
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) seen.add(await oidcLogin(base, setupConfig, exchanges.fetcher('setup', '10.20.1.1'), people[0]!));
      assert.equal(seen.size, 1, 'the same person every time, whichever node signed the token');
      subs.set(people[0]!, [...seen][0]!);
      subs.set(people[1]!, await oidcLogin(base, setupConfig, exchanges.fetcher('setup', '10.20.1.2'), people[1]!));
      assert.deepEqual([...new Set(exchanges.all.map((x) => x.node))].sort(), ['n1', 'n2', 'n3']);

      // The load: five people at a time registering, three signing in and using their session,
      // two signing in to the platform; each loop runs until told to stop.
      const flows: Flow[] = [];
      const registrations = new Map<string, Flow>();
      const sessions: Session[] = [];
      let stop = false;
      let defect: unknown;
      let sequence = 0;
      const flow = async (kind: Kind, body: () => Promise<unknown>): Promise<Flow> => {
        const done: Flow = { kind, started: performance.now(), ended: 0 };
        try {
          await body();
        } catch (error) {
          // Only a request that failed ends a flow quietly (judged below); anything else is a defect.
          const cut = cutIn(error);
          if (!cut) throw error;
          done.cut = cut;
        }
        done.ended = performance.now();
        flows.push(done);
        return done;
      };
      const loop = (step: () => Promise<unknown>) =>
        (async () => {
          while (!stop) await step();
        })().catch((error: unknown) => {
          defect ??= error;
          stop = true;
        });
      const oidcConfig = await platform('oidc');
      const load = Promise.all([
        ...Array.from({ length: 5 }, () =>
          loop(async () => {
            const n = ++sequence;
            // Each number its own 号段 block and each person their own address: no limit is the story here.
            const phone = `139${String(n).padStart(4, '0')}0001`;
            const call = api(base, exchanges.fetcher('registration', `10.21.${Math.floor(n / 250)}.${(n % 250) + 1}`));
            registrations.set(phone, await flow('registration', () => register(call, phone, codes)));
          }),
        ),
        ...people.map((phone, i) => loop(() => flow('sign-in', () => signIn(api(base, exchanges.fetcher('sign-in', `10.22.0.${i + 1}`)), phone, sessions)))),
        ...people.slice(0, 2).map((phone, i) =>
          loop(() =>
            flow('oidc', async () => {
              const sub = await oidcLogin(base, oidcConfig, exchanges.fetcher('oidc', `10.23.0.${i + 1}`), phone);
              assert.equal(sub, subs.get(phone), `${phone} is the same subject on every node`);
            }),
          ),
        ),
      ]);
      const acknowledged = (kind: Kind, since = 0) => flows.filter((f) => f.kind === kind && !f.cut && f.started > since).length;
      const progress = () => KINDS.map((kind) => `${kind} ${acknowledged(kind)}`).join(', ');
      const until = async (what: string, done: () => boolean) => {
        const deadline = performance.now() + 25_000;
        while (!defect && !done()) {
          assert.ok(performance.now() < deadline, `${what} within 25 s (acknowledged: ${progress()})`);
          await sleep(20);
        }
        if (defect) throw defect;
      };
      const loadNodes = () => new Set(exchanges.all.filter((x) => x.label !== 'setup' && x.node).map((x) => x.node));
      await until(
        'every kind acknowledged on every node before the kill',
        () => acknowledged('registration') >= 8 && acknowledged('sign-in') >= 8 && acknowledged('oidc') >= 2 && loadNodes().size === 3,
      );

      const killedAt = performance.now();
      exchanges.origin = killedAt;
      nodes[1]!.child.kill('SIGKILL');
      // On past the window, until each kind is acknowledged again by what was sent after it.
      await until(
        'every kind acknowledged after the kill',
        () => performance.now() > killedAt + WINDOW_MS && KINDS.every((kind) => acknowledged(kind, killedAt + WINDOW_MS) >= (kind === 'oidc' ? 2 : 4)),
      );
      stop = true;
      await load;
      if (defect) throw defect;

      // Whom the kill may be blamed for: a lost connection, or HAProxy's or the dead node's own
      // 502/503, ending after the kill, sent within the window. Everything else that failed is a defect.
      const failures = exchanges.failures();
      t.diagnostic(`${exchanges.all.length} requests, ${flows.length} flows; failed: ${failures.map((x) => exchanges.describe(x)).join('; ') || 'none'}`);
      const blamed = (x: Exchange) =>
        (x.network !== undefined || x.status === 502 || x.status === 503) &&
        (x.node === undefined || x.node === KILLED) &&
        x.ended >= killedAt &&
        x.started <= killedAt + WINDOW_MS;
      assert.deepEqual(
        failures.filter((x) => !blamed(x)).map((x) => exchanges.describe(x)),
        [],
        'every request that failed was on its way to or from the killed node, at the kill',
      );
      // HAProxy's own 502/503 carry no X-Node, but its log names the server each request went to:
      // every 5xx it logged was on the killed node (or on none, when no node could take it).
      const logged = [...balancer.output().matchAll(/^\S+ \[[^\]]+\] \S+ \S+\/(\S+) \S+ (-1|\d{3}) .*$/gm)];
      assert.ok(logged.length > exchanges.all.length / 2, 'HAProxy logs each request (httplog in deploy/haproxy/haproxy.cfg)');
      assert.deepEqual(
        logged.filter(([, server, status]) => Number(status) >= 500 && server !== KILLED && server !== '<NOSRV>').map(([line]) => line),
        [],
        'every 5xx HAProxy logged was on the killed node',
      );
      for (const kind of KINDS)
        assert.ok(
          flows.some((f) => f.kind === kind && f.started < killedAt && f.ended > killedAt),
          `${kind} flows were under way when the node was killed`,
        );

      const check = exchanges.fetcher('check', '10.24.0.1');
      const call = api(base, check);
      const answering = new Set<string>();
      for (let i = 0; i < 8; i++) answering.add((await check(`${base}/readyz`)).headers.get('x-node') ?? '');
      assert.deepEqual([...answering].sort(), ['n1', 'n3'], 'the balancer sends everything to the nodes that live');
      assert.equal(nodes[0]!.child.exitCode, null, nodes[0]!.output());
      assert.equal(nodes[2]!.child.exitCode, null, nodes[2]!.output());

      // Nothing acknowledged is lost: each acknowledged account signs in through the balancer, and
      // each acknowledged session still opens its own account.
      for (const [phone, registered] of registrations) {
        if (registered.cut) continue;
        const answer = await call('/api/v1/sessions', { username: phone, password: PASSWORD });
        assert.equal(answer.status, 201, `${phone} was acknowledged and signs in (${JSON.stringify(answer.json)})`);
      }
      for (const session of sessions) await ownAccount(call, { accountId: session.accountId, session: { token: session.token } });
      // No half state: a registration cut off after its code was read either made the whole
      // account (it signs in) or none (the same code, still unspent, registers it now).
      for (const [phone, registered] of registrations) {
        if (!registered.cut || !codes.has(phone)) continue;
        const answer = await call('/api/v1/sessions', { username: phone, password: PASSWORD });
        if (answer.status === 201) continue;
        assert.equal(answer.status, 401, JSON.stringify(answer.json));
        await register(call, phone, codes);
      }
      // And the platform still signs people in through the two nodes left.
      assert.equal(await oidcLogin(base, await platform('check'), check, people[0]!), subs.get(people[0]!));
    },
  );
}
