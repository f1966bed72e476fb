// Tencent Cloud 验证码: DescribeCaptchaResult (API 3.0, version 2019-07-22), signed with
// TC3-HMAC-SHA256. The page's widget yields a ticket and a random string; the server sends them
// with the user's IP and the app's secret key, and only CaptchaCode 1 passes. Tickets the widget
// fabricates when Tencent's script fails to load (prefix terror_) answer 21 and are refused too.
import { createHash, createHmac } from 'node:crypto';
import { postJson, tokenFields, type VendorVerifier } from './vendor.ts';

export interface TencentCaptchaSettings {
  secretId: string;
  secretKey: string;
  captchaAppId: string;
  appSecretKey: string;
  /** https://captcha.tencentcloudapi.com unless a simulator stands in. */
  endpoint?: string;
  now?: () => Date;
}

const SERVICE = 'captcha';
const ACTION = 'DescribeCaptchaResult';
const VERSION = '2019-07-22';
const CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/** The Authorization header of TC3-HMAC-SHA256 for a JSON POST to `/`. */
export function signTc3(input: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  timestamp: number;
  body: string;
  contentType: string;
}): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${input.contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`,
    'content-type;host',
    sha256(input.body),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256(canonical)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(toSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

export function tencentCaptcha(settings: TencentCaptchaSettings): VendorVerifier {
  const endpoint = new URL(settings.endpoint ?? 'https://captcha.tencentcloudapi.com/');
  const now = settings.now ?? (() => new Date());
  return {
    widget: {
      kind: 'tencent',
      scriptUrl: 'https://turing.captcha.qcloud.com/TJCaptcha.js',
      params: { appId: settings.captchaAppId },
      origins: {
        script: ['https://turing.captcha.qcloud.com', 'https://turing.captcha.gtimg.com'],
        frame: ['https://turing.captcha.qcloud.com'],
        connect: ['https://turing.captcha.qcloud.com'],
        img: ['https://turing.captcha.qcloud.com', 'https://turing.captcha.gtimg.com'],
        style: ['https://turing.captcha.gtimg.com'],
      },
    },
    async verify(token, ip) {
      const fields = tokenFields(token, ['ticket', 'randstr'] as const);
      if (!fields) return false;
      const appId = Number(settings.captchaAppId);
      const body = JSON.stringify({
        CaptchaType: 9,
        Ticket: fields.ticket,
        UserIp: ip,
        Randstr: fields.randstr,
        CaptchaAppId: appId,
        AppSecretKey: settings.appSecretKey,
      });
      const timestamp = Math.floor(now().getTime() / 1000);
      const authorization = signTc3({
        secretId: settings.secretId,
        secretKey: settings.secretKey,
        service: SERVICE,
        host: endpoint.hostname,
        timestamp,
        body,
        contentType: CONTENT_TYPE,
      });
      const answer = (await postJson(endpoint.toString(), {
        headers: { authorization, 'content-type': CONTENT_TYPE, 'x-tc-action': ACTION, 'x-tc-version': VERSION, 'x-tc-timestamp': String(timestamp) },
        body,
      })) as { Response?: { CaptchaCode?: unknown; Error?: unknown } } | undefined;
      return answer?.Response?.Error === undefined && answer?.Response?.CaptchaCode === 1;
    },
  };
}
