// createServices builds every module's dependencies from the configuration, a database and the
// keyring, without HTTP: the service (app.ts adds the routes), every operator command (cli/) and
// the tests all start here, so what is tested and what an operator runs is what serves.
import type { Redis } from 'ioredis';
import { ConfigError, type Config } from './config.ts';
import type { Db } from './db/client.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { Keyring } from './lib/keyring.ts';
import { createPasswordHasher, type PasswordHasher } from './lib/passwords.ts';
import { createRateLimits, defaultLimitPolicy, type LimitPolicy, type RateLimits } from './security/rate-limits.ts';
import { createOutbox } from './notifications/outbox.ts';
import { createChannels, devSmsSender, type PlatformDelivery } from './notifications/channels.ts';
import { createOutboxWorker, type OutboxWorker, type WorkerLog } from './notifications/worker.ts';
import type { SmsSender } from './notifications/sms/sender.ts';
import { AliyunSmsSender } from './notifications/sms/aliyun.ts';
import type { SessionDeps } from './sessions/service.ts';
import { resolveSession, revokeSessionByToken } from './sessions/service.ts';
import { cookiePolicy } from './http/cookies.ts';
import { CAPTCHA_TTL_MS, type CaptchaDeps } from './captcha/service.ts';
import type { VendorVerifier } from './captcha/vendors/vendor.ts';
import { tencentCaptcha } from './captcha/vendors/tencent.ts';
import { geetestCaptcha } from './captcha/vendors/geetest.ts';
import { aliyunCaptcha } from './captcha/vendors/aliyun.ts';
import { formatOnlyVerifier, httpIdentityVerifier, type IdentityVerifier } from './identity/verifier.ts';
import type { IdentityDeps } from './identity/service.ts';
import type { AccountDeps } from './accounts/deps.ts';
import { createInbox, type Inbox } from './inbox/service.ts';
import { classmateBindingKind } from './contacts/classmate-binding.ts';
import { classmateVouchKind, type VouchSettings } from './resolution/classmate-path.ts';
import { httpLivenessProvider, simulatorLivenessProvider, type LivenessProvider } from './resolution/liveness.ts';
import { liveSsoProvider, type LiveProvider } from './sso/live-provider.ts';
import { platformDelivery } from './sso/platform-delivery.ts';
import type { CasDeps } from './cas/service.ts';
import { get as outboundGet } from './lib/outbound.ts';
import { hmacSha256 } from './lib/crypto.ts';
import type { StaffDeps } from './admin/staff-auth.ts';
import { createHelpCentre, type HelpCentre } from './help/centre.ts';
import { loadLegalDocuments } from './consent/documents.ts';
import { accountAnswerSource } from './guidance/account-answers.ts';
import { supportHandoff } from './support/handoff.ts';
import { createExportWorker, type ExportWorker } from './privacy-export/worker.ts';
import type { LeavingDeps } from './leaving/deps.ts';
import { supportReplyKind } from './support/inbox-notice.ts';
import { alipaySetup, type AlipaySetup } from './social/alipay-setup.ts';
import type { SocialProviders } from './social/service.ts';
import { wechatSetup, type WechatSetup } from './social/wechat-setup.ts';
import { relyingPartyOf, type PasskeyDeps } from './passkeys/deps.ts';
import { refuseRemovingLastPasskey } from './mfa/passkey-factor.ts';

export interface ServiceOptions {
  clock?: Clock;
  redis?: Redis | undefined;
  limitPolicy?: LimitPolicy;
  hasher?: PasswordHasher;
  smsSender?: SmsSender;
  /** Replaces the registry check (公安联审); default: HTTP when configured, else format only. */
  identityVerifier?: IdentityVerifier;
  /** Replaces the captcha drawing (tests draw a known text). */
  drawCaptcha?: () => { text: string; png: Buffer };
  /** Where the outbox worker reports failed sends (the service passes its request logger). */
  log?: WorkerLog;
}

export interface Services {
  config: Config;
  db: Db;
  clock: Clock;
  keyring: Keyring;
  /** The outbox sender; started by the service, never by a command. */
  worker: OutboxWorker;
  limits: RateLimits;
  sessions: SessionDeps;
  captcha: CaptchaDeps;
  identity: IdentityDeps;
  /** What the account-level modules (accounts, contacts, registration, recovery, resolution, enterprise) need. */
  accounts: AccountDeps;
  /** 注销帐号 by the person and the erasure after retention (leaving/). */
  leaving: LeavingDeps;
  inbox: Inbox;
  vouch: VouchSettings;
  liveness: { provider: LivenessProvider; simulator: ReturnType<typeof simulatorLivenessProvider> | undefined };
  /** The OpenID Provider, for what acts on grants and sessions from outside a request. */
  sso: LiveProvider;
  /** The CAS server: tickets, proxy callbacks, single logout. */
  cas: CasDeps;
  staff: StaffDeps;
  /** The help centre: articles, search and the assistant. */
  help: HelpCentre;
  /** Alipay sign-in: its provider (undefined when off) and, outside production, the simulator to mount. */
  alipay: AlipaySetup;
  /** WeChat / Alipay sign-in: the configured providers, and the WeChat simulator the app mounts outside production. */
  social: { providers: SocialProviders; wechat: WechatSetup };
  /** Passkeys: their WebAuthn ceremonies and management. */
  passkeys: PasskeyDeps;
  /** Builds the copies people ask for at 下载个人信息; started by the service, never by a command. */
  exportWorker: ExportWorker;
}

/** How often the export worker looks for copies to build besides being nudged (a lost nudge waits this long). */
const EXPORT_POLL_MS = 30_000;

export async function createServices(config: Config, db: Db, keyring: Keyring, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  // Platforms (webhooks, back-channel logout) are reached through the single sign-on provider,
  // made further down; the worker asks for it when such a message is due.
  let platforms: PlatformDelivery | undefined;
  const channels = createChannels({
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    sms: options.smsSender ?? smsSenderFrom(config),
    platforms: () => platforms,
  });
  const worker = createOutboxWorker({ db, clock, channels, pollMs: config.outboxPollMs, scrubSentBodies: config.production, log: options.log ?? consoleLog });
  const limits = createRateLimits(
    options.redis ? { kind: 'redis', redis: options.redis, db } : { kind: 'db', db },
    keyring.limiterKey,
    options.limitPolicy ?? limitPolicyOf(config),
  );
  const sessions: SessionDeps = { db, clock, sessionKey: keyring.sessionKey, idleMs: config.session.idleMs, absoluteMs: config.session.absoluteMs };
  const captcha: CaptchaDeps = {
    db,
    clock,
    codeKey: keyring.codeKey,
    pow: { ...config.captcha.pow, ttlMs: CAPTCHA_TTL_MS },
    vendor: captchaVendorFrom(config),
    ...(options.drawCaptcha ? { draw: options.drawCaptcha } : {}),
  };
  const identity: IdentityDeps = {
    db,
    clock,
    keys: keyring.idKeys,
    verifier: options.identityVerifier ?? (config.identityVerifier ? httpIdentityVerifier(config.identityVerifier) : formatOnlyVerifier),
  };
  const hasher = options.hasher ?? createPasswordHasher(config.argon2);
  const accounts: AccountDeps = {
    identity,
    db,
    clock,
    hasher,
    limits,
    outbox: createOutbox(clock, () => worker.nudge(), config.support),
    verification: { codeKey: keyring.codeKey, clock },
    sessions,
    captcha,
    publicUrl: config.publicUrl,
    secondFactor: config.secondFactor,
    legal: loadLegalDocuments(config.legalDir),
  };
  const vouch: VouchSettings = {
    confirmations: config.resolution.classmateConfirmations,
    perYear: config.resolution.vouchesPerYear,
    noticeMs: config.resolution.classmateNoticeMs,
  };
  const inbox = createInbox({ db, clock }, [classmateBindingKind(clock), classmateVouchKind(accounts, vouch), supportReplyKind]);
  const policy = cookiePolicy(config.cookieSecure);
  const sso = await liveSsoProvider({
    db,
    clock,
    keys: keyring.idKeys,
    identity,
    cookieSecret: keyring.cookieSecret,
    publicUrl: config.publicUrl,
    secureCookies: config.cookieSecure,
    allowPrivateNetworkCallbacks: !config.production,
    // Signing out at a platform (RP-initiated logout) signs out of Tongxing in that browser too.
    endTongxingSession: (token) => revokeSessionByToken(sessions, token).then(() => undefined),
    sessionCookieName: policy.sessionName,
    tongxingSessionOf: async (token) => {
      const session = await resolveSession(sessions, token);
      return session ? { accountId: session.accountId, consentDue: session.consentDue } : undefined;
    },
  });
  platforms = platformDelivery({ db, keys: keyring.idKeys, provider: sso, allowPrivateNetwork: !config.production });
  const cas: CasDeps = {
    db,
    clock,
    identity,
    outbox: accounts.outbox,
    limits,
    ticketTtlMs: config.casTicketTtlMs,
    sessionAbsoluteMs: config.session.absoluteMs,
    sessionIdleMs: config.session.idleMs,
    loginProofKey: hmacSha256(keyring.codeKey, 'cas-login-proof'),
    secureCookies: config.cookieSecure,
    allowLoopbackHttp: !config.production,
    callProxyCallback: (url) => outboundGet(url, { timeoutMs: 10_000, allowPrivate: !config.production }),
  };
  const alipay = alipaySetup(config.alipay, config.publicUrl, () => clock.now());
  const wechat = wechatSetup(config, keyring.codeKey, clock);
  const staff: StaffDeps = { db, clock, hasher, limits, keys: keyring.idKeys, sessionKey: keyring.sessionKey, codeKey: keyring.codeKey };
  const passkeys: PasskeyDeps = {
    db,
    clock,
    limits,
    outbox: accounts.outbox,
    rp: relyingPartyOf(config.publicUrl),
    key: hmacSha256(keyring.codeKey, 'passkeys'),
    beforeRemoving: refuseRemovingLastPasskey,
  };
  return {
    config,
    db,
    clock,
    keyring,
    worker,
    limits,
    sessions,
    captcha,
    identity,
    accounts,
    leaving: { ...accounts, leaving: config.leaving },
    inbox,
    vouch,
    liveness: livenessFrom(config, keyring),
    sso,
    cas,
    staff,
    help: createHelpCentre({ sources: [accountAnswerSource({ accounts, inbox, vouch })], handoff: supportHandoff, limits }),
    alipay,
    passkeys,
    exportWorker: createExportWorker({ accounts, pollMs: EXPORT_POLL_MS, log: options.log ?? consoleLog }),
    social: { providers: { ...(wechat.provider ? { wechat: wechat.provider } : {}), ...(alipay.provider ? { alipay: alipay.provider } : {}) }, wechat },
  };
}

/** The configured liveness provider; outside production the simulator is also the page's helper. */
function livenessFrom(config: Config, keyring: Keyring): Services['liveness'] {
  if (config.liveness.provider === 'http') {
    return {
      provider: httpLivenessProvider({ url: config.liveness.url, secret: config.liveness.secret, operator: config.liveness.operator }),
      simulator: undefined,
    };
  }
  const secret = config.liveness.secret ? Buffer.from(config.liveness.secret, 'utf8') : hmacSha256(keyring.codeKey, 'liveness-simulator');
  const simulator = simulatorLivenessProvider(secret, config.liveness.operator);
  return { provider: simulator, simulator: config.production ? undefined : simulator };
}

function captchaVendorFrom(config: Config): VendorVerifier | undefined {
  const vendor = config.captcha.vendor;
  if (!vendor) return undefined;
  const endpoint = vendor.endpoint ? { endpoint: vendor.endpoint } : {};
  if (vendor.kind === 'tencent') return tencentCaptcha({ ...vendor, ...endpoint });
  if (vendor.kind === 'geetest') return geetestCaptcha({ ...vendor, ...endpoint });
  return aliyunCaptcha({ ...vendor, ...endpoint });
}

/** The built-in limits with the operator's RATE_LIMITS over them; a name the policy lacks stops the start. */
function limitPolicyOf(config: Config): LimitPolicy {
  const unknown = Object.keys(config.rateLimits).filter((name) => !Object.hasOwn(defaultLimitPolicy, name));
  if (unknown.length) throw new ConfigError(`配置有误 / invalid configuration:\n  RATE_LIMITS: no limit is named ${unknown.join(', ')}`);
  return { ...defaultLimitPolicy, ...config.rateLimits };
}

function smsSenderFrom(config: Config): SmsSender {
  if (config.sms.provider === 'aliyun') {
    const { accessKeyId, accessKeySecret, signName, templateCodes, endpoint } = config.sms;
    return new AliyunSmsSender({ accessKeyId, accessKeySecret, signName, templateCodes, ...(endpoint ? { endpoint } : {}) });
  }
  return devSmsSender;
}

/** A command's outbox worker never runs, but logs like the service's would (one JSON line). */
const consoleLog: WorkerLog = {
  warn: (obj, msg) => console.error(JSON.stringify({ level: 40, time: Date.now(), msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 50, time: Date.now(), msg, ...obj })),
};
