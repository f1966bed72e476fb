import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../../src/config.ts';

test('defaults: 127.0.0.1:8080, ./data, PGlite, OWASP argon2 cost, plain cookies outside production', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, './data');
  assert.equal(c.databaseUrl, undefined);
  assert.deepEqual(c.argon2, { memoryKiB: 19456, iterations: 2, concurrency: undefined });
  assert.equal(c.cookieSecure, false);
  assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
});

test('a wrong value names the variable and what it expects', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty' }),
    (e: ConfigError) => /PORT/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'mysql://x' }),
    (e: ConfigError) => /DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ connection URL/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ SESSION_IDLE_MINUTES: '-5' }),
    (e: ConfigError) => /SESSION_IDLE_MINUTES/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ SECRET_KEY: 'c2hvcnQ=' }),
    (e: ConfigError) => /SECRET_KEY: must decode \(base64\) to at least 32 bytes/.test(e.message),
  );
});

const random = () => randomBytes(32).toString('base64');
const productionEnv: Record<string, string> = {
  NODE_ENV: 'production',
  SECRET_KEY: random(),
  PUBLIC_URL: 'https://account.example.edu.cn/',
  SMTP_URL: 'smtp://mail.example.edu.cn:25',
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'id',
  ALIYUN_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '通行',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
  ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5,support_follow:SMS_6',
  ID_ENCRYPTION_KEYS: `2026:${random()},2025:${random()}`,
  LIVENESS_PROVIDER: 'http',
  LIVENESS_URL: 'https://liveness.example.com/v1',
  LIVENESS_SECRET: 'l'.repeat(40),
  LIVENESS_OPERATOR: '某某人脸核验服务有限公司',
  ID_INDEX_KEY: random(),
};

/** The message of the ConfigError loadConfig throws for `env`. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

test('production refuses weak secrets and switched-off protections, naming each variable', () => {
  const zeros = Buffer.alloc(32).toString('base64');
  const pattern = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
  const key = random();
  const cases: Array<[Record<string, string>, string]> = [
    [{ SECRET_KEY: zeros }, 'SECRET_KEY: is not random'],
    [{ SECRET_KEY: pattern }, 'SECRET_KEY: is not random'],
    [{ SECRET_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64') }, 'SECRET_KEY: is not random'],
    [{ SECRET_KEY: Buffer.from('correct horse battery staple 2026!').toString('base64') }, 'SECRET_KEY: is not random'],
    [{ CAPTCHA_POW_COST: '1' }, 'CAPTCHA_POW_COST, CAPTCHA_POW_COUNTER: below 1000'],
    [{ CAPTCHA_POW_COUNTER: '10' }, 'CAPTCHA_POW_COST, CAPTCHA_POW_COUNTER: below 1000'],
    [{ RESOLUTION_CLASSMATE_NOTICE_HOURS: '1' }, 'RESOLUTION_CLASSMATE_NOTICE_HOURS: at least 24'],
    [{ ID_INDEX_KEY: zeros }, 'ID_INDEX_KEY: is not random'],
    [{ ID_ENCRYPTION_KEYS: `k1:${zeros}` }, 'ID_ENCRYPTION_KEYS: a key is not random'],
    [{ ID_ENCRYPTION_KEYS: `k1:${key},k2:${key}` }, 'every key must be different'],
    [{ ID_ENCRYPTION_KEYS: `k1:${key}`, ID_INDEX_KEY: key }, 'every key must be different'],
    [{ ARGON2_ITERATIONS: '1' }, 'ARGON2_ITERATIONS: must be at least 2 in production'],
    [{ PUBLIC_URL: 'http://account.example.edu.cn' }, 'PUBLIC_URL: must be an https:// origin in production'],
    [{ COOKIE_SECURE: 'false' }, 'COOKIE_SECURE: cannot be turned off in production'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY: "true" believes every X-Forwarded-For hop'],
  ];
  for (const [change, expected] of cases) assert.ok(refusal({ ...productionEnv, ...change }).includes(expected), `${JSON.stringify(change)} → ${expected}`);
  // Outside production the same values are the developer's business.
  assert.doesNotThrow(() => loadConfig({ SECRET_KEY: zeros, ARGON2_ITERATIONS: '1', TRUST_PROXY: 'true' }));
});

test("TRUST_PROXY takes a hop count or the proxies' addresses and ranges", () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,2001:db8::/32' }).trustProxy, ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
  assert.deepEqual(loadConfig({ ...productionEnv, TRUST_PROXY: '1' }).trustProxy, 1);
  for (const bad of ['10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/1', 'yes please'])
    assert.match(refusal({ TRUST_PROXY: bad }), /TRUST_PROXY: "false", a number of proxy hops/);
});

test('production refuses to start without its secrets, mail, SMS and a full argon2 cost', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', ARGON2_MEMORY_KIB: '1024' }),
    (e: ConfigError) =>
      [
        'SECRET_KEY: required in production',
        'ARGON2_MEMORY_KIB',
        'PUBLIC_URL',
        'SMTP_URL',
        'SMS_PROVIDER',
        'ID_ENCRYPTION_KEYS, ID_INDEX_KEY: required in production',
        'LIVENESS_PROVIDER: the simulator passes anyone',
      ].every((s) => e.message.includes(s)),
  );
  const c = loadConfig(productionEnv);
  assert.equal(c.idKeys?.activeKeyId, '2026');
  assert.equal(c.cookieSecure, true);
  assert.equal(c.publicUrl, 'https://account.example.edu.cn');
});

test('SMS_PROVIDER=aliyun lists each missing credential', () => {
  assert.throws(
    () => loadConfig({ SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'x' }),
    (e: ConfigError) => /ALIYUN_ACCESS_KEY_SECRET: required when SMS_PROVIDER=aliyun/.test(e.message) && !/ALIYUN_ACCESS_KEY_ID:/.test(e.message),
  );
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '' }).port, 8080);
});

test('Aliyun SMS needs an approved template for every kind of message, each named once', () => {
  const { ALIYUN_SMS_TEMPLATES: _all, ...withoutList } = productionEnv;
  assert.match(
    refusal(withoutList),
    /ALIYUN_SMS_TEMPLATES: a template code is needed for username, reset_link, data_export, notice, support_reply, support_follow/,
  );
  assert.match(
    refusal({ ...productionEnv, ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5' }),
    /needed for support_follow/,
  );
  assert.match(refusal({ ...productionEnv, ALIYUN_SMS_TEMPLATES: `${productionEnv.ALIYUN_SMS_TEMPLATES},greeting:SMS_9` }), /"greeting" is no template/);
  assert.match(refusal({ ...productionEnv, ALIYUN_SMS_TEMPLATES: 'username=SMS_2' }), /"username=SMS_2" is not name:TEMPLATE_CODE/);
  const sms = loadConfig(productionEnv).sms;
  assert.ok(sms.provider === 'aliyun');
  assert.deepEqual(sms.templateCodes, {
    code: 'SMS_1',
    username: 'SMS_2',
    reset_link: 'SMS_3',
    data_export: 'SMS_7',
    notice: 'SMS_4',
    support_reply: 'SMS_5',
    support_follow: 'SMS_6',
  });
});

test('retention: 30 days for unactivated sign-ups, 90 for evidence, 36 and 3 months, 180 for settled requests; audit never under 6', () => {
  assert.deepEqual(loadConfig({}).retention, {
    unactivatedMs: 30 * 86_400_000,
    evidenceMs: 90 * 86_400_000,
    auditMonths: 36,
    outboxMonths: 3,
    supportRequestMs: 180 * 86_400_000,
    enterpriseRequestMs: 180 * 86_400_000,
  });
  const set = loadConfig({
    UNACTIVATED_RETENTION_DAYS: '7',
    EVIDENCE_RETENTION_DAYS: '180',
    AUDIT_RETENTION_MONTHS: '6',
    OUTBOX_RETENTION_MONTHS: '1',
    SUPPORT_REQUEST_RETENTION_DAYS: '60',
    ENTERPRISE_REQUEST_RETENTION_DAYS: '365',
  });
  assert.deepEqual(set.retention, {
    unactivatedMs: 7 * 86_400_000,
    evidenceMs: 180 * 86_400_000,
    auditMonths: 6,
    outboxMonths: 1,
    supportRequestMs: 60 * 86_400_000,
    enterpriseRequestMs: 365 * 86_400_000,
  });
  assert.throws(
    () => loadConfig({ SUPPORT_REQUEST_RETENTION_DAYS: '30' }),
    (e: unknown) =>
      e instanceof ConfigError && /SUPPORT_REQUEST_RETENTION_DAYS: at least 31 days \(longer than the 30-day link an answer sends\)/.test(e.message),
  );
  assert.doesNotThrow(() => loadConfig({ SUPPORT_REQUEST_RETENTION_DAYS: '31' }));
  assert.throws(
    () => loadConfig({ ENTERPRISE_REQUEST_RETENTION_DAYS: '30' }),
    (e: unknown) => e instanceof ConfigError && /ENTERPRISE_REQUEST_RETENTION_DAYS: at least 31 days \(support may be asked about a refusal/.test(e.message),
  );
  assert.doesNotThrow(() => loadConfig({ ENTERPRISE_REQUEST_RETENTION_DAYS: '31' }));
  assert.throws(
    () => loadConfig({ AUDIT_RETENTION_MONTHS: '3' }),
    (e: ConfigError) => /AUDIT_RETENTION_MONTHS: at least 6 \(security logs are kept six months or more\)/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ EVIDENCE_RETENTION_DAYS: '0' }),
    (e: ConfigError) => /EVIDENCE_RETENTION_DAYS/.test(e.message),
  );
});

test('注销帐号: a 15-day cooling-off and 180 days before erasure by default; each configurable, a wrong value named', () => {
  assert.deepEqual(loadConfig({}).leaving, { coolingOffMs: 15 * 86_400_000, retentionMs: 180 * 86_400_000 });
  assert.deepEqual(loadConfig({ SELF_DEREGISTRATION_COOLING_OFF_DAYS: '7', DEREGISTERED_RETENTION_DAYS: '365' }).leaving, {
    coolingOffMs: 7 * 86_400_000,
    retentionMs: 365 * 86_400_000,
  });
  assert.throws(
    () => loadConfig({ SELF_DEREGISTRATION_COOLING_OFF_DAYS: '0' }),
    (e: unknown) => e instanceof ConfigError && /SELF_DEREGISTRATION_COOLING_OFF_DAYS/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ DEREGISTERED_RETENTION_DAYS: 'half a year' }),
    (e: unknown) => e instanceof ConfigError && /DEREGISTERED_RETENTION_DAYS/.test(e.message),
  );
});

test('DATABASE_POOLER: "none" by default; "transaction" needs a direct DATABASE_MIGRATION_URL; both only with DATABASE_URL', () => {
  const url = 'postgres://tongxing@pgbouncer:6432/tongxing';
  const direct = 'postgres://tongxing@postgres:5432/tongxing';
  const plain = loadConfig({ DATABASE_URL: url });
  assert.equal(plain.databasePooler, 'none');
  assert.equal(plain.databaseMigrationUrl, url, 'migrations run where everything else does');
  assert.equal(loadConfig({}).databaseMigrationUrl, undefined);
  const pooled = loadConfig({ DATABASE_URL: url, DATABASE_POOLER: 'transaction', DATABASE_MIGRATION_URL: direct });
  assert.equal(pooled.databasePooler, 'transaction');
  assert.equal(pooled.databaseMigrationUrl, direct);
  assert.throws(
    () => loadConfig({ DATABASE_URL: url, DATABASE_POOLER: 'session' }),
    (e: ConfigError) => /DATABASE_POOLER: "none" \(DATABASE_URL reaches PostgreSQL itself\) or "transaction"/.test(e.message),
  );
  for (const migration of [undefined, url])
    assert.throws(
      () => loadConfig({ DATABASE_URL: url, DATABASE_POOLER: 'transaction', ...(migration ? { DATABASE_MIGRATION_URL: migration } : {}) }),
      (e: ConfigError) => /DATABASE_MIGRATION_URL: required when DATABASE_POOLER=transaction: a direct connection to PostgreSQL/.test(e.message),
    );
  assert.throws(
    () => loadConfig({ DATABASE_POOLER: 'transaction', DATABASE_MIGRATION_URL: direct }),
    (e: ConfigError) => /DATABASE_POOLER: only with DATABASE_URL[\s\S]*DATABASE_MIGRATION_URL: only with DATABASE_URL/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ DATABASE_URL: url, DATABASE_MIGRATION_URL: 'mysql://x' }),
    (e: ConfigError) => /DATABASE_MIGRATION_URL: a postgres:\/\/ or postgresql:\/\/ connection URL/.test(e.message),
  );
});

test('retention periods a dispute needs outlive the 30-day dispute window: under 31 days is refused, named', () => {
  for (const name of ['DEREGISTERED_RETENTION_DAYS', 'EVIDENCE_RETENTION_DAYS']) {
    assert.throws(
      () => loadConfig({ [name]: '30' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        new RegExp(`${name}: at least 31 days \\(longer than the 30-day window in which a deregistration may be disputed\\)`).test(e.message),
    );
    assert.doesNotThrow(() => loadConfig({ [name]: '31' }));
  }
});

test('RATE_LIMITS sizes named limits for a season; a malformed entry is refused, named', () => {
  assert.deepEqual(loadConfig({}).rateLimits, {});
  assert.deepEqual(loadConfig({ RATE_LIMITS: 'codesGlobal=30000/60, registrationsPerIp=300/3600/600' }).rateLimits, {
    codesGlobal: { points: 30000, durationSeconds: 60 },
    registrationsPerIp: { points: 300, durationSeconds: 3600, blockSeconds: 600 },
  });
  for (const bad of ['codesGlobal=lots/60', 'codesGlobal=0/60', 'codesGlobal:100/60'])
    assert.match(refusal({ RATE_LIMITS: bad }), /RATE_LIMITS: ".*" is not name=points\/seconds\[\/blockSeconds\]/);
});
