// AliyunSmsSender against a real local HTTP server standing in for dysmsapi.aliyuncs.com. The
// server verifies signatures with its own implementation, so a bug shared by sender and test
// helper is caught by the known-answer vectors instead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { AliyunSmsSender, percentEncode, signAliyunRpc } from '../../src/notifications/sms/aliyun.ts';
import { SmsSendError } from '../../src/notifications/sms/sender.ts';
import { accountNotice, passwordChanged } from '../../src/notifications/templates/notices.ts';
import { codeMessage, CODE_PURPOSES } from '../../src/notifications/templates/codes.ts';
import { usernameReminder } from '../../src/notifications/templates/links.ts';
import { replyMessages } from '../../src/support/messages.ts';

const SECRET = 'testSecret';
const PHONE = '13800138000';
const CODE = '482913';

// Independent rendering of the documented algorithm (RFC 3986 unreserved set only).
function enc(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}
function expectedSignature(params: Record<string, string>, secret: string, method = 'POST'): string {
  const query = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k] ?? '')}`)
    .join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`${method}&%2F&${enc(query)}`)
    .digest('base64');
}

type Handler = (req: IncomingMessage, form: URLSearchParams, res: ServerResponse) => void;
let handler: Handler = (_req, _form, res) => res.end();
let server: Server;
let endpoint: string;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sender(timeoutMs = 2000, to = endpoint): AliyunSmsSender {
  return new AliyunSmsSender({
    accessKeyId: 'testId',
    accessKeySecret: SECRET,
    signName: '同行 Test(dev)',
    templateCodes: {
      code: 'SMS_123456789',
      username: 'SMS_2',
      reset_link: 'SMS_3',
      data_export: 'SMS_7',
      notice: 'SMS_4',
      support_reply: 'SMS_5',
      support_follow: 'SMS_6',
    },
    endpoint: to,
    timeoutMs,
    now: () => new Date('2024-05-01T08:09:10.123Z'),
    nonce: () => 'nonce-1',
  });
}
const message = { to: PHONE, templateParams: { code: CODE, note: 'a b*~!' }, text: `您的验证码是 ${CODE}` };

async function rejection(p: Promise<unknown>): Promise<SmsSendError> {
  const err = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SmsSendError, `expected SmsSendError, got ${String(err)}`);
  return err;
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, new URLSearchParams(Buffer.concat(chunks).toString('utf8')), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections(); // the "never answers" test leaves a request hanging on purpose
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('signAliyunRpc', () => {
  test('matches the published Aliyun SendSms example (GET)', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    assert.equal(signAliyunRpc(params, SECRET, 'GET'), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    assert.equal(expectedSignature(params, SECRET, 'GET'), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  test('known answer on a fixed POST parameter set', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: PHONE,
      SignName: '同行',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'fixed-nonce',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_1',
      TemplateParam: JSON.stringify({ code: CODE }),
      Timestamp: '2024-05-01T08:09:10Z',
      Version: '2017-05-25',
    };
    assert.equal(signAliyunRpc(params, SECRET), expectedSignature(params, SECRET));
    // Key order of the input must not matter, and a Signature field is never signed.
    const shuffled = Object.fromEntries(Object.entries(params).reverse());
    assert.equal(signAliyunRpc({ ...shuffled, Signature: 'x' }, SECRET), signAliyunRpc(params, SECRET));
  });

  test("percent-encodes space, *, ~ (and !'()) per the POP rules", () => {
    assert.equal(percentEncode('a b*c~d'), 'a%20b%2Ac~d');
    assert.equal(percentEncode("!'()"), '%21%27%28%29');
    assert.equal(percentEncode('同'), '%E5%90%8C');
    // Hand-written StringToSign: the value is encoded once in the query, then the query again.
    const sts = 'POST&%2F&k%3Da%2520b%252Ac~d%2528%2521';
    const expected = createHmac('sha1', `${SECRET}&`).update(sts).digest('base64');
    assert.equal(signAliyunRpc({ k: 'a b*c~d(!' }, SECRET), expected);
  });
});

describe('AliyunSmsSender', () => {
  test("each kind of SMS goes under its own approved template, with that template's variables only", async () => {
    const seen: Array<Record<string, string>> = [];
    handler = (_req, form, res) => {
      seen.push(Object.fromEntries(form));
      json(res, 200, { Code: 'OK', RequestId: 'req-ok', BizId: 'biz' });
    };
    const notice = accountNotice('sms', PHONE, passwordChanged(new Date('2026-01-01T00:00:00Z')));
    const reply = replyMessages({ phone: PHONE, email: null }, { reference: 'GD0000000001', text: '已处理', followLink: undefined, closed: false })[0]!;
    for (const m of [codeMessage('sms', PHONE, CODE, CODE_PURPOSES.signIn), usernameReminder('sms', PHONE, 'zhang_san', false), notice, reply]) {
      await sender().send({ to: m.recipient, text: m.body, templateParams: m.templateParams ?? {} });
    }
    assert.deepEqual(
      seen.map((p) => [p.TemplateCode, JSON.parse(p.TemplateParam!)]),
      [
        ['SMS_123456789', { code: CODE }],
        ['SMS_2', { username: 'zhang_san' }],
        ['SMS_4', { content: '您的通行帐号密码已于 2026年1月1日 08:00（北京时间）修改。如非本人操作，请立即找回密码并联系客服。' }],
        ['SMS_5', { reference: 'GD0000000001' }],
      ],
    );
    // A row queued before templates had names carries only its code: the code template.
    await sender().send({ to: PHONE, text: `code ${CODE}`, templateParams: { code: CODE } });
    assert.equal(seen.at(-1)!.TemplateCode, 'SMS_123456789');
  });

  test('POSTs a signed form with every required parameter and resolves on Code OK', async () => {
    let seen: URLSearchParams | undefined;
    handler = (req, form, res) => {
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/');
      assert.match(req.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
      seen = form;
      const params = Object.fromEntries(form);
      const ok = params.Signature === expectedSignature(params, SECRET);
      json(res, ok ? 200 : 400, ok ? { Code: 'OK', RequestId: 'req-ok', BizId: 'biz' } : { Code: 'SignatureDoesNotMatch', RequestId: 'req-bad' });
    };
    await sender().send(message);
    assert.ok(seen);
    assert.deepEqual(Object.fromEntries([...seen].filter(([k]) => k !== 'Signature')), {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: PHONE,
      SignName: '同行 Test(dev)',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'nonce-1',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_123456789',
      TemplateParam: JSON.stringify(message.templateParams),
      Timestamp: '2024-05-01T08:09:10Z',
      Version: '2017-05-25',
    });
  });

  test('isv.MOBILE_NUMBER_ILLEGAL is final and does not leak the number or code', async () => {
    handler = (_req, _form, res) => json(res, 200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: `非法手机号 ${PHONE}`, RequestId: 'req-42' });
    const err = await rejection(sender().send(message));
    assert.equal(err.retryable, false);
    assert.match(err.message, /isv\.MOBILE_NUMBER_ILLEGAL/);
    assert.match(err.message, /req-42/);
    assert.ok(!err.message.includes(PHONE), err.message);
    assert.ok(!err.message.includes(CODE), err.message);
  });

  test('HTTP 500 and throttling are retryable', async () => {
    handler = (_req, _form, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');
    assert.equal((await rejection(sender().send(message))).retryable, true);

    handler = (_req, _form, res) => json(res, 200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', RequestId: 'r' });
    assert.equal((await rejection(sender().send(message))).retryable, true);

    handler = (_req, _form, res) => json(res, 400, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', RequestId: 'r' });
    assert.equal((await rejection(sender().send(message))).retryable, false);
  });

  test('a gateway that took the request and never answers: given up within timeoutMs, not sent again', async () => {
    handler = () => {
      /* hold the request open */
    };
    const started = Date.now();
    const err = await rejection(sender(150).send(message));
    assert.equal(err.retryable, false, 'it may be sending the SMS: a second try could deliver the code twice');
    assert.match(err.message, /timed out, outcome unknown/);
    assert.ok(Date.now() - started < 2000, 'timeout should fire promptly');
  });

  test('a gateway that refuses the connection sent nothing: tried again', async () => {
    const err = await rejection(sender(2000, 'http://127.0.0.1:9/').send(message));
    assert.equal(err.retryable, true);
    assert.match(err.message, /network error/);
  });
});
