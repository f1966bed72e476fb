// The WeChat Open Platform client for a website application (微信开放平台, 网站应用):
//
//   1. the browser goes to {connect}/connect/qrconnect?appid&redirect_uri&response_type=code
//      &scope=snsapi_login&state#wechat_redirect and the person scans the QR code;
//   2. WeChat sends the browser back to redirect_uri?code&state (only ?state when they refuse);
//   3. the code (single use, valid ten minutes) is exchanged at {api}/sns/oauth2/access_token
//      (appid, secret, code, grant_type=authorization_code) for an access_token and the openid;
//   4. {api}/sns/userinfo (access_token, openid) names the person: nickname and unionid.
//
// The identity Tongxing binds is the unionid (the same person across every application of the
// operator's open-platform account), else the openid (this application only). WeChat answers its
// errors as HTTP 200 with {errcode, errmsg}; each code is turned into a SocialFailure here and
// nowhere else. The endpoints are configurable so the same client talks to the simulator.
import { SocialProviderError, type SocialFailure, type SocialIdentity, type SocialProvider } from './provider.ts';

export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  /** Origin (and path prefix) of open.weixin.qq.com, the QR code page. */
  connectUrl: string;
  /** Origin (and path prefix) of api.weixin.qq.com, the code exchange and user info. */
  apiUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** WeChat's errcodes as the person is told about them; anything else is `unavailable`. */
export const WECHAT_ERRCODES: Readonly<Record<number, SocialFailure>> = {
  40029: 'invalid_code', // invalid code
  41008: 'invalid_code', // missing code
  40163: 'code_used', // code been used
  42003: 'code_expired', // code expired
  40013: 'misconfigured', // invalid appid
  40125: 'misconfigured', // invalid appsecret
  41002: 'misconfigured', // appid missing
  41004: 'misconfigured', // appsecret missing
  40002: 'misconfigured', // invalid grant_type
  40164: 'misconfigured', // calling IP not in the application's whitelist
  48001: 'denied', // api unauthorized: the application may not use this scope
  50001: 'denied', // the person did not authorise this API
};

interface WechatError {
  errcode: number;
  errmsg?: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);

export function wechatProvider(options: WechatClientOptions): SocialProvider {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connect = trimSlash(options.connectUrl);
  const api = trimSlash(options.apiUrl);

  const fail = (failure: SocialFailure, code?: string, message?: string): never => {
    throw new SocialProviderError('wechat', failure, code, message);
  };

  /** GETs one of WeChat's JSON endpoints; an errcode, a transport failure or junk throws. */
  async function call(path: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${api}${path}?${new URLSearchParams(params)}`;
    let body: string;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      if (res.status !== 200) return fail('unavailable', `http ${res.status}`);
      body = await res.text();
    } catch (error) {
      if (error instanceof SocialProviderError) throw error;
      return fail('unavailable', undefined, `wechat ${path}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      // WeChat labels its JSON text/plain at times: the body is read as JSON whatever the header says.
      parsed = JSON.parse(body);
    } catch {
      return fail('unavailable', 'not json');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('unavailable', 'not an object');
    const answer = parsed as Record<string, unknown>;
    if (typeof answer.errcode === 'number' && answer.errcode !== 0) {
      const { errcode, errmsg } = answer as unknown as WechatError;
      return fail(WECHAT_ERRCODES[errcode] ?? 'unavailable', String(errcode), `wechat ${path}: ${errcode} ${String(errmsg ?? '').slice(0, 200)}`);
    }
    return answer;
  }

  return {
    name: 'wechat',
    authorizationUrl({ state, redirectUri }) {
      const query = new URLSearchParams({ appid: options.appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_login', state });
      return `${connect}/connect/qrconnect?${query}#wechat_redirect`;
    },
    async identify({ code }): Promise<SocialIdentity> {
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(code)) return fail('invalid_code', 'local', 'wechat: malformed code');
      const token = await call('/sns/oauth2/access_token', { appid: options.appId, secret: options.appSecret, code, grant_type: 'authorization_code' });
      const accessToken = text(token.access_token, 512);
      const openid = text(token.openid, 128);
      if (!accessToken || !openid) return fail('unavailable', 'token shape');
      if (typeof token.scope === 'string' && !token.scope.split(',').includes('snsapi_login')) return fail('denied', 'scope');
      const info = await call('/sns/userinfo', { access_token: accessToken, openid, lang: 'zh_CN' });
      if (text(info.openid, 128) !== openid) return fail('unavailable', 'userinfo openid');
      const unionid = text(info.unionid, 128) ?? text(token.unionid, 128);
      const nickname = text(info.nickname, 64);
      return {
        provider: 'wechat',
        subject: unionid ?? openid,
        ...(unionid ? { formerSubjects: [openid] } : {}),
        ...(nickname ? { displayName: nickname } : {}),
      };
    },
  };
}
