// An example platform (研招网, 学籍档案 …) that signs people in through Tongxing with openid-client:
// authorization code + PKCE, the claims it was allowed, RP-initiated logout, back-channel logout,
// and signed webhooks (replays of old signatures refused). Plain node:http, so the protocol is in
// plain sight. Run: TONGXING_ISSUER=… CLIENT_ID=… CLIENT_SECRET=… node examples/platform/main.ts
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHmac, createPublicKey, randomBytes, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import * as oidc from 'openid-client';

export interface PlatformOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where this platform is reached, e.g. http://127.0.0.1:3000 (no trailing slash). */
  baseUrl: string;
  name?: string;
  scope?: string;
  /** Accept an http issuer (development against a local Tongxing). */
  allowHttp?: boolean;
}

interface LocalSession {
  sub: string;
  claims: Record<string, unknown>;
  idToken: string;
}

export interface RunningPlatform {
  url: string;
  /** Webhook events accepted, newest last. */
  events: Array<{ id: string; type: string; sub: string }>;
  /** Subjects logged out by back-channel logout. */
  loggedOut: string[];
  close(): Promise<void>;
}

const WEBHOOK_TOLERANCE_S = 300;

const html = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .filter(Boolean)
      .map((c) => c.trim().split('=') as [string, string]),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

/** Checks a Tongxing webhook: signature over "timestamp.body", recent timestamp, never seen id. */
export function verifyWebhook(
  secret: string,
  headers: IncomingMessage['headers'],
  body: string,
  seen: Set<string>,
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true; event: { id: string; type: string; sub: string } } | { ok: false; why: string } {
  const timestamp = Number(headers['tongxing-timestamp']);
  const given = String(headers['tongxing-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > WEBHOOK_TOLERANCE_S) return { ok: false, why: 'stale or missing timestamp' };
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const givenBytes = Buffer.from(given);
  if (givenBytes.length !== expected.length || !timingSafeEqual(givenBytes, expected)) return { ok: false, why: 'bad signature' };
  const event = JSON.parse(body) as { id: string; type: string; sub: string };
  if (seen.has(event.id)) return { ok: false, why: 'replayed' };
  seen.add(event.id);
  return { ok: true, event };
}

export async function startPlatform(options: PlatformOptions, port = 0): Promise<RunningPlatform> {
  const execute = options.allowHttp ? [oidc.allowInsecureRequests] : [];
  // Tongxing registers platforms for client_secret_basic and refuses the secret in a form body.
  const config = await oidc.discovery(new URL(options.issuer), options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), { execute });
  const name = options.name ?? '示例平台';
  const pending = new Map<string, { verifier: string; state: string }>();
  const sessions = new Map<string, LocalSession>();
  const running: RunningPlatform = { url: options.baseUrl, events: [], loggedOut: [], close: async () => {} };
  const seenEvents = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', options.baseUrl);
    const sid = cookies(req).platform_session;
    const session = sid ? sessions.get(sid) : undefined;

    if (req.method === 'GET' && url.pathname === '/') {
      const events = running.events.map((e) => `<li>${escape(e.type)}</li>`).join('');
      const body = session
        ? `<p id="signed-in">已登录：${escape(String(session.claims.name ?? session.sub))}</p><pre id="claims">${escape(JSON.stringify(session.claims, null, 2))}</pre><p><a id="logout" href="/logout">退出</a></p>`
        : `<p id="signed-out">未登录</p><p><a id="login" href="/login">使用通行帐号登录</a></p>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(name, `${body}<h2>收到的通知</h2><ul id="events">${events}</ul>`));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const key = randomBytes(16).toString('hex');
      pending.set(key, { verifier, state });
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${options.baseUrl}/callback`,
        scope: options.scope ?? 'openid profile realname',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      res.writeHead(302, { location: target.href, 'set-cookie': `platform_login=${key}; Path=/; HttpOnly; SameSite=Lax` }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/callback') {
      const flow = pending.get(cookies(req).platform_login ?? '');
      if (url.searchParams.get('error')) {
        res
          .writeHead(403, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            html(
              name,
              `<p id="refused">登录未完成：${escape(url.searchParams.get('error_description') ?? url.searchParams.get('error')!)}</p><p><a href="/">返回</a></p>`,
            ),
          );
        return;
      }
      if (!flow) {
        res.writeHead(400).end('no login in progress');
        return;
      }
      const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
      const sub = tokens.claims()!.sub;
      const claims = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      const key = randomBytes(16).toString('hex');
      sessions.set(key, { sub, claims, idToken: tokens.id_token! });
      res.writeHead(302, { location: '/', 'set-cookie': `platform_session=${key}; Path=/; HttpOnly; SameSite=Lax` }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/logout') {
      if (sid) sessions.delete(sid);
      const target = session
        ? oidc.buildEndSessionUrl(config, { id_token_hint: session.idToken, post_logout_redirect_uri: `${options.baseUrl}/` })
        : new URL(`${options.baseUrl}/`);
      res.writeHead(302, { location: target.href, 'set-cookie': 'platform_session=; Path=/; Max-Age=0' }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/webhooks') {
      const body = await readBody(req);
      const checked = verifyWebhook(options.clientSecret, req.headers, body, seenEvents);
      if (!checked.ok) {
        res.writeHead(401).end(checked.why);
        return;
      }
      running.events.push(checked.event);
      if (checked.event.type === 'account.deregistered') for (const [key, s] of sessions) if (s.sub === checked.event.sub) sessions.delete(key);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/backchannel-logout') {
      const token = new URLSearchParams(await readBody(req)).get('logout_token') ?? '';
      const sub = await verifyLogoutToken(config, options.clientId, token);
      if (!sub) {
        res.writeHead(400).end('invalid logout token');
        return;
      }
      running.loggedOut.push(sub);
      for (const [key, s] of sessions) if (s.sub === sub) sessions.delete(key);
      res.writeHead(200).end();
      return;
    }
    res.writeHead(404).end('not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`platform error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  running.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return running;
}

/** A back-channel logout token: signed by a key in the issuer's JWKS, for this client, with the logout event. */
const seenLogoutTokens = new Set<string>();

async function verifyLogoutToken(config: oidc.Configuration, clientId: string, token: string): Promise<string | undefined> {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const { kid, typ, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid?: string; typ?: string; alg?: string };
  // A logout token is typed as one (RFC 8417 / OIDC back-channel logout 1.0), and signed with RS256 here.
  if (alg !== 'RS256' || (typ !== undefined && typ !== 'logout+jwt')) return undefined;
  const jwksUri = config.serverMetadata().jwks_uri!;
  const jwks = (await (await fetch(jwksUri)).json()) as { keys: Array<Record<string, string>> };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) return undefined;
  const ok = verifySignature(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey({ key: jwk, format: 'jwk' } as never),
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    iss: string;
    aud: string | string[];
    sub?: string;
    events?: Record<string, unknown>;
    iat: number;
    jti?: string;
    nonce?: unknown;
  };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== config.serverMetadata().issuer || !audience.includes(clientId)) return undefined;
  if (!claims.events || !('http://schemas.openid.net/event/backchannel-logout' in claims.events)) return undefined;
  if (Math.abs(Date.now() / 1000 - claims.iat) > 300) return undefined;
  // Never a nonce (that would be an ID token), and each token once.
  if (claims.nonce !== undefined || !claims.jti || seenLogoutTokens.has(claims.jti)) return undefined;
  seenLogoutTokens.add(claims.jti);
  return claims.sub;
}
