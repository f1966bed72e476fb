// Alipay sign-in settings: the simulator by default outside production and never in it, keys in
// every form the console hands out, and each mistake named at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { alipaySetup } from '../../src/social/alipay-setup.ts';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: { export(o: object): string | Buffer }, type: string) => String(k.export({ type, format: 'pem' }));
const bare = (k: { export(o: object): string | Buffer }, type: string) => (k.export({ type, format: 'der' }) as Buffer).toString('base64');

const random = () => randomBytes(32).toString('base64');
const production: Record<string, string> = {
  NODE_ENV: 'production',
  SECRET_KEY: random(),
  PUBLIC_URL: 'https://account.example.edu.cn',
  SMTP_URL: 'smtp://mail.example.edu.cn:25',
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'id',
  ALIYUN_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '通行',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
  ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5,support_follow:SMS_6',
  ID_ENCRYPTION_KEYS: `2026:${random()}`,
  LIVENESS_PROVIDER: 'http',
  LIVENESS_URL: 'https://liveness.example.com/v1',
  LIVENESS_SECRET: 'l'.repeat(40),
  LIVENESS_OPERATOR: '某某人脸核验服务有限公司',
  ID_INDEX_KEY: random(),
};

const real = { ALIPAY_APP_ID: '2021000122671080', ALIPAY_PRIVATE_KEY: pem(keys.privateKey, 'pkcs1'), ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey, 'spki') };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

test('with nothing set: the simulator outside production, off in production', () => {
  assert.deepEqual(loadConfig({}).alipay, { provider: 'simulator' });
  assert.deepEqual(loadConfig(production).alipay, { provider: 'off' });
  assert.deepEqual(loadConfig({ ALIPAY_PROVIDER: 'off' }).alipay, { provider: 'off' });
});

test('production refuses the simulator, http endpoints and missing keys, naming each variable', () => {
  assert.match(refusal({ ...production, ALIPAY_PROVIDER: 'simulator' }), /ALIPAY_PROVIDER: the simulator signs in anyone/);
  assert.match(refusal({ ...production, ...real, ALIPAY_GATEWAY: 'http://openapi.alipay.com/gateway.do' }), /ALIPAY_GATEWAY: must be https:\/\/ in production/);
  assert.match(
    refusal({ ...production, ...real, ALIPAY_AUTHORIZE_URL: 'http://127.0.0.1:8080/dev/alipay/oauth2/publicAppAuthorize.htm' }),
    /ALIPAY_AUTHORIZE_URL: must be https/,
  );
  const missing = refusal({ ...production, ALIPAY_APP_ID: '2021000122671080' });
  assert.match(missing, /ALIPAY_PRIVATE_KEY: required/);
  assert.match(missing, /ALIPAY_PUBLIC_KEY: required/);
  assert.match(refusal({ ALIPAY_PROVIDER: 'wechat' }), /ALIPAY_PROVIDER: "alipay", "simulator"/);
});

test('keys as PEM (PKCS#1, PKCS#8, with "\\n" written out) or the console’s bare base64 all give the same keys', () => {
  const forms = [
    { ALIPAY_PRIVATE_KEY: pem(keys.privateKey, 'pkcs1'), ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey, 'spki') },
    { ALIPAY_PRIVATE_KEY: pem(keys.privateKey, 'pkcs8').replace(/\n/g, '\\n'), ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey, 'pkcs1') },
    { ALIPAY_PRIVATE_KEY: bare(keys.privateKey, 'pkcs8'), ALIPAY_PUBLIC_KEY: bare(alipayKeys.publicKey, 'spki') },
    { ALIPAY_PRIVATE_KEY: bare(keys.privateKey, 'pkcs1'), ALIPAY_PUBLIC_KEY: bare(alipayKeys.publicKey, 'pkcs1') },
  ];
  for (const form of forms) {
    const c = loadConfig({ ...production, ...real, ...form }).alipay;
    assert.equal(c.provider, 'alipay');
    if (c.provider !== 'alipay') continue;
    assert.equal(c.appId, '2021000122671080');
    assert.equal(c.privateKeyPem, pem(keys.privateKey, 'pkcs8').trim());
    assert.equal(c.alipayPublicKeyPem, pem(alipayKeys.publicKey, 'spki').trim());
    assert.equal(c.gateway, 'https://openapi.alipay.com/gateway.do');
    assert.equal(c.authorizeUrl, 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm');
  }
});

test('a key that is not one, too short, the app’s own public key, or a private key where Alipay’s public key goes is refused', () => {
  assert.match(refusal({ ...real, ALIPAY_PRIVATE_KEY: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' }), /ALIPAY_PRIVATE_KEY: an RSA private key of at least 2048 bits/);
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  assert.match(refusal({ ...real, ALIPAY_PRIVATE_KEY: pem(weak.privateKey, 'pkcs8') }), /ALIPAY_PRIVATE_KEY: an RSA private key of at least 2048 bits/);
  const own = pem(createPublicKey(keys.privateKey), 'spki');
  assert.match(refusal({ ...real, ALIPAY_PUBLIC_KEY: own }), /ALIPAY_PUBLIC_KEY: is the application's own public key \(应用公钥\)/);
  assert.match(refusal({ ...real, ALIPAY_PUBLIC_KEY: pem(alipayKeys.privateKey, 'pkcs8') }), /ALIPAY_PUBLIC_KEY: an RSA public key/);
  assert.match(refusal({ ...real, ALIPAY_APP_ID: 'app-123' }), /ALIPAY_APP_ID: the APPID is digits only/);
});

test('the gateway and the authorisation page can point elsewhere (the sandbox)', () => {
  const c = loadConfig({
    ...real,
    ALIPAY_GATEWAY: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do',
    ALIPAY_AUTHORIZE_URL: 'https://openauth-sandbox.dl.alipaydev.com/oauth2/publicAppAuthorize.htm',
  }).alipay;
  assert.ok(c.provider === 'alipay');
  assert.equal(c.gateway, 'https://openapi-sandbox.dl.alipaydev.com/gateway.do');
  assert.equal(c.authorizeUrl, 'https://openauth-sandbox.dl.alipaydev.com/oauth2/publicAppAuthorize.htm');
});

test('what each setting gives the app: no simulator to mount in production, a provider only when configured', () => {
  const now = () => new Date();
  const off = alipaySetup(loadConfig(production).alipay, 'https://account.example.edu.cn', now);
  assert.equal(off.provider, undefined);
  assert.equal(off.simulator, undefined);
  const configured = alipaySetup(loadConfig({ ...production, ...real }).alipay, 'https://account.example.edu.cn', now);
  assert.equal(configured.simulator, undefined);
  const url = new URL(configured.provider!.authorizationUrl({ state: 's', redirectUri: 'https://account.example.edu.cn/cb' }));
  assert.equal(url.origin + url.pathname, 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm');
  const dev = alipaySetup(loadConfig({}).alipay, 'http://127.0.0.1:8080', now);
  assert.ok(dev.simulator, 'outside production the simulator is there to mount');
  assert.match(
    dev.provider!.authorizationUrl({ state: 's', redirectUri: 'http://127.0.0.1:8080/cb' }),
    /^http:\/\/127\.0\.0\.1:8080\/dev\/alipay\/oauth2\/publicAppAuthorize\.htm\?app_id=/,
  );
});
