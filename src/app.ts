// buildApp puts HTTP in front of the services: Fastify with its plugins and hooks, then every
// module's routes, registered here one by one. main.ts serves it; the tests inject into it.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import csrf from '@fastify/csrf-protection';
import staticFiles from '@fastify/static';
import { fileURLToPath } from 'node:url';
import type { Services } from './services.ts';
import type { Config } from './config.ts';
import { registerDevOutbox } from './notifications/dev-routes.tsx';
import { cookiePolicy } from './http/cookies.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { registerCaptchaAssets } from './http/captcha-assets.ts';
import { installInputGuards } from './http/input-guards.ts';
import { listRoutes } from './http/route-list.ts';
import { installPageSettings } from './http/render.tsx';
import { endSignedInSession, installSessionHooks } from './http/session-hooks.ts';
import { requestMeta } from './http/request-meta.ts';
import { signOut } from './accounts/signin-service.ts';
import { registerLanguage } from './http/lang-routes.ts';
import { installErrorHandlers } from './http/error-pages.tsx';
import { registerHealth } from './http/health.ts';
import { registerOpenApi } from './http/openapi.ts';
import { createLogger } from './http/logging.ts';
import { registerAccountPages, signInPage } from './accounts/routes.tsx';
import { registerSmsSignInPages } from './accounts/sms-sign-in-routes.tsx';
import { installAccountMenu } from './accounts/menu-hook.tsx';
import { CLASSMATE_VOUCH } from './resolution/classmate-path.ts';
import { registerAccountApi } from './accounts/api-routes.ts';
import { registerSettingsPages } from './accounts/settings-routes.tsx';
import { registerRealNameRoutes } from './accounts/real-name-routes.tsx';
import { registerRegistrationPages } from './registration/routes.tsx';
import { registerRegistrationApi } from './registration/api-routes.ts';
import { registerContactChangePages } from './contacts/change-routes.tsx';
import { registerBindingRoutes } from './contacts/binding-routes.tsx';
import { registerRecoveryPages } from './recovery/routes.tsx';
import { registerInboxRoutes } from './inbox/routes.tsx';
import { assertAcknowledged, registerResolutionPages } from './resolution/routes.tsx';
import { MAX_PHOTO_BYTES } from './resolution/photo-path.ts';
import type { UploadedFile } from './http/uploads.ts';
import { registerAppVerification } from './resolution/app-routes.tsx';
import { registerObjectionPages } from './resolution/objection-routes.tsx';
import { registerDisputePages } from './resolution/dispute-routes.tsx';
import { mountProvider, registerInteractionPages } from './sso/routes.tsx';
import { installFormTargets } from './sso/form-targets.ts';
import { registerCasRoutes } from './cas/routes.tsx';
import { installCasFormTargets } from './cas/form-targets.ts';
import { registerEnterprisePages } from './enterprise/routes.tsx';
import { registerConsole } from './admin/routes.ts';
import { registerSocialRoutes } from './social/routes.tsx';
import { registerHelpPages } from './help/routes.tsx';
import { registerConsentPages } from './consent/routes.tsx';
import { registerConsentApi } from './consent/api-routes.ts';
import { installConsentDueGate } from './consent/due-gate.ts';
import { retentionPeriods } from './consent/retention-periods.ts';
import { registerSupportPages } from './support/routes.tsx';
import { registerExportPages } from './privacy-export/routes.tsx';
import { registerLeavingPages } from './leaving/routes.tsx';
import { registerLeavingApi } from './leaving/api-routes.ts';
import { registerTwoFactorPages } from './mfa/routes.tsx';
import { registerSecondFactorStepWithPasskeys } from './accounts/second-factor-passkey-routes.tsx';
import { registerPasskeyPages } from './passkeys/routes.tsx';
import { registerPasskeySignIn } from './accounts/passkey-sign-in-routes.tsx';
import { installMetrics } from './metrics/service-metrics.ts';
import { outboxDepth } from './notifications/queries.ts';
import type { PoolStats } from './db/client.ts';

export interface AppOptions {
  /** The process's logger (default: one at LOG_LEVEL); tests pass a silent one or one that writes to them. */
  logger?: FastifyBaseLogger;
  /** PostgreSQL's pool, for /metrics (main.ts passes the opened database's). */
  poolStats?: (() => PoolStats) | undefined;
}

/**
 * Fastify's (proxy-addr's) form of TRUST_PROXY. A hop count trusts the socket's peer and the
 * addresses nearest to it in X-Forwarded-For: the client is the first address, counted from the
 * right, that no trusted proxy wrote.
 */
function trustedProxies(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));
const version = '0.1.0';

export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, db, keyring, accounts } = services;
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger(config.logLevel),
    trustProxy: trustedProxies(config.trustProxy),
    bodyLimit: 64 * 1024,
    // Request ids let an operator follow one request through the logs.
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });

  listRoutes(app);
  // First, so its timing hook sees every request (404s and errors included).
  if (config.metrics.enabled)
    installMetrics(app, { outboxDepth: () => outboxDepth(db), pool: options.poolStats, argon2: accounts.hasher.load }, { token: config.metrics.token });
  installPageSettings(app, { support: config.support });
  const policy = cookiePolicy(config.cookieSecure);
  installSecurityHeaders(app, config.cookieSecure, services.captcha.vendor?.widget.origins);
  installFormTargets(app, db);
  installCasFormTargets(app, db);
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
      (part as unknown as { value: unknown }).value = { data, truncated: part.file.truncated, filename: part.filename } satisfies UploadedFile;
    },
  });
  await app.register(csrf, {
    cookieKey: policy.csrfName,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure, signed: true },
    getToken: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
  await app.register(staticFiles, { root: publicDir, prefix: '/static/', maxAge: '1h' });
  registerCaptchaAssets(app);
  await registerOpenApi(app, version, { strictResponses: !config.production });

  installSessionHooks(app, services.sessions, policy);
  installConsentDueGate(app);
  installAccountMenu(app, accounts, { vouchKind: CLASSMATE_VOUCH });
  registerLanguage(app);
  installErrorHandlers(app);
  installInputGuards(app);

  // CSRF on every state-changing page request; the API uses Bearer tokens, never cookies.
  app.addHook('preHandler', (request, reply, done) => {
    // The provider under /oidc checks its own requests (client authentication, PKCE, state).
    if (
      request.method === 'GET' ||
      request.method === 'HEAD' ||
      request.method === 'OPTIONS' ||
      request.url.startsWith('/api/') ||
      request.url.startsWith('/oidc/') ||
      // The Alipay simulator's gateway: server-to-server, every request RSA2-signed.
      request.url.startsWith('/dev/alipay/gateway.do')
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
  registerHelpPages(app, services.help);
  registerConsentPages(app, services.accounts, retentionPeriods(config));
  registerConsentApi(app, services.accounts);
  const signInPages = { socialSignIns: Object.keys(services.social.providers) as Array<'wechat' | 'alipay'> };
  registerAccountPages(app, accounts, signInPages);
  registerSmsSignInPages(app, accounts, signInPages);
  registerSocialRoutes(app, { ...accounts, providers: services.social.providers });
  registerAccountApi(app, accounts);
  registerRegistrationPages(app, accounts);
  registerRegistrationApi(app, accounts);
  registerRecoveryPages(app, accounts);
  registerSettingsPages(app, accounts);
  registerTwoFactorPages(app, accounts, services.passkeys);
  registerSecondFactorStepWithPasskeys(app, accounts, services.passkeys);
  registerPasskeyPages(app, services.passkeys);
  registerPasskeySignIn(app, accounts, services.passkeys, signInPages);
  registerContactChangePages(app, accounts);
  registerEnterprisePages(app, accounts);
  registerRealNameRoutes(app, services.identity);
  registerResolutionPages(app, accounts, { inbox: services.inbox, vouch: services.vouch });
  registerAppVerification(app, accounts, services.liveness.provider, services.liveness.simulator, assertAcknowledged, config.app);
  registerObjectionPages(app, accounts);
  registerDisputePages(app, accounts);
  await mountProvider(app, services.sso, db, config.publicUrl, { db, clock: services.clock, keys: keyring.idKeys });
  registerInteractionPages(
    app,
    {
      db,
      clock: services.clock,
      signOut: async (request, reply) => {
        if (request.session) await signOut(services.accounts, request.session.accountId, request.session.id, requestMeta(request));
        endSignedInSession(reply);
      },
      signInHere: signInPage(accounts, signInPages),
    },
    services.sso,
  );
  registerCasRoutes(app, services.cas, services.accounts);
  registerBindingRoutes(app, accounts, services.inbox);
  registerInboxRoutes(app, services.inbox);
  registerSupportPages(app, accounts);
  registerExportPages(app, accounts, services.exportWorker);
  registerLeavingPages(app, services.leaving);
  registerLeavingApi(app, services.leaving);
  registerConsole(app, accounts, services.staff, { allowLoopbackHttp: !config.production, inbox: services.inbox });
  if (!config.production) registerDevOutbox(app, db);
  if (!config.production && services.alipay.simulator) await services.alipay.simulator.mount(app);
  if (!config.production) services.social.wechat.simulator?.mount(app);

  return app;
}
