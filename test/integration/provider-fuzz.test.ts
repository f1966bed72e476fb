// What the sign-on protocols serve, fuzzed: the OpenID Connect provider under /oidc (Koa behind
// Fastify, reading its own bodies, so fuzz.test.ts's walk of app.routeList sees only `/oidc/*`)
// and the CAS endpoints, each sent what no platform's library sends — broken JSON and forms,
// content types that lie, NUL characters, huge and repeated parameters, client authentication
// headers that do not parse, a real client with a wrong secret, cookies that are not the
// provider's — by anyone and by a signed-in person. The answer may be any refusal, never a 5xx.
// Bounded: a fixed seed and a fixed number of tries per endpoint, so the run takes seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import { defaultLimitPolicy, type LimitPolicy, type LimitRule } from '../../src/security/rate-limits.ts';
import { addClient } from '../../src/sso/clients.ts';
import { addCasPlatform } from '../../src/sso/cas-registry.ts';

// Limits would answer 429 after a few tries and the fuzz would stop reaching the endpoints' code.
const unlimited = Object.fromEntries(
  Object.entries(defaultLimitPolicy).map(([name, rule]: [string, LimitRule]) => [name, { points: 1_000_000, durationSeconds: rule.durationSeconds }]),
) as LimitPolicy;

const REDIRECT = 'https://yz.example.edu.cn/cb';
const CAS_SERVICE = 'https://xj.example.edu.cn/cas/callback';

let t: TestInstance;
let person: Agent;
let client: { clientId: string; clientSecret: string };
before(async () => {
  t = await getTestInstance({ limits: unlimited });
  person = (await t.registerPhone()).agent;
  client = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: '研招网',
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: ['https://yz.example.edu.cn/bye'],
      requiresRealname: false,
      scopes: ['profile'],
      idNumberAccess: 'none',
    },
  );
  await addCasPlatform(
    { db: t.db, clock: t.clock, keys: t.services.keyring.idKeys },
    { name: '学籍档案', services: ['^https://xj\\.example\\.edu\\.cn/.*$'], proxy: true, requiresRealname: false, scopes: ['profile'], idNumberAccess: 'none' },
    true,
  );
  // Real service tickets of the person's (CAS asks a new platform's consent once): the fuzz
  // spends them with wrong services, repeated and alongside broken parameters.
  for (let i = 0; i < 6; i++) {
    let page = await person.get(`/cas/login?service=${encodeURIComponent(CAS_SERVICE)}`);
    if (page.status === 200) page = await person.submit('/cas/consent', { service: CAS_SERVICE });
    const ticket = page.location && new URL(page.location, 'http://local').searchParams.get('ticket');
    if (ticket) tickets.push(ticket);
    else if (page.location) await person.get(page.location);
  }
  assert.ok(tickets.length >= 3, `the person holds real tickets (${tickets.length})`);
});
const tickets: string[] = [];
after(() => t.close());

interface Endpoint {
  method: 'GET' | 'POST' | 'OPTIONS' | 'PUT' | 'DELETE';
  path: string;
  /** The parameters its callers send, to fuzz their values rather than only their names. */
  fields: string[];
}

const OIDC_AUTH = ['client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age'];
const OIDC_AUTH_MORE = ['claims', 'request', 'request_uri', 'response_mode', 'ui_locales', 'acr_values', 'login_hint', 'id_token_hint', 'resource', 'display'];
const OIDC_TOKEN = [
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'scope',
  'resource',
];
const OIDC_TOKEN_ONLY = ['token', 'token_type_hint', 'client_id', 'client_secret'];
const OIDC_LOGOUT = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id', 'logout_hint', 'ui_locales', 'xsrf', 'logout'];
const CAS_LOGIN = ['service', 'renew', 'gateway', 'method', 'warn', 'TARGET'];
const CAS_VALIDATE = ['ticket', 'service', 'renew', 'pgtUrl', 'format'];

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/oidc/.well-known/openid-configuration', fields: [] },
  { method: 'GET', path: '/oidc/.well-known/webfinger', fields: ['resource', 'rel'] },
  { method: 'GET', path: '/oidc/auth', fields: [...OIDC_AUTH, ...OIDC_AUTH_MORE] },
  { method: 'POST', path: '/oidc/auth', fields: [...OIDC_AUTH, ...OIDC_AUTH_MORE] },
  { method: 'GET', path: '/oidc/auth/00000000000000000000000000000000', fields: [] },
  { method: 'POST', path: '/oidc/request', fields: [...OIDC_AUTH, 'client_secret'] },
  { method: 'POST', path: '/oidc/token', fields: OIDC_TOKEN },
  { method: 'GET', path: '/oidc/token', fields: OIDC_TOKEN },
  { method: 'OPTIONS', path: '/oidc/token', fields: [] },
  { method: 'GET', path: '/oidc/me', fields: ['access_token', 'claims'] },
  { method: 'POST', path: '/oidc/me', fields: ['access_token', 'claims'] },
  { method: 'GET', path: '/oidc/jwks', fields: [] },
  { method: 'POST', path: '/oidc/jwks', fields: [] },
  { method: 'GET', path: '/oidc/session/end', fields: OIDC_LOGOUT },
  { method: 'POST', path: '/oidc/session/end', fields: OIDC_LOGOUT },
  { method: 'POST', path: '/oidc/session/end/confirm', fields: OIDC_LOGOUT },
  { method: 'GET', path: '/oidc/session/end/success', fields: ['state', 'client_id'] },
  { method: 'POST', path: '/oidc/token/revocation', fields: OIDC_TOKEN_ONLY },
  { method: 'POST', path: '/oidc/token/introspection', fields: OIDC_TOKEN_ONLY },
  { method: 'POST', path: '/oidc/reg', fields: ['redirect_uris', 'client_name', 'token_endpoint_auth_method'] },
  { method: 'GET', path: '/oidc/reg/x', fields: [] },
  { method: 'POST', path: '/oidc/device/auth', fields: ['client_id', 'scope'] },
  { method: 'POST', path: '/oidc/backchannel', fields: ['client_id', 'scope', 'login_hint'] },
  { method: 'PUT', path: '/oidc/token', fields: OIDC_TOKEN },
  { method: 'DELETE', path: '/oidc/session/end', fields: OIDC_LOGOUT },
  { method: 'GET', path: '/oidc', fields: ['client_id'] },
  { method: 'GET', path: '/cas/login', fields: CAS_LOGIN },
  { method: 'POST', path: '/cas/consent', fields: CAS_LOGIN },
  { method: 'GET', path: '/cas/serviceValidate', fields: CAS_VALIDATE },
  { method: 'GET', path: '/cas/p3/serviceValidate', fields: CAS_VALIDATE },
  { method: 'GET', path: '/cas/proxyValidate', fields: CAS_VALIDATE },
  { method: 'GET', path: '/cas/p3/proxyValidate', fields: CAS_VALIDATE },
  { method: 'GET', path: '/cas/validate', fields: ['ticket', 'service', 'renew'] },
  { method: 'GET', path: '/cas/proxy', fields: ['pgt', 'targetService', 'format'] },
  { method: 'POST', path: '/cas/samlValidate', fields: ['TARGET'] },
  { method: 'GET', path: '/cas/logout', fields: ['service', 'url'] },
];

const nasty = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '%00',
    '%zz',
    '%E4%BD',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '𠀀'.repeat(50),
    'x'.repeat(70_000),
    '-1',
    '1e309',
    'null',
    '{"a":',
    '[]',
    '{}',
    'constructor',
    '__proto__',
    'javascript:alert(1)',
    'http://',
    'https://yz.example.edu.cn/cb#frag',
    'ST-1-x',
    'PGT-1-x',
    'openid openid profile offline_access',
    'code id_token token',
    'S256',
    'plain',
    'authorization_code',
    'refresh_token',
    'client_credentials',
    'urn:ietf:params:oauth:grant-type:device_code',
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    'eyJhbGciOiJSUzI1NiJ9.e30.AAAA',
    'JSON',
    'XML',
    'true',
  ),
);
/** A value as sent: one, repeated (the same name twice), or something JSON only can say. */
const value = fc.oneof(
  { weight: 6, arbitrary: nasty },
  { weight: 2, arbitrary: fc.array(nasty, { minLength: 2, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(nasty, nasty, { maxKeys: 2 })) },
);

type Kind = 'query' | 'form' | 'json' | 'liar-json' | 'text' | 'xml' | 'multipart' | 'cut-file' | 'unbounded' | 'nul-form' | 'empty-typed' | 'none';
interface Try {
  kind: Kind;
  fields: Record<string, unknown>;
  auth: string | undefined;
  cookie: string | undefined;
  /** How the try names the real platform: not at all, by id, with a wrong secret, or properly (Basic or in the body). */
  as: 'nobody' | 'id' | 'wrong-secret' | 'basic' | 'post';
  /** A real ticket of the person's, under a field of its own or as `ticket`. */
  ticket: number | undefined;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** Client authentication a library would never send: not Basic, not base64, no colon, bad percent-encoding, a real id with a wrong secret. */
const AUTH = [
  'Basic',
  'Basic ',
  'Basic !!!!',
  `Basic ${b64('no-colon')}`,
  `Basic ${b64('%zz:%zz')}`,
  `Basic ${b64(':')}`,
  `Basic ${b64('a:b:c')}`,
  `Basic ${b64('\u0000:\u0000')}`,
  'Bearer',
  'Bearer not-a-token',
  'Bearer a b c',
  `Bearer ${'x'.repeat(8_000)}`,
  'DPoP x',
  'Negotiate YII=',
];
const COOKIES = [
  'tx_oidc_session=x',
  'tx_oidc_session=x; tx_oidc_session.sig=y',
  'tx_oidc_interaction=%zz; tx_oidc_resume=\u00ff',
  '_interaction=;',
  'tx_session=__proto__',
];

const attempt = (endpoint: Endpoint): fc.Arbitrary<Try> =>
  fc.record({
    // Forms most often: what the endpoints read, so the values reach their checks.
    kind: fc.oneof(
      { weight: 5, arbitrary: fc.constant<Kind>('form') },
      {
        weight: 6,
        arbitrary: fc.constantFrom<Kind>('query', 'json', 'liar-json', 'text', 'xml', 'multipart', 'cut-file', 'unbounded', 'nul-form', 'empty-typed', 'none'),
      },
    ),
    fields: fc.dictionary(endpoint.fields.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...endpoint.fields) }, nasty) : nasty, value, {
      maxKeys: 8,
    }),
    auth: fc.option(fc.oneof(fc.constantFrom(...AUTH), nasty), { nil: undefined }),
    cookie: fc.option(fc.constantFrom(...COOKIES), { nil: undefined }),
    as: fc.constantFrom('nobody' as const, 'id' as const, 'wrong-secret' as const, 'basic' as const, 'post' as const),
    ticket: fc.option(fc.nat(5), { nil: undefined }),
  });

function formOf(fields: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, typeof one === 'string' ? one : JSON.stringify(one));
  }
  return out.toString();
}

async function send(agent: Agent | undefined, endpoint: Endpoint, r: Try) {
  // Most tries name the real platform, many with its secret: the fuzz then reaches past the
  // "unknown client" refusal into each endpoint's own checks (a grant, a token, a redirect).
  const named =
    r.as === 'nobody'
      ? {}
      : {
          // Basic names the client already; naming it again in the body is refused before anything else.
          ...(r.as === 'basic' ? {} : { client_id: client.clientId }),
          redirect_uri: REDIRECT,
          response_type: 'code',
          scope: 'openid profile',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
          service: CAS_SERVICE,
          ...(r.as === 'post' ? { client_secret: client.clientSecret } : {}),
        };
  const real = r.ticket === undefined ? {} : { ticket: tickets[r.ticket % tickets.length]! };
  const fields = { ...named, ...real, ...r.fields };
  const headers: Record<string, string> = {};
  let payload: string | Buffer | undefined;
  const bodied = endpoint.method !== 'GET' && endpoint.method !== 'OPTIONS';
  if (bodied && r.kind === 'form') [headers['content-type'], payload] = ['application/x-www-form-urlencoded', formOf(fields)];
  if (bodied && r.kind === 'json') [headers['content-type'], payload] = ['application/json', JSON.stringify(fields)];
  if (bodied && r.kind === 'liar-json') [headers['content-type'], payload] = ['application/json', `{"a": ${formOf(fields)}`];
  if (bodied && r.kind === 'text') [headers['content-type'], payload] = ['text/plain', formOf(fields)];
  if (bodied && r.kind === 'xml')
    [headers['content-type'], payload] = ['text/xml', `<?xml version="1.0"?><SOAP-ENV:Envelope><samlp:Request>${formOf(fields)}</samlp:Request>`];
  if (bodied && r.kind === 'multipart')
    [headers['content-type'], payload] = ['multipart/form-data; boundary=zz', `--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n${formOf(fields)}`];
  if (bodied && r.kind === 'cut-file')
    [headers['content-type'], payload] = [
      'multipart/form-data; boundary=zz',
      `--zz\r\nContent-Disposition: form-data; name="f"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n${formOf(fields)}`,
    ];
  if (bodied && r.kind === 'unbounded') [headers['content-type'], payload] = ['multipart/form-data', formOf(fields)];
  if (bodied && r.kind === 'nul-form')
    [headers['content-type'], payload] = ['application/x-www-form-urlencoded', Buffer.from(`${formOf(fields)}\u0000&\u0000=\u0000`)];
  if (bodied && r.kind === 'empty-typed') headers['content-type'] = 'application/x-www-form-urlencoded; charset=shift_jis';
  const query = !bodied || r.kind === 'query' ? formOf(fields) : '';
  if (r.auth !== undefined) headers.authorization = r.auth;
  if (r.as === 'wrong-secret') headers.authorization = `Basic ${b64(`${client.clientId}:wrong`)}`;
  if (r.as === 'basic') headers.authorization = `Basic ${b64(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  const cookies = [...(agent?.cookies ?? [])].map(([k, v]) => `${k}=${v}`);
  if (r.cookie) cookies.push(r.cookie);
  if (cookies.length) headers.cookie = cookies.join('; ');
  const url = query ? `${endpoint.path}?${query}` : endpoint.path;
  return t.app.inject({ method: endpoint.method, url, headers, ...(payload !== undefined ? { payload } : {}) });
}

/** Tries every endpoint gets first: the platform properly authenticated, asking for what it may not have. */
const EXAMPLES: Try[] = [
  { grant_type: 'authorization_code', code: 'not-a-code', code_verifier: 'x'.repeat(43) },
  { grant_type: 'authorization_code', code: ['a', 'b'] },
  { grant_type: 'refresh_token', refresh_token: 'not-a-token' },
  { grant_type: 'client_credentials', scope: 'openid' },
  { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' },
  { token: 'not-a-token', token_type_hint: 'refresh_token' },
  // PostgreSQL text holds no NUL: each of these once reached a look-up and answered 500.
  { token: '\u0000', token_type_hint: 'access_token' },
  { token: 'a\u0000b', token_type_hint: 'refresh_token' },
  { grant_type: 'authorization_code', code: 'a\u0000b', code_verifier: 'x'.repeat(43) },
  { grant_type: 'refresh_token', refresh_token: '\u0000' },
  { client_id: 'tx_\u0000', client_secret: 'x', grant_type: 'authorization_code', code: 'x' },
  { claims: '{"userinfo":{"phone":null', request: 'eyJhbGciOiJub25lIn0.e30.' },
].flatMap((fields) => [
  { kind: 'form' as const, fields, auth: undefined, cookie: undefined, as: 'basic' as const, ticket: undefined },
  { kind: 'query' as const, fields, auth: undefined, cookie: undefined, as: 'basic' as const, ticket: 0 },
]);

test('no sign-on endpoint (OpenID Connect, CAS) answers 5xx to what no platform sends, signed in or not', async () => {
  const failures: string[] = [];
  let tries = 0;
  for (const endpoint of ENDPOINTS) {
    for (const agent of [undefined, person]) {
      await fc.assert(
        fc.asyncProperty(attempt(endpoint), async (r) => {
          tries++;
          const res = await send(agent, endpoint, r);
          if (res.statusCode >= 500)
            failures.push(
              `${res.statusCode} ${endpoint.method} ${endpoint.path} as ${agent ? 'person' : 'anyone'}: ${JSON.stringify(r).slice(0, 400)} → ${res.body.slice(0, 300)}`,
            );
          return true;
        }),
        { numRuns: 20, seed: 20261206, endOnFailure: true, examples: EXAMPLES.map((e) => [e] as [Try]) },
      );
    }
  }
  assert.ok(tries >= ENDPOINTS.length * 40, `${tries} requests sent`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('a token or code with a NUL in it is one the provider does not know, as any other: no server error', async () => {
  const post = (path: string, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${b64(`${client.clientId}:${client.clientSecret}`)}` },
      payload: new URLSearchParams(fields).toString(),
    });
  // Revoking a token that is not one succeeds quietly (RFC 7009 2.2).
  assert.equal((await post('/oidc/token/revocation', { token: 'a\u0000b', token_type_hint: 'refresh_token' })).statusCode, 200);
  const grants: Array<Record<string, string>> = [
    { grant_type: 'authorization_code', code: 'a\u0000b', redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) },
    { grant_type: 'refresh_token', refresh_token: '\u0000' },
  ];
  for (const fields of grants) {
    const answer = await post('/oidc/token', fields);
    assert.equal(answer.statusCode, 400, answer.body);
    assert.equal(answer.json().error, 'invalid_grant');
  }
});
