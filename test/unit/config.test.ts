import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  const c = loadConfig({
    NODE_ENV: 'production',
    SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_URL: 'https://account.example.edu.cn/',
    SMTP_URL: 'smtp://mail.example.edu.cn:25',
    SMS_PROVIDER: 'aliyun',
    ALIYUN_ACCESS_KEY_ID: 'id',
    ALIYUN_ACCESS_KEY_SECRET: 'secret',
    ALIYUN_SMS_SIGN_NAME: '通行',
    ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
    ID_ENCRYPTION_KEYS: `2026:${Buffer.alloc(32, 1).toString('base64')}`,
    LIVENESS_PROVIDER: 'http',
    LIVENESS_URL: 'https://liveness.example.com/v1',
    LIVENESS_SECRET: 'l'.repeat(40),
    ID_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
  });
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
