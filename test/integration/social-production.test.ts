// WeChat sign-in's configuration: the simulator outside production by default, refused in
// production (a configuration error at start), nothing offered in production without WeChat's
// credentials, and WeChat itself (open.weixin.qq.com) when they are set — with the __Host- flow
// cookie under HTTPS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getTestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const productionEnv: Record<string, string> = {
  NODE_ENV: 'production',
  SECRET_KEY: randomBytes(32).toString('base64'),
  PUBLIC_URL: 'https://account.example.edu.cn',
  SMTP_URL: 'smtp://127.0.0.1:1',
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'id',
  ALIYUN_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '通行',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
  ALIYUN_SMS_TEMPLATES: 'username:SMS_2,reset_link:SMS_3,data_export:SMS_7,notice:SMS_4,support_reply:SMS_5,support_follow:SMS_6',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_ITERATIONS: '2',
  ID_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  LIVENESS_PROVIDER: 'http',
  LIVENESS_URL: 'https://liveness.example.com/v1',
  LIVENESS_SECRET: 'l'.repeat(40),
  LIVENESS_OPERATOR: '某某人脸核验服务有限公司',
  ID_INDEX_KEY: randomBytes(32).toString('base64'),
  CAPTCHA_POW_COST: '1000',
  CAPTCHA_POW_COUNTER: '1000',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

test('outside production the simulator is the default; WECHAT_APP_ID switches to WeChat, which needs its secret', () => {
  assert.deepEqual(loadConfig({}).wechat, { kind: 'simulator' });
  assert.deepEqual(loadConfig({ WECHAT_PROVIDER: 'off' }).wechat, { kind: 'off' });
  assert.deepEqual(loadConfig({ WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 's3cret' }).wechat, {
    kind: 'wechat',
    appId: 'wx1234567890abcdef',
    appSecret: 's3cret',
    connectUrl: 'https://open.weixin.qq.com',
    apiUrl: 'https://api.weixin.qq.com',
  });
  assert.match(refusal({ WECHAT_APP_ID: 'wx1234567890abcdef' }), /WECHAT_APP_ID, WECHAT_APP_SECRET: required for WeChat sign-in/);
});

test('production refuses the simulator and plain-HTTP WeChat endpoints; without credentials it offers no WeChat', () => {
  assert.match(refusal({ ...productionEnv, WECHAT_PROVIDER: 'simulator' }), /WECHAT_PROVIDER: the simulator signs anyone in/);
  assert.match(
    refusal({ ...productionEnv, WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 's', WECHAT_API_URL: 'http://127.0.0.1:9' }),
    /WECHAT_CONNECT_URL, WECHAT_API_URL: must be https:\/\/ in production/,
  );
  assert.deepEqual(loadConfig(productionEnv).wechat, { kind: 'off' });
});

test('production without WeChat: no link, no routes, no simulator at /dev/wechat', async () => {
  const t = await getTestInstance({ env: productionEnv });
  try {
    const browser = new Agent(t.app);
    assert.doesNotMatch((await browser.get('/login')).text, /微信扫码登录/);
    assert.equal((await browser.get('/login/wechat')).status, 404);
    assert.equal((await browser.get('/dev/wechat/connect/qrconnect?appid=x')).status, 404);
    assert.equal((await browser.get('/dev/wechat/sns/oauth2/access_token')).status, 404);
  } finally {
    await t.close();
  }
});

test('production with WeChat: the scan goes to open.weixin.qq.com with a __Host- flow cookie', async () => {
  const t = await getTestInstance({ env: { ...productionEnv, WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'production secret' } });
  try {
    const browser = new Agent(t.app, { headers: { 'x-forwarded-proto': 'https' } });
    assert.match((await browser.get('/login')).text, /微信扫码登录/);
    const started = await browser.get('/login/wechat');
    assert.equal(started.status, 303);
    const url = new URL(started.location!);
    assert.equal(url.origin + url.pathname, 'https://open.weixin.qq.com/connect/qrconnect');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://account.example.edu.cn/login/wechat/callback');
    assert.equal(url.hash, '#wechat_redirect');
    const cookie = ([started.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('__Host-tx_social_flow='));
    assert.ok(cookie, 'the flow cookie');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, new RegExp(url.searchParams.get('state')!), 'the state is not the cookie’s secret');
  } finally {
    await t.close();
  }
});

test('with WeChat and Alipay off, 帐号管理’s page says no scan sign-in is offered, and the sign-in page offers none', async () => {
  const t = await getTestInstance({ env: { WECHAT_PROVIDER: 'off', ALIPAY_PROVIDER: 'off' } });
  try {
    const { agent } = await t.registerPhone({ password: 'social off password' });
    const page = await agent.get('/account/social');
    assert.equal(page.status, 200);
    assert.match(page.text, /本站没有开通该登录方式/);
    assert.doesNotMatch((await new Agent(t.app).get('/login')).text, /微信扫码登录|支付宝登录/);
    assert.equal((await agent.get('/dev/wechat/connect/qrconnect')).status, 404);
    assert.equal((await agent.get('/login/wechat')).status, 404);
  } finally {
    await t.close();
  }
});

test('outside production, unconfigured: /dev/wechat plays WeChat and the app’s client reaches it in-process', async () => {
  const t = await getTestInstance();
  try {
    const { agent, accountId } = await t.registerPhone({ password: 'social simulator password' });
    const started = await agent.submit('/account/social/wechat/bind', {}, { from: '/account/social' });
    const qrconnect = new URL(started.location!.replace(/#wechat_redirect$/, ''));
    assert.equal(qrconnect.origin + qrconnect.pathname, 'http://127.0.0.1:8080/dev/wechat/connect/qrconnect');
    const page = await agent.get(qrconnect.pathname + qrconnect.search);
    assert.equal(page.status, 200);
    assert.match(page.text, /微信登录（模拟器）/);
    const confirm = new URLSearchParams(qrconnect.searchParams);
    confirm.set('user', 'dev-newcomer');
    confirm.set('nickname', '新来的');
    confirm.set('action', 'allow');
    const scanned = await agent.get(`/dev/wechat/connect/confirm?${confirm}`);
    assert.equal(scanned.status, 302);
    const back = new URL(scanned.location!);
    assert.equal(back.origin + back.pathname, 'http://127.0.0.1:8080/login/wechat/callback');
    // This instance never listens: the code exchange and userinfo go through the app itself.
    const bound = await agent.get(back.pathname + back.search);
    assert.equal(bound.location, '/account/social?bound=wechat');
    const row = await t.db.selectFrom('social_bindings').select('display_name').where('account_id', '=', accountId).executeTakeFirstOrThrow();
    assert.equal(row.display_name, '新来的');
    // The simulator sends nobody elsewhere: redirect_uri must be this service's.
    const elsewhere = new URLSearchParams(confirm);
    elsewhere.set('redirect_uri', 'https://evil.example/steal');
    assert.equal((await agent.get(`/dev/wechat/connect/confirm?${elsewhere}`)).status, 400);
  } finally {
    await t.close();
  }
});
