// Every setting comes from the environment and is validated once, at start. A wrong value stops
// the process with a message naming the variable and what it expects, instead of failing later.
import { z } from 'zod';
import { isIP } from 'node:net';
import { parseKeyList } from './lib/field-crypto.ts';
import { readAlipayConfig, type AlipayConfig } from './config/alipay.ts';
import { parseSmsTemplates, type SmsTemplate } from './config/sms-templates.ts';

const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();

/**
 * Days a deregistered person may dispute the deregistration (the notice's link, resolution/
 * dispute-link.ts). What a dispute needs (the identity, the evidence) must outlive it: a retention
 * period shorter than the window would erase it while a dispute may still come.
 */
export const DISPUTE_WINDOW_DAYS = 30;
const outlivesDisputes = positiveInt.min(
  DISPUTE_WINDOW_DAYS + 1,
  `at least ${DISPUTE_WINDOW_DAYS + 1} days (longer than the ${DISPUTE_WINDOW_DAYS}-day window in which a deregistration may be disputed)`,
);

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Public origin used in links inside emails, e.g. https://account.example.edu.cn */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The user agreement and personal-information policy: <dir>/<lang>/{terms,privacy}.md (the repository's legal/ when unset). */
  LEGAL_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection URL')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  /**
   * What DATABASE_URL reaches: PostgreSQL itself ("none"), or a pooler that hands a server
   * connection out per transaction ("transaction": PgBouncer's pool_mode=transaction, pgcat,
   * Odyssey…), which keeps nothing of a session between transactions (src/db/pooler.ts).
   */
  DATABASE_POOLER: z
    .enum(['none', 'transaction'], {
      error: '"none" (DATABASE_URL reaches PostgreSQL itself) or "transaction" (a pooler such as PgBouncer in pool_mode=transaction)',
    })
    .default('none'),
  /** A direct connection to the same database for the migrations and their lock; DATABASE_URL unless set. */
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /** 32+ random bytes, base64; required in production, generated into DATA_DIR elsewhere. */
  SECRET_KEY: z.string().optional(),
  /** "kid:base64key,…" (first active) and a base64 index key; required in production. */
  ID_ENCRYPTION_KEYS: z.string().optional(),
  ID_INDEX_KEY: z.string().optional(),
  /** Optional registry check (公安联审) over HTTP; without it only the format is checked. */
  IDENTITY_VERIFIER_URL: z.url({ protocol: /^https?$/ }).optional(),
  IDENTITY_VERIFIER_SECRET: z.string().min(16).optional(),
  /** The organisation behind IDENTITY_VERIFIER_URL, named in the ID number's consent: it receives the name and number (PIPL art. 23, 29). */
  IDENTITY_VERIFIER_OPERATOR: z.string().trim().min(1).max(100).optional(),
  COOKIE_SECURE: bool.optional(),
  /**
   * Whom to believe about the client's address in X-Forwarded-For: "false" (nobody), a number of
   * proxy hops in front of the service, or the proxies' addresses and CIDR ranges, comma-separated
   * ("true" believes every hop, which lets a client choose its address: refused in production).
   */
  TRUST_PROXY: z.string().default('false'),
  /**
   * Limits an operator sizes for their season (security/rate-limits.ts names them): a comma list of
   * name=points/seconds[/blockSeconds], e.g. "codesGlobal=12000/60,registrationsPerIp=300/3600".
   */
  RATE_LIMITS: z.string().optional(),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  CAS_TICKET_TTL_SECONDS: positiveInt.max(300).default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('通行 Tongxing <no-reply@tongxing.local>'),
  SMS_PROVIDER: z.enum(['dev', 'aliyun']).default('dev'),
  ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  ALIYUN_SMS_TEMPLATE_CODE: z.string().optional(),
  ALIYUN_SMS_TEMPLATES: z.string().optional(),
  ALIYUN_SMS_ENDPOINT: z.url().optional(),
  /** argon2id memory in KiB; OWASP's 19456 unless a test lowers it (refused in production). */
  ARGON2_MEMORY_KIB: positiveInt.default(19456),
  ARGON2_ITERATIONS: positiveInt.default(2),
  ARGON2_CONCURRENCY: positiveInt.optional(),
  /** /metrics for Prometheus: on by default, but in production only with METRICS_TOKEN (docs/deployment.md). */
  METRICS: bool.optional(),
  /** Bearer token a scraper sends to /metrics (32+ characters); without it only loopback may read /metrics. */
  METRICS_TOKEN: z.string().min(32, 'at least 32 characters (openssl rand -hex 24)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_POLL_MS: positiveInt.default(1000),
  /** Classmates who must confirm (是我的同学) before the classmate path passes. */
  RESOLUTION_CLASSMATE_CONFIRMATIONS: positiveInt.default(1),
  /** Hours the current holders may object once classmates have vouched (途径3's notice period). */
  RESOLUTION_CLASSMATE_NOTICE_HOURS: positiveInt.default(72),
  /** How many people one person may vouch for in a year. */
  CLASSMATE_VOUCHES_PER_YEAR: positiveInt.default(3),
  /** Days a removal of the second factor asked through 找回密码 waits before it takes effect. */
  SECOND_FACTOR_REMOVAL_WAIT_DAYS: positiveInt.default(7),
  /** Days a registration may wait for activation before it is removed and its address is free again. */
  UNACTIVATED_RETENTION_DAYS: positiveInt.default(30),
  /** Days ID photos and liveness results are kept once their case is decided (support may need them for a dispute: at least 31). */
  EVIDENCE_RETENTION_DAYS: outlivesDisputes.default(90),
  /**
   * Months the audit trail is kept. At least 6: 等保 2.0 (GB/T 22239, 安全审计) and the
   * Cybersecurity Law (art. 21) ask for security logs of six months or more, and OWASP ASVS (V7)
   * wants them kept long enough to investigate an incident; the default keeps three years, the
   * window in which a wrongful deregistration or a disputed ID number is still brought to support.
   */
  AUDIT_RETENTION_MONTHS: positiveInt.min(6, 'at least 6 (security logs are kept six months or more)').default(36),
  /** Months sent (or given-up) outbox messages are kept for support; a month still holding unsent ones is never dropped. */
  OUTBOX_RETENTION_MONTHS: positiveInt.default(3),
  /**
   * Days a support request filed without signing in is kept once it is closed or answered (its
   * contact, its words and any image, perhaps an ID card's photo), then deleted. At least 31:
   * longer than the 30-day link an answer sends, so a person still reading the answer finds it.
   * 180 by default: half a year covers a follow-up question or a complaint about how the request
   * was handled; past that the request has served its purpose (PIPL art. 19, kept no longer than needed).
   */
  SUPPORT_REQUEST_RETENTION_DAYS: positiveInt.min(31, 'at least 31 days (longer than the 30-day link an answer sends)').default(180),
  /**
   * Days an enterprise look-up request no account was matched to (rejected, or settled without a
   * match) is kept once handled, then deleted with its stamped letter: the contact person's name,
   * phone, email and address. At least 31, so a refusal can still be looked into the month after;
   * 180 by default, time enough for the enterprise to come back about it, yet not kept without end.
   */
  ENTERPRISE_REQUEST_RETENTION_DAYS: positiveInt.min(31, 'at least 31 days (support may be asked about a refusal the month after)').default(180),
  /** Days a person's own 注销帐号 waits (signing in meanwhile offers to cancel it) before it is done. */
  SELF_DEREGISTRATION_COOLING_OFF_DAYS: positiveInt.default(15),
  /**
   * Days a deregistered account's personal information is kept before it is erased (at least 31,
   * past the dispute window). 180 by default: well past the 30-day dispute link and the time support needs to reverse a wrongful
   * deregistration (which needs the name, the number and the released contacts), yet not kept
   * without end (personal information is kept no longer than its purpose needs).
   */
  DEREGISTERED_RETENTION_DAYS: outlivesDisputes.default(180),
  /** Customer service, shown wherever a page says 请联系客服 (each optional; none set shows nothing extra). */
  SUPPORT_PHONE: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{2,28}$/, 'a telephone number: digits, spaces, "-", "(", ")" and a leading "+" (e.g. 010-82199588)')
    .optional(),
  SUPPORT_EMAIL: z.email('an email address (e.g. kefu@example.edu.cn)').optional(),
  SUPPORT_HOURS: z.string().trim().min(1).max(100, 'at most 100 characters (e.g. 工作日 9:00–17:00)').optional(),
  /** Bearer token for the staff review API until staff accounts exist (32+ characters). */
  /** The captcha of guarded forms: the built-in proof of work, or a captcha service (the picture stays for browsers without JavaScript). */
  CAPTCHA_PROVIDER: z.enum(['builtin', 'tencent', 'geetest', 'aliyun']).default('builtin'),
  /** PBKDF2 iterations per try of the proof of work, and the expected number of tries (≈ 1 s on a laptop). */
  CAPTCHA_POW_COST: positiveInt.default(5000),
  CAPTCHA_POW_COUNTER: positiveInt.default(3000),
  TENCENT_CAPTCHA_SECRET_ID: z.string().optional(),
  TENCENT_CAPTCHA_SECRET_KEY: z.string().optional(),
  TENCENT_CAPTCHA_APP_ID: z.string().regex(/^\d+$/, 'the numeric CaptchaAppId').optional(),
  TENCENT_CAPTCHA_APP_SECRET_KEY: z.string().optional(),
  TENCENT_CAPTCHA_ENDPOINT: z.url().optional(),
  GEETEST_CAPTCHA_ID: z.string().optional(),
  GEETEST_CAPTCHA_KEY: z.string().optional(),
  GEETEST_ENDPOINT: z.url().optional(),
  ALIYUN_CAPTCHA_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_CAPTCHA_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_CAPTCHA_SCENE_ID: z.string().optional(),
  ALIYUN_CAPTCHA_PREFIX: z.string().optional(),
  ALIYUN_CAPTCHA_ENDPOINT: z.url().optional(),
  /** App verification (途径1): the simulator outside production, or a provider over HTTP. */
  LIVENESS_PROVIDER: z.enum(['simulator', 'http']).default('simulator'),
  LIVENESS_URL: z.url().optional(),
  LIVENESS_SECRET: z.string().min(32).optional(),
  /** The organisation that runs the face check, named in the consent asked before it (PIPL art. 23, 29). */
  LIVENESS_OPERATOR: z.string().trim().min(1).max(100).optional(),
  /**
   * 途径1 on a phone: the link that opens the app on its verification screen, with "{token}" where
   * the one-time code goes (an https universal link or the app's own scheme, e.g.
   * tongxing://verify?token={token}); and where the app is downloaded.
   */
  APP_LINK: z
    .string()
    .trim()
    .regex(
      /^(?!(javascript|data|vbscript|file):)[a-z][a-z0-9+.-]*:\S*\{token\}\S*$/i,
      'a URL template containing {token} (e.g. tongxing://verify?token={token})',
    )
    .optional(),
  APP_DOWNLOAD_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * 微信扫码登录 (微信开放平台, 网站应用): "wechat" with WECHAT_APP_ID and WECHAT_APP_SECRET (the
   * default when they are set), "simulator" (the default outside production; refused in it), or
   * "off" (the default in production without them). The endpoints are WeChat's unless overridden.
   */
  WECHAT_PROVIDER: z.enum(['wechat', 'simulator', 'off']).optional(),
  WECHAT_APP_ID: z.string().trim().min(1).max(64).optional(),
  WECHAT_APP_SECRET: z.string().trim().min(1).max(128).optional(),
  WECHAT_CONNECT_URL: z.url({ protocol: /^https?$/ }).default('https://open.weixin.qq.com'),
  WECHAT_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.weixin.qq.com'),
});

type Raw = z.infer<typeof schema>;

export interface Config {
  /** RATE_LIMITS: the operator's sizes for named limits, over the built-in policy. */
  rateLimits: Record<string, RateLimitOverride>;
  env: Raw['NODE_ENV'];
  production: boolean;
  /** /metrics: off, or on with the bearer token a scraper sends (none: loopback only, never in production). */
  metrics: { enabled: boolean; token: string | undefined };
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  /** Where the legal documents are read from (consent/documents.ts); undefined: the repository's legal/. */
  legalDir: string | undefined;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** "transaction": DATABASE_URL is a transaction pooler; no named statements, no startup parameters (src/db/pooler.ts). */
  databasePooler: 'none' | 'transaction';
  /** Where migrations and their lock run: PostgreSQL itself (DATABASE_MIGRATION_URL, else DATABASE_URL). */
  databaseMigrationUrl: string | undefined;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  idKeys: { activeKeyId: string; keys: Map<string, Buffer>; indexKey: Buffer } | undefined;
  /** The registry check over HTTP and who runs it (named in the ID number's consent); undefined: the format only, nothing sent. */
  identityVerifier: { url: string; secret: string; operator: string } | undefined;
  cookieSecure: boolean;
  /** false, true (any hop; not in production), a hop count, or the trusted proxy addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  session: { idleMs: number; absoluteMs: number };
  /** CAS service and proxy tickets: how long one may wait for its one validation. */
  casTicketTtlMs: number;
  /** A person's second factor: how long a removal through recovery waits. */
  secondFactor: { removalWaitMs: number };
  /** How long what is no longer needed is kept (maintenance/retention.ts applies it). */
  retention: Retention;
  /** 注销帐号 by the person (leaving/): the cooling-off period, and how long a deregistered account's personal information stays. */
  leaving: { coolingOffMs: number; retentionMs: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  sms:
    | { provider: 'dev' }
    | {
        provider: 'aliyun';
        accessKeyId: string;
        accessKeySecret: string;
        signName: string;
        templateCodes: Record<SmsTemplate, string>;
        endpoint: string | undefined;
      };
  argon2: { memoryKiB: number; iterations: number; concurrency: number | undefined };
  logLevel: Raw['LOG_LEVEL'];
  outboxPollMs: number;
  resolution: { classmateConfirmations: number; vouchesPerYear: number; classmateNoticeMs: number };
  liveness:
    { provider: 'simulator'; secret: string | undefined; operator: string | undefined } | { provider: 'http'; url: string; secret: string; operator: string };
  /** 途径1 on a phone: the app's link template ("{token}" replaced) and its download page. */
  app: { linkTemplate: string | undefined; downloadUrl: string | undefined };
  /** Alipay sign-in: the real gateway, the simulator at /dev/alipay (not in production) or off (src/config/alipay.ts). */
  alipay: AlipayConfig;
  /** How people reach customer service; every field optional. */
  support: SupportContacts;
  /** 微信扫码登录: WeChat itself, the loopback simulator (never in production), or none. */
  wechat: { kind: 'off' } | { kind: 'simulator' } | { kind: 'wechat'; appId: string; appSecret: string; connectUrl: string; apiUrl: string };
  captcha: {
    pow: { cost: number; counterMax: number };
    vendor:
      | undefined
      | { kind: 'tencent'; secretId: string; secretKey: string; captchaAppId: string; appSecretKey: string; endpoint: string | undefined }
      | { kind: 'geetest'; captchaId: string; captchaKey: string; endpoint: string | undefined }
      | { kind: 'aliyun'; accessKeyId: string; accessKeySecret: string; sceneId: string; prefix: string; endpoint: string | undefined };
  };
}

export interface Retention {
  /** A registration never activated is removed this long after it was made. */
  unactivatedMs: number;
  /** ID photos and liveness results are erased this long after their case was decided. */
  evidenceMs: number;
  /** Whole months of audit events kept before the current one; older monthly partitions are dropped. */
  auditMonths: number;
  /** The same for the outbox, except that a month holding unsent messages stays. */
  outboxMonths: number;
  /** A support request of someone without an account is deleted this long after it was closed or answered. */
  supportRequestMs: number;
  /** An enterprise request no account was matched to is deleted this long after it was handled. */
  enterpriseRequestMs: number;
}

/** Codes, captchas, sessions, reset requests and tickets are deleted this long after they end (maintenance/cleanup.ts). */
export const ENDED_RECORDS_GRACE_MS = 30 * 86_400_000;

export const DEFAULT_RETENTION: Retention = {
  unactivatedMs: 30 * 86_400_000,
  evidenceMs: 90 * 86_400_000,
  auditMonths: 36,
  outboxMonths: 3,
  supportRequestMs: 180 * 86_400_000,
  enterpriseRequestMs: 180 * 86_400_000,
};

export interface SupportContacts {
  phone: string | undefined;
  email: string | undefined;
  hours: string | undefined;
}

/** What each captcha service needs. */
const CAPTCHA_VARIABLES = {
  tencent: ['TENCENT_CAPTCHA_SECRET_ID', 'TENCENT_CAPTCHA_SECRET_KEY', 'TENCENT_CAPTCHA_APP_ID', 'TENCENT_CAPTCHA_APP_SECRET_KEY'],
  geetest: ['GEETEST_CAPTCHA_ID', 'GEETEST_CAPTCHA_KEY'],
  aliyun: ['ALIYUN_CAPTCHA_ACCESS_KEY_ID', 'ALIYUN_CAPTCHA_ACCESS_KEY_SECRET', 'ALIYUN_CAPTCHA_SCENE_ID', 'ALIYUN_CAPTCHA_PREFIX'],
} as const;

/** A rate limit as RATE_LIMITS gives it (the names are checked against the policy in services.ts). */
export interface RateLimitOverride {
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

const RATE_LIMIT_ENTRY = /^([A-Za-z]+)=(\d{1,9})\/(\d{1,8})(?:\/(\d{1,8}))?$/;

function parseRateLimits(value: string | undefined, problems: string[]): Record<string, RateLimitOverride> {
  const limits: Record<string, RateLimitOverride> = {};
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = RATE_LIMIT_ENTRY.exec(entry);
    if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) {
      problems.push(`  RATE_LIMITS: "${entry}" is not name=points/seconds[/blockSeconds] (whole numbers, at least 1)`);
      continue;
    }
    limits[m[1]!] = { points: Number(m[2]), durationSeconds: Number(m[3]), ...(m[4] ? { blockSeconds: Number(m[4]) } : {}) };
  }
  return limits;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`配置有误 / invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  const problems: string[] = [];
  if (production && !c.SECRET_KEY) problems.push('  SECRET_KEY: required in production (32+ random bytes, base64)');
  if (c.SECRET_KEY && Buffer.from(c.SECRET_KEY, 'base64').length < 32) problems.push('  SECRET_KEY: must decode (base64) to at least 32 bytes');
  if (production && c.ARGON2_MEMORY_KIB < 19456) problems.push('  ARGON2_MEMORY_KIB: must be at least 19456 in production');
  if (production && !c.PUBLIC_URL) problems.push('  PUBLIC_URL: required in production (the https origin people use)');
  if (production && !c.SMTP_URL) problems.push('  SMTP_URL: required in production to send email');
  if (production && c.SMS_PROVIDER === 'dev') problems.push('  SMS_PROVIDER: "dev" sends nothing; choose a real provider in production');
  const aliyunMissing = ['ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATE_CODE'].filter(
    (k) => !c[k as keyof Raw],
  );
  if (c.SMS_PROVIDER === 'aliyun' && aliyunMissing.length) problems.push(...aliyunMissing.map((k) => `  ${k}: required when SMS_PROVIDER=aliyun`));
  // Every kind of SMS needs its approved template: one without would fail at the gateway.
  const smsTemplates = c.SMS_PROVIDER === 'aliyun' ? parseSmsTemplates(c.ALIYUN_SMS_TEMPLATE_CODE ?? '', c.ALIYUN_SMS_TEMPLATES) : undefined;
  if (typeof smsTemplates === 'string' && !aliyunMissing.length) problems.push(`  ALIYUN_SMS_TEMPLATES: ${smsTemplates}`);
  let idKeys: Config['idKeys'];
  if (c.ID_ENCRYPTION_KEYS || c.ID_INDEX_KEY) {
    try {
      const parsedKeys = parseKeyList(c.ID_ENCRYPTION_KEYS ?? '');
      idKeys = { ...parsedKeys, indexKey: Buffer.from(c.ID_INDEX_KEY ?? '', 'base64') };
    } catch (error) {
      problems.push(`  ID_ENCRYPTION_KEYS: "kid:base64-32-byte-key,…" (${(error as Error).message})`);
    }
    if (Buffer.from(c.ID_INDEX_KEY ?? '', 'base64').length < 32) problems.push('  ID_INDEX_KEY: 32+ random bytes, base64');
  } else if (production) {
    problems.push('  ID_ENCRYPTION_KEYS, ID_INDEX_KEY: required in production (ID numbers are encrypted and indexed with them)');
  }
  if (Boolean(c.IDENTITY_VERIFIER_URL) !== Boolean(c.IDENTITY_VERIFIER_SECRET))
    problems.push('  IDENTITY_VERIFIER_URL, IDENTITY_VERIFIER_SECRET: set both or neither');
  if (c.IDENTITY_VERIFIER_URL && !c.IDENTITY_VERIFIER_OPERATOR)
    problems.push(
      '  IDENTITY_VERIFIER_OPERATOR: required with IDENTITY_VERIFIER_URL: the organisation that receives the name and ID number, named in the consent asked before they go to it',
    );
  if (production && c.LIVENESS_PROVIDER === 'simulator')
    problems.push('  LIVENESS_PROVIDER: the simulator passes anyone; set "http" with LIVENESS_URL and LIVENESS_SECRET in production');
  if (c.LIVENESS_PROVIDER === 'http' && (!c.LIVENESS_URL || !c.LIVENESS_SECRET || !c.LIVENESS_OPERATOR))
    problems.push('  LIVENESS_URL, LIVENESS_SECRET, LIVENESS_OPERATOR: required when LIVENESS_PROVIDER=http');
  if (c.CAPTCHA_PROVIDER !== 'builtin')
    for (const k of CAPTCHA_VARIABLES[c.CAPTCHA_PROVIDER]) if (!c[k]) problems.push(`  ${k}: required when CAPTCHA_PROVIDER=${c.CAPTCHA_PROVIDER}`);
  problems.push(...databaseProblems(c));
  const trustProxy = parseTrustProxy(c.TRUST_PROXY);
  if (trustProxy === undefined)
    problems.push('  TRUST_PROXY: "false", a number of proxy hops, or proxy addresses/CIDRs separated by commas (e.g. 10.0.0.0/8,192.0.2.7)');
  if (production) problems.push(...productionSafety(c, trustProxy));
  if (production && c.METRICS === true && !c.METRICS_TOKEN)
    problems.push('  METRICS_TOKEN: required in production while METRICS is on (a scraper sends it as a bearer token), or set METRICS=false');
  const alipay = readAlipayConfig(env, production);
  problems.push(...alipay.problems);
  const wechat = wechatConfig(c, production, problems);
  const rateLimits = parseRateLimits(c.RATE_LIMITS, problems);
  if (problems.length) throw new ConfigError(`配置有误 / invalid configuration:\n${problems.join('\n')}`);

  return {
    env: c.NODE_ENV,
    production,
    rateLimits,
    // In production /metrics needs the token: behind a balancer on the same host every request
    // would look like loopback. Without METRICS_TOKEN production simply has no /metrics.
    metrics: { enabled: c.METRICS ?? (production ? Boolean(c.METRICS_TOKEN) : true), token: c.METRICS_TOKEN },
    host: c.HOST,
    port: c.PORT,
    publicUrl: (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, ''),
    dataDir: c.DATA_DIR,
    legalDir: c.LEGAL_DIR,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    databasePooler: c.DATABASE_POOLER,
    databaseMigrationUrl: c.DATABASE_URL ? (c.DATABASE_MIGRATION_URL ?? c.DATABASE_URL) : undefined,
    redisUrl: c.REDIS_URL,
    secretKey: c.SECRET_KEY,
    idKeys,
    identityVerifier:
      c.IDENTITY_VERIFIER_URL && c.IDENTITY_VERIFIER_SECRET
        ? { url: c.IDENTITY_VERIFIER_URL, secret: c.IDENTITY_VERIFIER_SECRET, operator: c.IDENTITY_VERIFIER_OPERATOR! }
        : undefined,
    cookieSecure: c.COOKIE_SECURE ?? production,
    trustProxy: trustProxy ?? false,
    session: { idleMs: c.SESSION_IDLE_MINUTES * 60_000, absoluteMs: c.SESSION_ABSOLUTE_HOURS * 3_600_000 },
    casTicketTtlMs: c.CAS_TICKET_TTL_SECONDS * 1000,
    secondFactor: { removalWaitMs: c.SECOND_FACTOR_REMOVAL_WAIT_DAYS * 86_400_000 },
    retention: {
      unactivatedMs: c.UNACTIVATED_RETENTION_DAYS * 86_400_000,
      evidenceMs: c.EVIDENCE_RETENTION_DAYS * 86_400_000,
      auditMonths: c.AUDIT_RETENTION_MONTHS,
      outboxMonths: c.OUTBOX_RETENTION_MONTHS,
      supportRequestMs: c.SUPPORT_REQUEST_RETENTION_DAYS * 86_400_000,
      enterpriseRequestMs: c.ENTERPRISE_REQUEST_RETENTION_DAYS * 86_400_000,
    },
    leaving: { coolingOffMs: c.SELF_DEREGISTRATION_COOLING_OFF_DAYS * 86_400_000, retentionMs: c.DEREGISTERED_RETENTION_DAYS * 86_400_000 },
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    sms:
      c.SMS_PROVIDER === 'aliyun'
        ? {
            provider: 'aliyun',
            accessKeyId: c.ALIYUN_ACCESS_KEY_ID!,
            accessKeySecret: c.ALIYUN_ACCESS_KEY_SECRET!,
            signName: c.ALIYUN_SMS_SIGN_NAME!,
            templateCodes: smsTemplates as Record<SmsTemplate, string>,
            endpoint: c.ALIYUN_SMS_ENDPOINT,
          }
        : { provider: 'dev' },
    argon2: { memoryKiB: c.ARGON2_MEMORY_KIB, iterations: c.ARGON2_ITERATIONS, concurrency: c.ARGON2_CONCURRENCY },
    logLevel: c.LOG_LEVEL,
    outboxPollMs: c.OUTBOX_POLL_MS,
    resolution: {
      classmateConfirmations: c.RESOLUTION_CLASSMATE_CONFIRMATIONS,
      vouchesPerYear: c.CLASSMATE_VOUCHES_PER_YEAR,
      classmateNoticeMs: c.RESOLUTION_CLASSMATE_NOTICE_HOURS * 3_600_000,
    },
    liveness:
      c.LIVENESS_PROVIDER === 'http'
        ? { provider: 'http', url: c.LIVENESS_URL!, secret: c.LIVENESS_SECRET!, operator: c.LIVENESS_OPERATOR! }
        : { provider: 'simulator', secret: c.LIVENESS_SECRET, operator: c.LIVENESS_OPERATOR },
    app: { linkTemplate: c.APP_LINK, downloadUrl: c.APP_DOWNLOAD_URL },
    alipay: alipay.config,
    support: { phone: c.SUPPORT_PHONE, email: c.SUPPORT_EMAIL, hours: c.SUPPORT_HOURS },
    captcha: { pow: { cost: c.CAPTCHA_POW_COST, counterMax: c.CAPTCHA_POW_COUNTER }, vendor: captchaVendor(c) },
    wechat,
  };
}

/**
 * DATABASE_POOLER and DATABASE_MIGRATION_URL only mean something with DATABASE_URL. Through a
 * transaction pooler the migrations need a connection of their own to PostgreSQL: their lock
 * (ours and Kysely's) is a session's, and the pooler gives each statement whichever server
 * session is free, so the lock would be taken on one and released on another, or never.
 */
function databaseProblems(c: Raw): string[] {
  if (!c.DATABASE_URL) {
    const stray = [c.DATABASE_POOLER !== 'none' && 'DATABASE_POOLER', c.DATABASE_MIGRATION_URL && 'DATABASE_MIGRATION_URL'].filter(Boolean);
    return stray.map((k) => `  ${k}: only with DATABASE_URL (the embedded database in DATA_DIR has no pooler and migrates itself)`);
  }
  if (c.DATABASE_POOLER === 'transaction' && (!c.DATABASE_MIGRATION_URL || c.DATABASE_MIGRATION_URL === c.DATABASE_URL))
    return [
      '  DATABASE_MIGRATION_URL: required when DATABASE_POOLER=transaction: a direct connection to PostgreSQL (not through the pooler), for the migrations and their lock',
    ];
  return [];
}

/** WECHAT_*: which WeChat sign-in this deployment offers; what is wrong goes to `problems`. */
function wechatConfig(c: Raw, production: boolean, problems: string[]): Config['wechat'] {
  const kind = c.WECHAT_PROVIDER ?? (c.WECHAT_APP_ID ? 'wechat' : production ? 'off' : 'simulator');
  if (kind === 'simulator' && production)
    problems.push('  WECHAT_PROVIDER: the simulator signs anyone in; set WECHAT_APP_ID and WECHAT_APP_SECRET (or "off") in production');
  if (kind !== 'wechat') return { kind };
  if (!c.WECHAT_APP_ID || !c.WECHAT_APP_SECRET) problems.push('  WECHAT_APP_ID, WECHAT_APP_SECRET: required for WeChat sign-in (微信开放平台 网站应用)');
  if (production && (!c.WECHAT_CONNECT_URL.startsWith('https://') || !c.WECHAT_API_URL.startsWith('https://')))
    problems.push('  WECHAT_CONNECT_URL, WECHAT_API_URL: must be https:// in production');
  return { kind, appId: c.WECHAT_APP_ID ?? '', appSecret: c.WECHAT_APP_SECRET ?? '', connectUrl: c.WECHAT_CONNECT_URL, apiUrl: c.WECHAT_API_URL };
}

function captchaVendor(c: Raw): Config['captcha']['vendor'] {
  switch (c.CAPTCHA_PROVIDER) {
    case 'builtin':
      return undefined;
    case 'tencent':
      return {
        kind: 'tencent',
        secretId: c.TENCENT_CAPTCHA_SECRET_ID!,
        secretKey: c.TENCENT_CAPTCHA_SECRET_KEY!,
        captchaAppId: c.TENCENT_CAPTCHA_APP_ID!,
        appSecretKey: c.TENCENT_CAPTCHA_APP_SECRET_KEY!,
        endpoint: c.TENCENT_CAPTCHA_ENDPOINT,
      };
    case 'geetest':
      return { kind: 'geetest', captchaId: c.GEETEST_CAPTCHA_ID!, captchaKey: c.GEETEST_CAPTCHA_KEY!, endpoint: c.GEETEST_ENDPOINT };
    case 'aliyun':
      return {
        kind: 'aliyun',
        accessKeyId: c.ALIYUN_CAPTCHA_ACCESS_KEY_ID!,
        accessKeySecret: c.ALIYUN_CAPTCHA_ACCESS_KEY_SECRET!,
        sceneId: c.ALIYUN_CAPTCHA_SCENE_ID!,
        prefix: c.ALIYUN_CAPTCHA_PREFIX!,
        endpoint: c.ALIYUN_CAPTCHA_ENDPOINT,
      };
  }
}

function parseTrustProxy(value: string): Config['trustProxy'] | undefined {
  const v = value.trim().toLowerCase();
  if (['false', '0', 'no'].includes(v)) return false;
  if (['true', 'yes'].includes(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return entries.length && entries.every(isAddressOrRange) ? entries : undefined;
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/**
 * A key that is all one byte, or a pattern, is no secret: random keys of 32 bytes have about 30
 * distinct byte values, and fewer than 20 happens by chance about never.
 */
/**
 * Whether a key could have come from a random generator: 32 random bytes have about 30 different
 * values, are almost never all printable (a typed passphrase is), and never step by one fixed
 * amount for long (0, 1, 2, …). Each test misses a real key with a chance below one in 10¹².
 */
function looksRandom(key: Buffer): boolean {
  if (key.length < 32 || new Set(key).size < 20) return false;
  if (key.every((b) => b >= 0x20 && b < 0x7f)) return false;
  const steps = new Map<number, number>();
  for (let i = 1; i < key.length; i++) {
    const step = (key[i]! - key[i - 1]! + 256) % 256;
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  return Math.max(...steps.values()) < 8;
}

/** What production refuses even when it parses: weak secrets and settings that turn protections off. */
function productionSafety(c: Raw, trustProxy: Config['trustProxy'] | undefined): string[] {
  const problems: string[] = [];
  const secret = c.SECRET_KEY ? Buffer.from(c.SECRET_KEY, 'base64') : undefined;
  if (secret && secret.length >= 32 && !looksRandom(secret)) problems.push('  SECRET_KEY: is not random (generate one: openssl rand -base64 32)');
  const index = c.ID_INDEX_KEY ? Buffer.from(c.ID_INDEX_KEY, 'base64') : undefined;
  if (index && index.length >= 32 && !looksRandom(index)) problems.push('  ID_INDEX_KEY: is not random (generate one: openssl rand -base64 32)');
  const idKeys = (c.ID_ENCRYPTION_KEYS ?? '').split(',').flatMap((entry) => {
    const key = entry.split(':')[1];
    return key ? [Buffer.from(key, 'base64')] : [];
  });
  if (idKeys.some((k) => k.length >= 32 && !looksRandom(k)))
    problems.push('  ID_ENCRYPTION_KEYS: a key is not random (generate each: openssl rand -base64 32)');
  const all = [secret, index, ...idKeys].flatMap((k) => (k ? [k.toString('hex')] : []));
  if (new Set(all).size < all.length) problems.push('  SECRET_KEY, ID_ENCRYPTION_KEYS, ID_INDEX_KEY: every key must be different');
  if (c.ARGON2_ITERATIONS < 2) problems.push('  ARGON2_ITERATIONS: must be at least 2 in production (OWASP argon2id)');
  if (c.PUBLIC_URL && !c.PUBLIC_URL.startsWith('https://')) problems.push('  PUBLIC_URL: must be an https:// origin in production');
  if (c.COOKIE_SECURE === false) problems.push('  COOKIE_SECURE: cannot be turned off in production (cookies would travel without TLS)');
  if (c.CAPTCHA_POW_COST < 1_000 || c.CAPTCHA_POW_COUNTER < 1_000)
    problems.push('  CAPTCHA_POW_COST, CAPTCHA_POW_COUNTER: below 1000 the proof of work costs a program nothing');
  if (c.RESOLUTION_CLASSMATE_NOTICE_HOURS < 24) problems.push('  RESOLUTION_CLASSMATE_NOTICE_HOURS: at least 24 in production (holders need time to object)');
  if (trustProxy === true)
    problems.push('  TRUST_PROXY: "true" believes every X-Forwarded-For hop (clients choose their address); give the hop count or the proxies\' addresses');
  return problems;
}

/** Empty strings count as unset, so `PORT=` in a .env file means "use the default". */
function pickKnown(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
