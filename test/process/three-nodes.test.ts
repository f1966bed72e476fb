// The deployment shape of docs/deployment.md with real parts: three `tongxing serve` processes
// behind HAProxy (Debian's, running deploy/haproxy/haproxy.cfg), on one PostgreSQL and one Redis. Through the balancer people
// register, sign in and sign in to a platform over OpenID Connect (openid-client), each request
// landing on whichever node the balancer picks — so sessions, codes, OIDC interactions and the
// signing keys must be the cluster's, not a node's. Mid-run one node is killed (SIGKILL): only
// requests in flight on it may fail, every acknowledged registration still signs in afterwards,
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

const REDIRECT = 'http://127.0.0.1:9/callback';
const PASSWORD = 'three nodes and a balancer';

const database = await clonePostgresDatabase();
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** One simulated person's requests: their own address (X-Forwarded-For, trusted from the balancer), and the node that answered each. */
function client(base: string, address: string) {
  return async (path: string, body?: unknown): Promise<{ status: number; node: string; json: unknown }> => {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', 'x-forwarded-for': address },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, node: response.headers.get('x-node') ?? '', json };
  };
}

type Outcome = 'acknowledged' | 'refused-in-flight' | 'not-acknowledged';

/** Registers `phone` by SMS code; 'acknowledged' only when the service answered 201. The code is kept to try again with. */
async function register(call: ReturnType<typeof client>, phone: string, nodes: Set<string>, codes: Map<string, string>): Promise<Outcome> {
  try {
    const kept = codes.get(phone);
    if (kept) return await finish(call, phone, kept, nodes);
    const sent = await call('/api/v1/registrations/phone/code', { phone });
    nodes.add(sent.node);
    if (sent.status !== 200) return sent.status >= 500 ? 'refused-in-flight' : assert.fail(`code: ${sent.status} ${JSON.stringify(sent.json)}`);
    let code: string | undefined;
    for (let i = 0; i < 50 && !code; i++) {
      const outbox = await call('/dev/outbox.json');
      const message = (outbox.json as Array<{ to: string; text: string }>).find((m) => m.to === phone);
      if (message) code = codeIn(message.text);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(code, `the code for ${phone} is in the outbox`);
    codes.set(phone, code);
    return await finish(call, phone, code, nodes);
  } catch (error) {
    // The connection itself failed: the request was in flight on the node that died.
    if ((error as Error).name === 'AssertionError') throw error;
    return 'not-acknowledged';
  }
}

async function finish(call: ReturnType<typeof client>, phone: string, code: string, nodes: Set<string>): Promise<Outcome> {
  const done = await call('/api/v1/registrations/phone', { phone, code, password: PASSWORD, agree: true });
  nodes.add(done.node);
  if (done.status === 201) return 'acknowledged';
  if (done.status >= 500) return 'not-acknowledged';
  return assert.fail(`registration: ${done.status} ${JSON.stringify(done.json)}`);
}

async function oidcLogin(base: string, config: oidc.Configuration, phone: string, nodes: Set<string>): Promise<string> {
  const browser = new Browserless();
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
  nodes.add(step.response.headers.get('x-node') ?? '');
  assert.equal(new URL(step.url).pathname, '/login');
  await browser.request(step.url);
  const next = new URL(step.url).searchParams.get('next')!;
  step = await browser.follow(`${base}/login`, base, { form: { username: phone, password: PASSWORD, next } });
  nodes.add(step.response.headers.get('x-node') ?? '');
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
    'three nodes behind HAProxy: sign-ins and OIDC logins across nodes; a node killed mid-run loses nothing acknowledged',
    { timeout: 180_000 },
    async () => {
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
      await startBalancer(port, urls, cleanups);

      // A platform, registered by the operator's command against the same database.
      const added = runTongxing(['client', 'add', '--name', '研招网', '--redirect-uri', REDIRECT, '--scopes', 'profile'], env);
      assert.equal(await added.exit, 0, added.output());
      const clientId = /client_id=(\S+)/.exec(added.output())![1]!;
      const clientSecret = /client_secret=(\S+)/.exec(added.output())![1]!;
      const config = await oidc.discovery(new URL(`${base}/oidc`), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
        execute: [oidc.allowInsecureRequests],
      });

      // Before the kill: every node serves, and a person's journey crosses them.
      const served = new Set<string>();
      const codes = new Map<string, string>();
      const first = client(base, '10.20.0.1');
      assert.equal(await register(first, '13900000001', served, codes), 'acknowledged');
      const signedIn = await first('/api/v1/sessions', { username: '13900000001', password: PASSWORD });
      assert.equal(signedIn.status, 201);
      const subs = new Set<string>();
      for (let i = 0; i < 3; i++) subs.add(await oidcLogin(base, config, '13900000001', served));
      assert.equal(subs.size, 1, 'the same person every time, whichever node signed the token');
      assert.deepEqual([...served].sort(), ['n1', 'n2', 'n3']);

      // Load from eight people at a time; n2 is killed once some registrations are acknowledged.
      const outcomes = new Map<string, Outcome>();
      let sequence = 100;
      let killedAt = 0;
      let stop = false;
      const afterKill = new Set<string>();
      const worker = async (w: number) => {
        while (!stop) {
          const phone = `1390${String(++sequence).padStart(7, '0')}`;
          const call = client(base, `10.21.${w}.${sequence % 250}`);
          const nodesOfThis = new Set<string>();
          outcomes.set(phone, await register(call, phone, nodesOfThis, codes));
          if (killedAt && outcomes.get(phone) === 'acknowledged') for (const n of nodesOfThis) afterKill.add(n);
        }
      };
      const acknowledged = () => [...outcomes.values()].filter((o) => o === 'acknowledged').length;
      const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      while (acknowledged() < 12) await new Promise((resolve) => setTimeout(resolve, 20));
      nodes[1]!.child.kill('SIGKILL');
      killedAt = acknowledged();
      while (acknowledged() < killedAt + 24) await new Promise((resolve) => setTimeout(resolve, 20));
      stop = true;
      await load;

      const check = client(base, '10.22.0.1');
      const cutOff = [...outcomes].filter(([, o]) => o !== 'acknowledged');
      assert.ok(cutOff.length <= 8, `at most the eight requests in flight on the killed node failed, not ${cutOff.length}`);
      assert.ok(afterKill.size > 0, 'registrations were acknowledged after the kill');
      const answering = new Set<string>();
      for (let i = 0; i < 8; i++) answering.add((await check('/readyz')).node);
      assert.deepEqual([...answering].sort(), ['n1', 'n3'], 'the balancer sends everything to the nodes that live');
      assert.equal(nodes[0]!.child.exitCode, null, nodes[0]!.output());
      assert.equal(nodes[2]!.child.exitCode, null, nodes[2]!.output());

      // Nothing acknowledged is lost: each acknowledged account signs in through the balancer.
      for (const [phone, outcome] of outcomes) {
        if (outcome !== 'acknowledged') continue;
        const answer = await check('/api/v1/sessions', { username: phone, password: PASSWORD });
        assert.equal(answer.status, 201, `${phone} was acknowledged and signs in (${JSON.stringify(answer.json)})`);
      }
      // No half state: a registration cut off after its code was sent either made the whole
      // account (it signs in) or none (the same code, still unspent, registers it now).
      for (const [phone] of cutOff) {
        if (!codes.has(phone)) continue;
        const answer = await check('/api/v1/sessions', { username: phone, password: PASSWORD });
        if (answer.status === 201) continue;
        assert.equal(answer.status, 401);
        assert.equal(await register(client(base, '10.23.0.1'), phone, new Set(), codes), 'acknowledged', `${phone} registers with its code`);
      }
      // And platforms still sign people in through the two nodes left.
      assert.equal(await oidcLogin(base, config, '13900000001', new Set()), [...subs][0]);
    },
  );
}
