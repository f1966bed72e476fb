// The captcha services' verifiers: their signing against the vendors' published examples, then
// each against a loopback simulator of its API — a fresh token passes once, a replayed, forged or
// mismatched one fails, and an unreachable service fails closed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { signTc3, tencentCaptcha } from '../../src/captcha/vendors/tencent.ts';
import { geetestCaptcha, geetestSignToken } from '../../src/captcha/vendors/geetest.ts';
import { aliyunCaptcha, signAcs3 } from '../../src/captcha/vendors/aliyun.ts';
import { aliyunSimulator, geetestSimulator, tencentSimulator, type Simulator } from '../helpers/captcha-services.ts';

const open: Simulator[] = [];
after(() => Promise.all(open.map((s) => s.close())));

test('signing matches the vendors’ published examples', () => {
  const tc3 = signTc3({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    service: 'cvm',
    host: 'cvm.tencentcloudapi.com',
    timestamp: 1551113065,
    contentType: 'application/json; charset=utf-8',
    body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  });
  assert.equal(
    tc3,
    'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
  );
  const acs3 = signAcs3({
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret',
    method: 'POST',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-acs-date': '2023-10-26T09:01:01Z',
      'x-acs-signature-nonce': 'd410180a5abf7fe235dd9b74aca91fc0',
      'x-acs-version': '2014-05-26',
    },
    body: '',
  });
  assert.match(acs3, /Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804$/);
  assert.equal(
    geetestSignToken('b09a7aafbfd83f73b35a9b530d0337bf', '4dc3cfc2cdff448cad8d13107198d473'),
    'c99f3aa68104bdcd085f372dc6556a17a5a830a1a3d25125fb0010466977f3d8',
  );
});

test('Tencent Cloud: a ticket passes once; a forged, replayed or fabricated one fails; a wrong key is refused', async () => {
  const keys = { secretId: 'AKIDsimulated', secretKey: 'simulated-secret-key', appId: '199999164', appSecretKey: 'app-secret-key' };
  const sim = await tencentSimulator(keys);
  open.push(sim);
  const verifier = tencentCaptcha({
    secretId: keys.secretId,
    secretKey: keys.secretKey,
    captchaAppId: keys.appId,
    appSecretKey: keys.appSecretKey,
    endpoint: sim.url,
  });
  const token = sim.issue();
  assert.equal(await verifier.verify(token, '203.0.113.7'), true);
  assert.equal(await verifier.verify(token, '203.0.113.7'), false, 'single use');
  const sent = JSON.parse(sim.requests[0]!.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(sent).sort(), ['AppSecretKey', 'CaptchaAppId', 'CaptchaType', 'Randstr', 'Ticket', 'UserIp']);
  assert.equal(sent.UserIp, '203.0.113.7');
  assert.equal(sent.CaptchaAppId, 199999164, 'an integer, as the API types it');
  assert.equal(await verifier.verify(JSON.stringify({ ticket: 'tr0forged*', randstr: '@x' }), '203.0.113.7'), false);
  assert.equal(
    await verifier.verify(JSON.stringify({ ticket: 'terror_1001_199999164_1700000000', randstr: '@x' }), '203.0.113.7'),
    false,
    'a fabricated disaster ticket',
  );
  const wrongRandstr = JSON.parse(sim.issue()) as { ticket: string };
  assert.equal(await verifier.verify(JSON.stringify({ ticket: wrongRandstr.ticket, randstr: '@nope' }), '203.0.113.7'), false);
  const badKey = tencentCaptcha({ secretId: keys.secretId, secretKey: 'wrong', captchaAppId: keys.appId, appSecretKey: keys.appSecretKey, endpoint: sim.url });
  assert.equal(await badKey.verify(sim.issue(), '203.0.113.7'), false, 'a bad signature is an error answer');
  for (const junk of ['', 'not json', '{}', '{"ticket":1,"randstr":"x"}']) assert.equal(await verifier.verify(junk, '203.0.113.7'), false, junk);
});

test('Geetest v4: a lot passes once, the sign token is the key’s HMAC, and junk never reaches the service', async () => {
  const sim = await geetestSimulator({ captchaId: '647f5ed2ed8acb4be36784e01556bb71', captchaKey: 'b09a7aafbfd83f73b35a9b530d0337bf' });
  open.push(sim);
  const verifier = geetestCaptcha({ captchaId: '647f5ed2ed8acb4be36784e01556bb71', captchaKey: 'b09a7aafbfd83f73b35a9b530d0337bf', endpoint: sim.url });
  const token = sim.issue();
  assert.equal(await verifier.verify(token, '203.0.113.7'), true);
  assert.equal(await verifier.verify(token, '203.0.113.7'), false, 'replay: -50003');
  assert.match(sim.requests[0]!.url, /^\/validate\?captcha_id=647f5ed2ed8acb4be36784e01556bb71$/);
  const wrongKey = geetestCaptcha({ captchaId: '647f5ed2ed8acb4be36784e01556bb71', captchaKey: 'another-key', endpoint: sim.url });
  assert.equal(await wrongKey.verify(sim.issue(), '203.0.113.7'), false);
  const before = sim.requests.length;
  assert.equal(await verifier.verify(JSON.stringify({ lot_number: 'zz', captcha_output: 'x', pass_token: 'y', gen_time: '1' }), '203.0.113.7'), false);
  assert.equal(sim.requests.length, before, 'a malformed lot number is refused without asking');
});

test('Aliyun 2.0: a verify param passes once with the right scene, signed with ACS3', async () => {
  const keys = { accessKeyId: 'LTAIsimulated', accessKeySecret: 'simulated-secret', sceneId: '1ww2dmkx' };
  const sim = await aliyunSimulator(keys);
  open.push(sim);
  const verifier = aliyunCaptcha({ ...keys, prefix: 'no8sgz', endpoint: sim.url });
  const token = sim.issue();
  assert.equal(await verifier.verify(token, '203.0.113.7'), true);
  assert.equal(await verifier.verify(token, '203.0.113.7'), false, 'single use');
  const otherScene = aliyunCaptcha({ ...keys, sceneId: 'another', prefix: 'no8sgz', endpoint: sim.url });
  assert.equal(await otherScene.verify(sim.issue(), '203.0.113.7'), false, 'F012');
  const wrongSecret = aliyunCaptcha({ ...keys, accessKeySecret: 'wrong', prefix: 'no8sgz', endpoint: sim.url });
  assert.equal(await wrongSecret.verify(sim.issue(), '203.0.113.7'), false, 'SignatureDoesNotMatch');
});

test('a service that cannot be reached fails closed', async () => {
  const dead = 'http://127.0.0.1:9';
  assert.equal(
    await tencentCaptcha({ secretId: 'a', secretKey: 'b', captchaAppId: '1', appSecretKey: 'c', endpoint: dead }).verify('{"ticket":"t","randstr":"r"}', '::1'),
    false,
  );
  assert.equal(
    await geetestCaptcha({ captchaId: 'a', captchaKey: 'b', endpoint: dead }).verify(
      JSON.stringify({ lot_number: 'a'.repeat(32), captcha_output: 'x', pass_token: 'y', gen_time: '1' }),
      '::1',
    ),
    false,
  );
  assert.equal(
    await aliyunCaptcha({ accessKeyId: 'a', accessKeySecret: 'b', sceneId: 'c', prefix: 'd', endpoint: dead }).verify('{"captchaVerifyParam":"p"}', '::1'),
    false,
  );
});
