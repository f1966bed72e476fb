// buildApp wires every module explicitly: real parts in, a Fastify instance out. main.ts and the
// tests both call it, so what is tested is what runs.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import csrf from '@fastify/csrf-protection';
import staticFiles from '@fastify/static';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { Keyring } from './lib/keyring.ts';
import { createPasswordHasher, type PasswordHasher } from './lib/passwords.ts';
import { createRateLimits, defaultLimitPolicy, type LimitPolicy } from './security/rate-limits.ts';
import { createOutbox } from './notifications/outbox.ts';
import { createChannels, devSmsSender, type PlatformDelivery } from './notifications/channels.ts';
import { createOutboxWorker, type OutboxWorker } from './notifications/worker.ts';
import type { SmsSender } from './notifications/sms/sender.ts';
import { AliyunSmsSender } from './notifications/sms/aliyun.ts';
import { registerDevOutbox } from './notifications/dev-routes.tsx';
import { cookiePolicy } from './http/cookies.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { installSessionHooks } from './http/session-hooks.ts';
import { registerLanguage } from './http/lang-routes.ts';
import { installErrorHandlers } from './http/error-pages.tsx';
import { registerHealth } from './http/health.ts';
import { registerOpenApi } from './http/openapi.ts';
import { loggerOptions } from './http/logging.ts';
import type { AccountDeps } from './accounts/deps.ts';
import { registerAccountPages } from './accounts/routes.tsx';
import { registerAccountApi } from './accounts/api-routes.ts';
import { registerRecoveryPages } from './recovery/routes.tsx';
import { registerSettingsPages } from './accounts/settings-routes.tsx';
import { assertAcknowledged, registerResolutionPages } from './resolution/routes.tsx';
import { classmateVouchKind } from './resolution/classmate-path.ts';
import { MAX_PHOTO_BYTES, type UploadedPhoto } from './resolution/photo-path.ts';
import { registerAppVerification } from './resolution/app-routes.tsx';
import { httpLivenessProvider, simulatorLivenessProvider, type LivenessProvider } from './resolution/liveness.ts';
import { hmacSha256 } from './lib/crypto.ts';
import type Provider from 'oidc-provider';
import { createSsoProvider } from './sso/provider.ts';
import { resolveSession, revokeSessionByToken } from './sessions/service.ts';
import { mountProvider, registerInteractionPages } from './sso/routes.tsx';
import { platformDelivery } from './sso/platform-delivery.ts';
import { installFormTargets } from './sso/form-targets.ts';
import { registerIdentityRoutes } from './identity/routes.tsx';
import { registerBindingRoutes } from './identity/binding-routes.tsx';
import { createInbox } from './inbox/service.ts';
import { registerInboxRoutes } from './inbox/routes.tsx';
import { classmateBindingKind } from './identity/classmate-binding.ts';
import { formatOnlyVerifier, httpIdentityVerifier, type IdentityVerifier } from './identity/verifier.ts';
import type { IdentityDeps } from './identity/service.ts';
import { registerConsole } from './admin/routes.ts';
import { registerEnterprisePages } from './enterprise/routes.tsx';

export interface BuildOptions {
  config: Config;
  db: Db;
  keyring: Keyring;
  clock?: Clock;
  redis?: Redis | undefined;
  limitPolicy?: LimitPolicy;
  hasher?: PasswordHasher;
  smsSender?: SmsSender;
  /** Replaces the registry check (公安联审); default: HTTP when configured, else format only. */
  identityVerifier?: IdentityVerifier;
  /** Replaces the captcha drawing (tests draw a known text). */
  drawCaptcha?: () => { text: string; svg: string };
  /** false silences request logs (tests); default follows LOG_LEVEL. */
  logger?: FastifyServerOptions['logger'];
}

export interface BuiltApp {
  app: FastifyInstance;
  worker: OutboxWorker;
  deps: AccountDeps;
  /** The OpenID Provider, for what acts on grants and sessions from outside a request. */
  sso: Provider;
}

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));
const version = '0.1.0';

export async function buildApp(options: BuildOptions): Promise<BuiltApp> {
  const { config, db, keyring } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    // Request ids let an operator follow one request through the logs.
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });

  const sms = options.smsSender ?? smsSenderFrom(config);
  // Platforms (webhooks, back-channel logout) are reached through the single sign-on provider,
  // made further down; the worker asks for it when such a message is due.
  let platforms: PlatformDelivery | undefined;
  const channels = createChannels({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, sms, platforms: () => platforms });
  const worker = createOutboxWorker({ db, clock, channels, pollMs: config.outboxPollMs, scrubSentBodies: config.production, log: app.log });
  const limits = createRateLimits(
    options.redis ? { kind: 'redis', redis: options.redis } : { kind: 'db', db },
    keyring.limiterKey,
    options.limitPolicy ?? defaultLimitPolicy,
  );
  const sessions = { db, clock, sessionKey: keyring.sessionKey, idleMs: config.session.idleMs, absoluteMs: config.session.absoluteMs };
  const identity: IdentityDeps = {
    db,
    clock,
    keys: keyring.idKeys,
    verifier: options.identityVerifier ?? (config.identityVerifier ? httpIdentityVerifier(config.identityVerifier) : formatOnlyVerifier),
  };
  const deps: AccountDeps = {
    identity,
    db,
    clock,
    hasher: options.hasher ?? createPasswordHasher(config.argon2),
    limits,
    outbox: createOutbox(clock, () => worker.nudge()),
    verification: { codeKey: keyring.codeKey, clock },
    sessions,
    captcha: { db, clock, codeKey: keyring.codeKey, ...(options.drawCaptcha ? { draw: options.drawCaptcha } : {}) },
    publicUrl: config.publicUrl,
  };

  const policy = cookiePolicy(config.cookieSecure);
  installSecurityHeaders(app, config.cookieSecure);
  installFormTargets(app, db, config.cookieSecure);
  await app.register(cookie, { secret: keyring.cookieSecret.toString('base64') });
  await app.register(formbody);
  // Multipart carries the ID photos (途径2: three files of at most 300 KB), an enterprise's stamped
  // letter and, in the console, records files; a route taking bigger files says so in its config
  // (`multipartOptions.limits`). Fields are read before the CSRF check so the token in the form is
  // found. A file cut at its limit is marked truncated and refused by its service with its message.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_PHOTO_BYTES, files: 3, fields: 12, fieldSize: 1_000, parts: 15 },
    async onFile(part) {
      const data = await part.toBuffer();
      (part as unknown as { value: unknown }).value = { data, truncated: part.file.truncated, filename: part.filename } satisfies UploadedPhoto;
    },
  });
  await app.register(csrf, {
    cookieKey: policy.csrfName,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure, signed: true },
    getToken: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
  await app.register(staticFiles, { root: publicDir, prefix: '/static/', maxAge: '1h' });
  await registerOpenApi(app, version);

  installSessionHooks(app, sessions, policy);
  registerLanguage(app);
  installErrorHandlers(app);

  // CSRF on every state-changing page request; the API uses Bearer tokens, never cookies.
  app.addHook('preHandler', (request, reply, done) => {
    // The provider under /oidc checks its own requests (client authentication, PKCE, state).
    if (
      request.method === 'GET' ||
      request.method === 'HEAD' ||
      request.method === 'OPTIONS' ||
      request.url.startsWith('/api/') ||
      request.url.startsWith('/oidc/')
    )
      return done();
    app.csrfProtection(request, reply, done);
  });

  // While shutting down, answer in-flight requests with "Connection: close" so their keep-alive
  // sockets end with them; otherwise close() would wait out the keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerHealth(app, db);
  registerAccountPages(app, deps);
  registerAccountApi(app, deps);
  registerRecoveryPages(app, deps);
  registerSettingsPages(app, deps);
  registerEnterprisePages(app, deps);
  registerIdentityRoutes(app, identity);
  const vouch = { confirmations: config.resolution.classmateConfirmations, perYear: config.resolution.vouchesPerYear };
  const inbox = createInbox({ db, clock }, [classmateBindingKind(clock), classmateVouchKind(deps, vouch)]);
  registerResolutionPages(app, deps, { inbox, vouch });
  const liveness = livenessProviderFrom(config, keyring);
  registerAppVerification(app, deps, liveness.provider, config.production ? undefined : liveness.simulator, assertAcknowledged);

  const sso = await createSsoProvider({
    db,
    clock,
    keys: keyring.idKeys,
    identity,
    cookieSecret: keyring.cookieSecret,
    publicUrl: config.publicUrl,
    secureCookies: config.cookieSecure,
    trustProxy: config.trustProxy,
    allowPrivateNetworkCallbacks: !config.production,
    // Signing out at a platform (RP-initiated logout) signs out of Tongxing in that browser too.
    endTongxingSession: (token) => revokeSessionByToken(sessions, token).then(() => undefined),
    sessionCookieName: policy.sessionName,
    tongxingAccountOf: async (token) => (await resolveSession(sessions, token))?.accountId,
  });
  platforms = platformDelivery({ db, keys: keyring.idKeys, provider: sso, allowPrivateNetwork: !config.production });
  await mountProvider(app, sso, config.cookieSecure, db);
  registerInteractionPages(app, { db, clock }, sso);
  registerBindingRoutes(app, deps, inbox);
  registerInboxRoutes(app, inbox);
  registerConsole(app, deps, { db, clock, hasher: deps.hasher, limits, keys: keyring.idKeys, sessionKey: keyring.sessionKey, codeKey: keyring.codeKey });
  if (!config.production) registerDevOutbox(app, db);

  return { app, worker, deps, sso };
}

/** The configured liveness provider; outside production the simulator is also the page's helper. */
function livenessProviderFrom(config: Config, keyring: Keyring) {
  if (config.liveness.provider === 'http') {
    return { provider: httpLivenessProvider({ url: config.liveness.url, secret: config.liveness.secret }) as LivenessProvider, simulator: undefined };
  }
  const secret = config.liveness.secret ? Buffer.from(config.liveness.secret, 'utf8') : hmacSha256(keyring.codeKey, 'liveness-simulator');
  const simulator = simulatorLivenessProvider(secret);
  return { provider: simulator as LivenessProvider, simulator };
}

function smsSenderFrom(config: Config): SmsSender {
  if (config.sms.provider === 'aliyun') {
    const { accessKeyId, accessKeySecret, signName, templateCode, endpoint } = config.sms;
    return new AliyunSmsSender({ accessKeyId, accessKeySecret, signName, templateCode, ...(endpoint ? { endpoint } : {}) });
  }
  return devSmsSender;
}
