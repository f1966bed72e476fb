// The reference the SSO figures are divided by: the same oidc-provider as Tongxing (package.json),
// bare. A node:http server with the provider's own in-memory adapter, one client registered like
// the one bench/sso.ts registers in Tongxing (client_secret_basic, code + refresh_token, the same
// scopes, PKCE required, refresh tokens rotated, the same lifetimes, an RS256 2048-bit key), and
// the least interaction a real provider needs: a sign-in form whose POST does one argon2id verify
// at the production cost (src/lib/passwords.ts, the service's hasher with its concurrency limit),
// a consent form, and consent remembered per person and client as Tongxing remembers it. No
// database, no CSRF, no rate limits, no audit, no Tongxing session: what is left is the provider.
// Started by bench/sso.ts as a child process with an IPC channel, like bench/server.ts: it sends
// { kind: 'ready', url } once listening and exits when the channel closes.
// Environment: BARE_CLIENT_ID, BARE_CLIENT_SECRET, BARE_REDIRECT_URI, BARE_USERNAMES (comma-separated),
// BARE_PASSWORD, BARE_ARGON2_MEMORY_KIB, BARE_ARGON2_ITERATIONS, BARE_ARGON2_CONCURRENCY (optional).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { createPasswordHasher } from '../src/lib/passwords.ts';
import type { BareReply } from './protocol.ts';

const send = (message: BareReply) => process.send?.(message);
if (!process.send) {
  console.error('bench/bare-provider.ts is started by bench/sso.ts (it needs an IPC channel)');
  process.exit(2);
}
const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const MOUNT = '/oidc';
const clientId = required('BARE_CLIENT_ID');
const hasher = createPasswordHasher({
  memoryKiB: Number(required('BARE_ARGON2_MEMORY_KIB')),
  iterations: Number(required('BARE_ARGON2_ITERATIONS')),
  concurrency: process.env.BARE_ARGON2_CONCURRENCY ? Number(process.env.BARE_ARGON2_CONCURRENCY) : undefined,
});
// One real hash at the production cost, shared by every account (as bench/server.ts seeds).
const passwordHash = await hasher.hash(required('BARE_PASSWORD'));
const accounts = new Map(
  required('BARE_USERNAMES')
    .split(',')
    .map((username) => [username, { sub: randomBytes(16).toString('base64url'), passwordHash }]),
);
const subjects = new Set([...accounts.values()].map((a) => a.sub));
/** Consents given, per person and client: the grant and its scopes (Tongxing keeps these in a table). */
const consents = new Map<string, { grantId: string; scopes: string }>();

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: false };
const configuration: Configuration = {
  clients: [
    {
      client_id: clientId,
      client_secret: required('BARE_CLIENT_SECRET'),
      client_name: 'bench',
      redirect_uris: [required('BARE_REDIRECT_URI')],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile phone realname offline_access',
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bare', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('base64')], long: { ...cookie, path: '/' }, short: cookie },
  findAccount: async (_ctx, sub) => (subjects.has(sub) ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
  claims: {
    openid: ['sub', 'auth_time', 'amr', 'acr'],
    profile: ['name'],
    phone: ['phone_number', 'phone_number_verified'],
    realname: ['realname_status', 'realname_verified'],
  },
  scopes: ['openid', 'profile', 'phone', 'realname', 'offline_access'],
  features: { devInteractions: { enabled: false }, revocation: { enabled: true }, userinfo: { enabled: true } },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 14 * 86_400, Interaction: 3600, Session: 12 * 3600, Grant: 365 * 86_400 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // A consent given once is remembered (a fresh browser has no session that knows its grant).
  async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client!.clientId;
    const accountId = ctx.oidc.session!.accountId!;
    const key = `${accountId}\0${client}`;
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(client) ?? consents.get(key)?.grantId;
    const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (grant) return grant;
    // The memory adapter is an LRU: a grant pushed out is made again from the consent.
    const remembered = consents.get(key);
    if (!remembered) return undefined;
    const restored = new ctx.oidc.provider.Grant({ accountId, clientId: client });
    restored.addOIDCScope(remembered.scopes);
    consents.set(key, { grantId: await restored.save(), scopes: remembered.scopes });
    return restored;
  },
};
const provider = new Provider(`${origin}${MOUNT}`, configuration);
const oidcCallback = provider.callback();

const page = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><title>bare</title>${body}`);
};
const loginForm = (uid: string) =>
  `<form method="post" action="/interaction/${uid}/login" id="login"><input name="username"><input type="password" name="password"><button>Sign in</button></form>`;
const consentForm = (uid: string) => `<form method="post" action="/interaction/${uid}/confirm" id="consent-allow"><button>Allow</button></form>`;

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
  if (req.method === 'GET' && !action) {
    const details = await provider.interactionDetails(req, res);
    return page(res, 200, details.prompt.name === 'login' ? loginForm(details.uid) : consentForm(details.uid));
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await formOf(req);
    const account = accounts.get(form.get('username') ?? '');
    const password = form.get('password') ?? '';
    const valid = account ? await hasher.verify(account.passwordHash, password) : (await hasher.verifyDummy(password), false);
    if (!account || !valid) return page(res, 401, `<p>wrong username or password</p>${loginForm(uid)}`);
    return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm') {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session!.accountId;
    const client = String(details.params.client_id);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: client });
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
    const grantId = await grant.save();
    consents.set(`${accountId}\0${client}`, { grantId, scopes: String(details.params.scope ?? 'openid') });
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return page(res, 404, 'not found');
}

server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
  const url = req.url ?? '/';
  if (url === MOUNT || url.startsWith(`${MOUNT}/`) || url.startsWith(`${MOUNT}?`)) {
    // As an Express mount does: the provider sees its own path and finds its mount point in originalUrl.
    req.originalUrl = url;
    const rest = url.slice(MOUNT.length);
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    void oidcCallback(req, res);
    return;
  }
  const route = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(url);
  if (!route) return page(res, 404, 'not found');
  interaction(req, res, route[1]!, route[2]).catch((error: Error) => {
    if (!res.headersSent) page(res, 500, `<pre>${error.message}</pre>`);
    else res.end();
  });
});

// Nothing to keep: when the bench is done (or gone), so is the reference.
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready', url: origin, issuer: `${origin}${MOUNT}` });
