// Alibaba Cloud (Aliyun) Dysmsapi SendSms over plain fetch. We sign by hand instead of pulling in
// the SDK: the RPC signature is a few lines of HMAC, and the SDK brings a large dependency tree.
import { templateOf, type SmsTemplate } from './templates.ts';
import { createHmac, randomUUID } from 'node:crypto';
import { SmsSendError, type SmsMessage, type SmsSender } from './sender.ts';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** The approved template code of each kind of SMS (config/sms-templates.ts). */
  templateCodes: Record<SmsTemplate, string>;
  endpoint?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
}

/**
 * POP percent-encoding: RFC 3986, only A-Z a-z 0-9 - _ . ~ stay literal. encodeURIComponent also
 * leaves ! ' ( ) * alone, which the gateway encodes, so a sign name like "Foo(Bar)" would fail
 * signature checks without the second replace.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/\+/g, '%20')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/g, '~');
}

function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature') // a signature never signs itself
    .sort() // byte order of ASCII keys; the gateway sorts the same way
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

/**
 * Aliyun RPC signature v1.0 (HMAC-SHA1). `method` defaults to POST, which is how we send; it is a
 * parameter only so the published GET example from Aliyun's docs can be used as a test vector.
 */
export function signAliyunRpc(params: Record<string, string>, secret: string, method = 'POST'): string {
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

// Quota/rate codes: the same message can go through later, so the worker should back off and retry.
const THROTTLED = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isv.DAY_LIMIT_CONTROL']);

function isRetryableCode(code: string): boolean {
  if (code.startsWith('Throttling') || THROTTLED.has(code)) return true;
  // Other isv.* are verdicts on this message (number, template, signature, params): final.
  // Anything else (isp.SYSTEM_ERROR, auth/config errors) may clear up, so let the worker retry.
  return !code.startsWith('isv.');
}

interface AliyunResponse {
  Code?: unknown;
  RequestId?: unknown;
}

export class AliyunSmsSender implements SmsSender {
  readonly name = 'aliyun';
  readonly #opts: AliyunSmsOptions;
  readonly #url: string;
  readonly #fetch: typeof fetch;

  constructor(opts: AliyunSmsOptions) {
    this.#opts = opts;
    this.#url = `${(opts.endpoint ?? 'https://dysmsapi.aliyuncs.com').replace(/\/+$/, '')}/`;
    this.#fetch = opts.fetch ?? globalThis.fetch;
  }

  async send(message: SmsMessage, deadline?: AbortSignal): Promise<void> {
    const o = this.#opts;
    const { template, variables } = templateOf(message.templateParams);
    const params: Record<string, string> = {
      AccessKeyId: o.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: message.to,
      SignName: o.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: o.nonce ? o.nonce() : randomUUID(), // the gateway rejects replays of a nonce
      SignatureVersion: '1.0',
      TemplateCode: o.templateCodes[template],
      TemplateParam: JSON.stringify(variables),
      // The gateway wants second precision and rejects timestamps too far from its clock.
      Timestamp: (o.now ? o.now() : new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = signAliyunRpc(params, o.accessKeySecret);
    const body = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');

    // Messages below carry only status, Code and RequestId: the number and the template params
    // (often a verification code) must not end up in logs or the outbox's error column.
    let res: Response;
    let json: AliyunResponse | undefined;
    try {
      const doFetch = this.#fetch;
      res = await doFetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        // One deadline for connect, headers and body, so a stalled gateway cannot pin a worker; the
        // outbox's own deadline, when sooner, aborts it too (with a TimeoutError as well).
        signal: deadline ? AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 10_000), deadline]) : AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      try {
        json = JSON.parse(text) as AliyunResponse;
      } catch {
        json = undefined; // proxies and load balancers answer with HTML; judged by status below
      }
    } catch (err) {
      // Unanswered in time: the gateway may have taken the request and be sending the SMS, so
      // sending it again could deliver the code twice (the outbox promises once). It is given up;
      // the person asks for a new code after the resend interval. A connection that failed
      // (refused, reset, no route) sent nothing and is tried again.
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      const detail = err instanceof Error ? err.name : 'unknown';
      throw new SmsSendError(timedOut ? `aliyun SendSms timed out, outcome unknown (${detail})` : `aliyun SendSms network error (${detail})`, !timedOut);
    }

    const code = typeof json?.Code === 'string' ? json.Code : undefined;
    const requestId = typeof json?.RequestId === 'string' ? json.RequestId : 'none';
    if (res.ok && code === 'OK') return;

    const summary = `aliyun SendSms failed: HTTP ${res.status}, Code=${code ?? 'none'}, RequestId=${requestId}`;
    if (res.status >= 500 || code === undefined) throw new SmsSendError(summary, true);
    throw new SmsSendError(summary, isRetryableCode(code));
  }
}
