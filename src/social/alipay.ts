// Alipay sign-in (开放平台 网页应用, 用户信息授权) behind the SocialProvider interface.
//
// 1. The browser goes to publicAppAuthorize.htm?app_id&scope=auth_user&redirect_uri&state; the
//    person approves in Alipay and comes back to redirect_uri with auth_code (not "code") and the
//    state. callback() reads that redirect; no auth_code means nothing was shared (denied).
// 2. identify(): alipay.system.oauth.token (grant_type=authorization_code, code) gives an
//    access_token and the person's user_id (older apps) or open_id (newer ones); then
//    alipay.user.info.share (auth_token) gives the nickname. The identity is user_id, else open_id.
//
// Requests are signed RSA2 by alipay-sdk (sdkExecute: the public parameters, sorted, signed with
// the application private key) and posted here with fetch, so the raw response text is kept:
// Alipay signs the exact JSON text of the inner object, and the SDK's checkResponseSign verifies
// it with Alipay's public key. A signed answer that does not verify is 'unavailable' whatever it
// says. An unsigned answer is believed only when it refuses (Alipay cannot sign for an app id it
// does not know), since a refusal can only stop a sign-in, never make one.
import { AlipaySdk } from 'alipay-sdk';
import { ALIPAY_AUTHORIZE_URL } from '../config/alipay.ts';
import { SocialProviderError, type SocialFailure, type SocialIdentity, type SocialProvider } from './provider.ts';

export interface AlipayClientOptions {
  appId: string;
  /** The application private key (应用私钥), PEM, PKCS#8. */
  privateKeyPem: string;
  /** Alipay's public key for this application (支付宝公钥), PEM. */
  alipayPublicKeyPem: string;
  gateway?: string | undefined;
  authorizeUrl?: string | undefined;
  /** How the gateway is reached; global fetch unless something stands in (the in-process simulator). */
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

export interface AlipayProvider extends SocialProvider {
  /**
   * The code in Alipay's redirect to redirect_uri (?app_id&source&scope&auth_code&state). Throws
   * SocialProviderError 'denied' when there is none: the person did not approve.
   */
  callback(query: Record<string, unknown>): { code: string; state: string | undefined };
}

const PROVIDER = 'alipay';
export const ALIPAY_SCOPE = 'auth_user';

/**
 * What a refusal means for the person, by Alipay's sub_code (opendocs 公共错误码 and the two APIs'
 * own): the code (wrong, used or expired alike: Alipay says isv.code-invalid for each), Tongxing's
 * credentials, or permission to the person's information.
 */
const FAILURES: Record<string, SocialFailure> = {
  'isv.code-invalid': 'invalid_code',
  'isv.missing-app-id': 'misconfigured',
  'isv.invalid-app-id': 'misconfigured',
  'isv.app-not-exist': 'misconfigured',
  'isv.unmatched-app-id': 'misconfigured',
  'isv.missing-signature': 'misconfigured',
  'isv.missing-signature-key': 'misconfigured',
  'isv.missing-signature-config': 'misconfigured',
  'isv.invalid-signature': 'misconfigured',
  'isv.invalid-signature-type': 'misconfigured',
  // The application lacks 获取会员信息, or the token does not cover auth_user.
  'isv.insufficient-isv-permissions': 'denied',
  'isv.insufficient-user-permissions': 'denied',
  'aop.invalid-auth-token': 'denied',
};

export function alipayFailure(code: string | undefined, subCode: string | undefined): SocialFailure {
  if (subCode && Object.hasOwn(FAILURES, subCode)) return FAILURES[subCode]!;
  if (code === '40006') return 'denied';
  // 20000 (isp/aop.unknow-error), a timed-out token just issued, anything new: try again later.
  return 'unavailable';
}

type Answer = Record<string, unknown>;

export function alipayProvider(options: AlipayClientOptions): AlipayProvider {
  const sdk = new AlipaySdk({
    appId: options.appId,
    privateKey: options.privateKeyPem,
    keyType: 'PKCS8',
    alipayPublicKey: options.alipayPublicKeyPem,
    signType: 'RSA2',
    camelcase: false,
    ...(options.gateway ? { gateway: options.gateway } : {}),
  });
  const gateway = options.gateway ?? sdk.config.gateway;
  const authorizeUrl = options.authorizeUrl ?? ALIPAY_AUTHORIZE_URL;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(method: string, params: Record<string, string>): Promise<Answer> {
    // Alipay reads the timestamp as China Standard Time; the SDK would write the server's local time.
    const body = sdk.sdkExecute(method, { ...params, timestamp: beijingTimestamp(now()) }, { bizContentAutoSnakeCase: false });
    let raw: string;
    try {
      const res = await (options.fetch ?? fetch)(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
      if (res.status !== 200) throw new SocialProviderError(PROVIDER, 'unavailable', `http-${res.status}`);
    } catch (error) {
      if (error instanceof SocialProviderError) throw error;
      throw new SocialProviderError(PROVIDER, 'unavailable', 'unreachable', `alipay: ${method} unreachable (${(error as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SocialProviderError(PROVIDER, 'unavailable', 'unreadable');
    }
    const own = `${method.replaceAll('.', '_')}_response`;
    const record = isRecord(parsed) ? parsed : {};
    const key = isRecord(record[own]) ? own : isRecord(record.error_response) ? 'error_response' : undefined;
    if (!key) throw new SocialProviderError(PROVIDER, 'unavailable', 'unreadable');
    const answer = record[key] as Answer;
    const refused = (answer.code !== undefined && answer.code !== '10000') || answer.sub_code !== undefined;
    if (typeof record.sign === 'string') {
      try {
        sdk.checkResponseSign(raw, key, record.sign, '');
      } catch {
        throw new SocialProviderError(PROVIDER, 'unavailable', 'bad-response-sign', `alipay: the answer to ${method} does not verify with ALIPAY_PUBLIC_KEY`);
      }
    } else if (!refused) {
      throw new SocialProviderError(PROVIDER, 'unavailable', 'unsigned-response', `alipay: the answer to ${method} is not signed`);
    }
    if (refused) {
      const code = text(answer.code);
      const subCode = text(answer.sub_code);
      // Not sub_msg: for isv.invalid-signature it repeats the signed string, code or token included.
      throw new SocialProviderError(PROVIDER, alipayFailure(code, subCode), subCode ?? code, `alipay: ${method} refused: ${subCode ?? code}`);
    }
    return answer;
  }

  return {
    name: PROVIDER,
    authorizationUrl: (input) => alipayAuthorizationUrl(authorizeUrl, options.appId, input),
    callback: readAlipayCallback,
    async identify({ code }) {
      // Alipay's codes are 32 hex digits and a suffix; anything else cannot be one, and need not travel.
      if (!/^[\w-]{1,128}$/.test(code)) throw new SocialProviderError(PROVIDER, 'invalid_code', 'malformed-code');
      const token = await call('alipay.system.oauth.token', { grant_type: 'authorization_code', code });
      const accessToken = text(token.access_token);
      const subject = text(token.user_id) ?? text(token.open_id);
      if (!accessToken || !subject) throw new SocialProviderError(PROVIDER, 'unavailable', 'unreadable');
      const info = await call('alipay.user.info.share', { auth_token: accessToken });
      // Both answers are signed by Alipay; they must still be about the same person.
      const infoSubject = text(info.user_id) ?? text(info.open_id);
      if (infoSubject !== undefined && infoSubject !== subject) throw new SocialProviderError(PROVIDER, 'unavailable', 'subject-mismatch');
      const identity: SocialIdentity = { provider: PROVIDER, subject };
      const nickName = text(info.nick_name);
      if (nickName) identity.displayName = [...nickName].slice(0, 64).join('');
      return identity;
    },
  };
}

/** publicAppAuthorize.htm?app_id&scope=auth_user&redirect_uri&state (any query the configured URL has is kept). */
export function alipayAuthorizationUrl(authorizeUrl: string, appId: string, input: { state: string; redirectUri: string }): string {
  const url = new URL(authorizeUrl);
  url.searchParams.set('app_id', appId);
  url.searchParams.set('scope', ALIPAY_SCOPE);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  return url.toString();
}

/** See AlipayProvider.callback. */
export function readAlipayCallback(query: Record<string, unknown>): { code: string; state: string | undefined } {
  const code = text(query.auth_code);
  if (!code) throw new SocialProviderError(PROVIDER, 'denied', 'no-auth-code', 'alipay: came back without an auth_code (not approved)');
  return { code, state: text(query.state) };
}

/** "yyyy-MM-dd HH:mm:ss" in UTC+8 (China has no daylight saving). */
export function beijingTimestamp(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}
