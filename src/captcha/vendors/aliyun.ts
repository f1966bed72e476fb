// Aliyun 验证码 2.0: VerifyIntelligentCaptcha (version 2023-03-05), signed with ACS3-HMAC-SHA256.
// The page's widget yields captchaVerifyParam, forwarded unchanged with the scene id; only
// Result.VerifyResult true passes.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { postJson, tokenFields, type VendorVerifier } from './vendor.ts';

export interface AliyunCaptchaSettings {
  accessKeyId: string;
  accessKeySecret: string;
  sceneId: string;
  /** The prefix the Aliyun console shows for the widget (身份标). */
  prefix: string;
  /** https://captcha.cn-shanghai.aliyuncs.com unless a simulator stands in. */
  endpoint?: string;
  now?: () => Date;
}

const ACTION = 'VerifyIntelligentCaptcha';
const VERSION = '2023-03-05';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 percent-encoding as Aliyun signs it. */
export const acsEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The Authorization header of ACS3-HMAC-SHA256. `headers` are lower-case; host, content-type and x-acs-* are signed. */
export function signAcs3(input: {
  accessKeyId: string;
  accessKeySecret: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}): string {
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${acsEncode(k)}=${acsEncode(input.query[k]!)}`)
    .join('&');
  const signed = Object.keys(input.headers)
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .sort();
  const canonicalHeaders = signed.map((h) => `${h}:${input.headers[h]!.trim()}\n`).join('');
  const canonical = [input.method, input.path, query, canonicalHeaders, signed.join(';'), sha256(input.body)].join('\n');
  const signature = createHmac('sha256', input.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex');
  return `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
}

export function aliyunCaptcha(settings: AliyunCaptchaSettings): VendorVerifier {
  const endpoint = new URL(settings.endpoint ?? 'https://captcha.cn-shanghai.aliyuncs.com/');
  const now = settings.now ?? (() => new Date());
  return {
    widget: {
      kind: 'aliyun',
      scriptUrl: 'https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js',
      params: { sceneId: settings.sceneId, prefix: settings.prefix },
      origins: {
        script: ['https://o.alicdn.com', 'https://g.alicdn.com'],
        frame: [],
        connect: ['https://*.captcha-open.aliyuncs.com', 'https://*.aliyuncs.com'],
        img: ['https://o.alicdn.com', 'https://img.alicdn.com'],
        style: ['https://o.alicdn.com'],
      },
    },
    async verify(token) {
      const fields = tokenFields(token, ['captchaVerifyParam'] as const);
      if (!fields) return false;
      const body = new URLSearchParams({ CaptchaVerifyParam: fields.captchaVerifyParam, SceneId: settings.sceneId }).toString();
      const headers: Record<string, string> = {
        host: endpoint.host,
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': ACTION,
        'x-acs-version': VERSION,
        'x-acs-date': now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        'x-acs-signature-nonce': randomUUID(),
        'x-acs-content-sha256': sha256(body),
      };
      const authorization = signAcs3({
        accessKeyId: settings.accessKeyId,
        accessKeySecret: settings.accessKeySecret,
        method: 'POST',
        path: '/',
        query: {},
        headers,
        body,
      });
      const { host: _host, ...sent } = headers;
      const answer = (await postJson(endpoint.toString(), { headers: { ...sent, authorization }, body })) as
        { Result?: { VerifyResult?: unknown } } | undefined;
      return answer?.Result?.VerifyResult === true;
    },
  };
}
