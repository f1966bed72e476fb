// Loopback stand-ins for the captcha services' verification APIs, speaking their HTTP shapes:
// Tencent Cloud DescribeCaptchaResult (TC3-HMAC-SHA256, JSON), Geetest v4 /validate (form,
// sign_token) and Aliyun VerifyIntelligentCaptcha (ACS3-HMAC-SHA256, form). Each checks the
// request's signature with its own implementation of the documented algorithm (so a mistake the
// verifier and the simulator shared would not pass the known-answer vectors of the unit test),
// issues tokens as the service's widget would, and treats them as the service does: single use,
// with an expiry.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface Simulator {
  url: string;
  /** A token as the service's widget hands it to the page (JSON, as public/captcha.js posts it). */
  issue(): string;
  /** Every request received, for assertions on what was sent. */
  requests: Array<{ headers: IncomingMessage['headers']; body: string; url: string }>;
  close(): Promise<void>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function serve(
  handle: (req: IncomingMessage, body: string) => { status: number; json: unknown },
): Promise<{ server: Server; url: string; requests: Simulator['requests'] }> {
  const requests: Simulator['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body, url: req.url ?? '' });
      const answer = handle(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const closer = (server: Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

/** Tickets live 5 minutes; 9 is "used", 8 "expired", 7 "randstr mismatch", 100 "appid/secret mismatch". */
export async function tencentSimulator(opts: {
  secretId: string;
  secretKey: string;
  appId: string;
  appSecretKey: string;
  now?: () => number;
}): Promise<Simulator> {
  const now = opts.now ?? Date.now;
  const tickets = new Map<string, { randstr: string; issuedAt: number; used: boolean }>();
  const error = (code: string, message: string) => ({ status: 200, json: { Response: { Error: { Code: code, Message: message }, RequestId: 'sim' } } });
  const s = await serve((req, body) => {
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (req.headers['x-tc-action'] !== 'DescribeCaptchaResult' || req.headers['x-tc-version'] !== '2019-07-22') return error('InvalidAction', 'unknown action');
    if (!Number.isFinite(timestamp) || Math.abs(now() / 1000 - timestamp) > 300) return error('AuthFailure.SignatureExpire', 'signature expired');
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const host = String(req.headers.host).split(':')[0];
    const canonical = `POST\n/\n\ncontent-type:${String(req.headers['content-type']).toLowerCase()}\nhost:${host}\n\ncontent-type;host\n${sha256(body)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/captcha/tc3_request\n${sha256(canonical)}`;
    const k = (key: Buffer | string, m: string) => createHmac('sha256', key).update(m).digest();
    const signature = createHmac('sha256', k(k(k(`TC3${opts.secretKey}`, date), 'captcha'), 'tc3_request'))
      .update(toSign)
      .digest('hex');
    const expected = `TC3-HMAC-SHA256 Credential=${opts.secretId}/${date}/captcha/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
    if (req.headers.authorization !== expected) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    const q = JSON.parse(body) as { CaptchaType: number; Ticket: string; UserIp: string; Randstr: string; CaptchaAppId: number; AppSecretKey: string };
    const code = (CaptchaCode: number, CaptchaMsg: string) => ({
      status: 200,
      json: { Response: { CaptchaCode, CaptchaMsg, EvilLevel: 0, GetCaptchaTime: 0, RequestId: 'sim' } },
    });
    if (String(q.CaptchaAppId) !== opts.appId || q.AppSecretKey !== opts.appSecretKey) return code(100, 'appid-secretkey-ticket mismatch');
    if (q.Ticket.startsWith('terror_')) return code(21, 'diff');
    const ticket = tickets.get(q.Ticket);
    if (!ticket) return code(15, 'decrypt fail');
    if (ticket.used) return code(9, 'ticket reused');
    ticket.used = true;
    if (now() - ticket.issuedAt > 5 * 60_000) return code(8, 'ticket expired');
    if (ticket.randstr !== q.Randstr) return code(7, 'captcha no match');
    return code(1, 'OK');
  });
  return {
    url: s.url,
    requests: s.requests,
    issue() {
      const ticket = `tr0${randomBytes(24).toString('base64url')}*`;
      const randstr = `@${randomBytes(3).toString('base64url')}`;
      tickets.set(ticket, { randstr, issuedAt: now(), used: false });
      return JSON.stringify({ ticket, randstr });
    },
    close: closer(s.server),
  };
}

/** Geetest v4: a lot number serves once (-50003 afterwards); sign_token must be HMAC(captcha_key, lot_number). */
export async function geetestSimulator(opts: { captchaId: string; captchaKey: string }): Promise<Simulator> {
  const lots = new Map<string, { output: string; passToken: string; used: boolean }>();
  const s = await serve((req, body) => {
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const form = new URLSearchParams(body);
    const id = query.get('captcha_id') ?? form.get('captcha_id');
    if (id !== opts.captchaId) return { status: 200, json: { status: 'error', code: '-50103', msg: 'captcha_id not found' } };
    if (!/^\d+$/.test(form.get('gen_time') ?? '')) return { status: 200, json: { status: 'error', code: '-50005', msg: 'illegal gen_time' } };
    const lotNumber = form.get('lot_number') ?? '';
    const sign = createHmac('sha256', opts.captchaKey).update(lotNumber).digest('hex');
    if (form.get('sign_token') !== sign) return { status: 200, json: { status: 'success', result: 'fail', reason: 'sign_token illegal', captcha_args: {} } };
    const lot = lots.get(lotNumber);
    if (!lot) return { status: 200, json: { status: 'error', code: '-50302', msg: 'lot_number illegal' } };
    if (lot.used) return { status: 200, json: { status: 'error', code: '-50003', msg: 'illegal verify' } };
    lot.used = true;
    if (lot.output !== form.get('captcha_output') || lot.passToken !== form.get('pass_token'))
      return { status: 200, json: { status: 'success', result: 'fail', reason: 'pass_token expire', captcha_args: {} } };
    return { status: 200, json: { status: 'success', result: 'success', reason: '', captcha_args: { used_type: 'slide', lot_number: lotNumber } } };
  });
  return {
    url: s.url,
    requests: s.requests,
    issue() {
      const lot_number = randomBytes(16).toString('hex');
      const captcha_output = randomBytes(40).toString('base64url');
      const pass_token = randomBytes(32).toString('hex');
      lots.set(lot_number, { output: captcha_output, passToken: pass_token, used: false });
      return JSON.stringify({ lot_number, captcha_output, pass_token, gen_time: String(Math.floor(Date.now() / 1000)) });
    },
    close: closer(s.server),
  };
}

/** Aliyun 2.0: a verify param serves once; ACS3-HMAC-SHA256 over host, content-type and x-acs-* headers. */
export async function aliyunSimulator(opts: { accessKeyId: string; accessKeySecret: string; sceneId: string }): Promise<Simulator> {
  const params = new Map<string, boolean>();
  const s = await serve((req, body) => {
    const fail = (Code: string, Message: string) => ({ status: 400, json: { RequestId: 'sim', HostId: 'captcha.sim', Code, Message } });
    const headers = req.headers as Record<string, string>;
    if (headers['x-acs-action'] !== 'VerifyIntelligentCaptcha' || headers['x-acs-version'] !== '2023-03-05')
      return fail('InvalidAction.NotFound', 'unknown action');
    const date = Date.parse(headers['x-acs-date'] ?? '');
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) return fail('InvalidTimeStamp.Expired', 'timestamp expired');
    if (headers['x-acs-content-sha256'] !== sha256(body)) return fail('IncompleteSignature', 'content hash');
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(headers.authorization ?? '');
    if (!auth || auth[1] !== opts.accessKeyId) return fail('InvalidAccessKeyId.NotFound', 'access key');
    const signed = auth[2]!.split(';');
    if (!signed.includes('host') || !signed.includes('x-acs-date') || !signed.includes('x-acs-signature-nonce')) return fail('IncompleteSignature', 'headers');
    const canonical = ['POST', '/', '', signed.map((h) => `${h}:${String(headers[h] ?? '').trim()}\n`).join(''), signed.join(';'), sha256(body)].join('\n');
    const expected = createHmac('sha256', opts.accessKeySecret)
      .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
      .digest('hex');
    if (expected !== auth[3]) return fail('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    const form = new URLSearchParams(body);
    const param = form.get('CaptchaVerifyParam') ?? '';
    const result = (ok: boolean, VerifyCode: string) => ({
      status: 200,
      json: { RequestId: 'sim', Success: true, Code: 'Success', Message: 'success', Result: { VerifyResult: ok, VerifyCode } },
    });
    if (!param) return result(false, 'F002');
    if (form.get('SceneId') !== opts.sceneId) return result(false, 'F012');
    const known = params.get(param);
    if (known === undefined) return result(false, 'F001');
    if (known) return result(false, 'F001');
    params.set(param, true);
    return result(true, 'T001');
  });
  return {
    url: s.url,
    requests: s.requests,
    issue() {
      const captchaVerifyParam = JSON.stringify({
        sceneId: opts.sceneId,
        certifyId: randomBytes(8).toString('hex'),
        deviceToken: randomBytes(24).toString('base64'),
        data: randomBytes(32).toString('base64'),
      });
      params.set(captchaVerifyParam, false);
      return JSON.stringify({ captchaVerifyParam });
    },
    close: closer(s.server),
  };
}
