// A stand-in for Alipay's 用户信息授权 and its gateway, for development and tests: the same
// parameters, JSON fields, error codes and RSA2 signatures as openauth.alipay.com and
// openapi.alipay.com/gateway.do, so the real client (alipay.ts) runs against it unchanged.
//
// The authorisation page (publicAppAuthorize.htm: app_id, scope auth_user|auth_base,
// redirect_uri, state of at most 100 characters) lets a person approve as a test user; the
// approval redirects to redirect_uri with app_id, source=alipay_wallet, scope, auth_code and
// state. Declining redirects with the same parameters but no auth_code (Alipay itself leaves the
// person on its page; the simulator goes back so the site can say that nothing was shared).
//
// The gateway checks a request as Alipay's does, in this order: the public parameters
// (40001 isv.missing-*), the method, the app (40002 isv.invalid-app-id, unsigned: the app has no
// Alipay key yet), the sign type (RSA2; RSA is "not configured"), the timestamp's format, then
// the RSA2 signature with the application's public key (isv.invalid-signature). Then:
//   alipay.system.oauth.token   grant_type authorization_code|refresh_token. An auth_code serves
//                               once, for 10 minutes, for the app it was issued to; a wrong, used,
//                               expired or foreign code is 40002 isv.code-invalid (Alipay has no
//                               separate codes for those), answered under error_response.
//   alipay.user.info.share      auth_token from the exchange, valid 15 days (expires_in
//                               1296000); unknown or auth_base-only → 20001 aop.invalid-auth-token,
//                               expired → 20001 aop.auth-token-time-out; an app without the
//                               获取会员信息 product → 40006 isv.insufficient-isv-permissions.
// Every answer but isv.invalid-app-id is `{"<method>_response" | "error_response": {...},
// "sign": "..."}`, the sign being SHA256withRSA over the exact JSON text of the inner object with
// the simulator's own Alipay private key.
//
// The signing here is written from Alipay's documentation with node:crypto, not with alipay-sdk,
// so a mistake in how the client uses the SDK cannot be shared by the simulator and pass.
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';

export interface AlipayTestUser {
  /** 2088 followed by 12 digits, as Alipay's user ids are. */
  userId: string;
  nickName: string;
  avatar?: string;
}

export interface AlipaySimulatorOptions {
  appId: string;
  /** The application's public key, as uploaded to the console (应用公钥). */
  appPublicKeyPem: string;
  /** The simulator's own Alipay key pair, private half (the public half is what apps configure). */
  alipayPrivateKeyPem: string;
  /** Which identifier the app receives: user_id (older apps) or open_id (apps created since 2023). */
  identifier?: 'user_id' | 'open_id';
  /** Origins the app's 授权回调地址 allows; any http(s) address when not given. */
  redirectOrigins?: string[];
  /** false: the app has not added 获取会员信息, so alipay.user.info.share is refused. */
  userInfoShare?: boolean;
  users?: AlipayTestUser[];
  now?: () => Date;
}

export interface AuthorizeRequest {
  appId: string;
  scope: 'auth_user' | 'auth_base';
  redirectUri: string;
  state: string | undefined;
}

export const CODE_TTL_MS = 10 * 60_000;
export const ACCESS_TOKEN_TTL_S = 1_296_000;
export const REFRESH_TOKEN_TTL_S = 2_592_000;

export const DEFAULT_TEST_USERS: AlipayTestUser[] = [
  { userId: '2088102150477652', nickName: '沙箱用户一' },
  { userId: '2088102150477653', nickName: '沙箱用户二' },
  { userId: '2088722001750001', nickName: 'Sandbox Buyer' },
];

/** Alipay's gateway answers, by sub_code: its code, msg and sub_msg (opendocs 公共错误码). */
const ERRORS = {
  'isv.missing-method': ['40001', 'Missing Required Arguments', '缺少方法名参数'],
  'isv.missing-app-id': ['40001', 'Missing Required Arguments', '缺少appId参数'],
  'isv.missing-signature-type': ['40001', 'Missing Required Arguments', '缺少签名类型参数'],
  'isv.missing-signature': ['40001', 'Missing Required Arguments', '缺少签名参数'],
  'isv.missing-timestamp': ['40001', 'Missing Required Arguments', '缺少时间戳参数'],
  'isv.missing-version': ['40001', 'Missing Required Arguments', '缺少版本参数'],
  'isv.invalid-method': ['40002', 'Invalid Arguments', '不存在的方法名'],
  'isv.invalid-app-id': ['40002', 'Invalid Arguments', '无效的AppID参数'],
  'isv.invalid-signature-type': ['40002', 'Invalid Arguments', '无效的签名类型'],
  'isv.missing-signature-config': ['40002', 'Invalid Arguments', '验签出错, 未配置对应签名算法的公钥或者证书'],
  'isv.invalid-timestamp': ['40002', 'Invalid Arguments', '非法的时间戳参数'],
  'isv.invalid-charset': ['40002', 'Invalid Arguments', '字符集错误'],
  'isv.invalid-signature': ['40002', 'Invalid Arguments', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配'],
  'isv.grant-type-invalid': ['40002', 'Invalid Arguments', 'grant_type参数不正确'],
  'isv.code-invalid': ['40002', 'Invalid Arguments', '授权码code无效'],
  'isv.refresh-token-invalid': ['40002', 'Invalid Arguments', '刷新令牌refresh_token无效'],
  'isv.refresh-token-time-out': ['40002', 'Invalid Arguments', '刷新令牌refresh_token过期'],
  'aop.invalid-auth-token': ['20001', 'Insufficient Token Permissions', '无效的访问令牌'],
  'aop.auth-token-time-out': ['20001', 'Insufficient Token Permissions', '访问令牌已过期'],
  'isv.insufficient-isv-permissions': ['40006', 'Insufficient Permissions', 'ISV权限不足，建议在开发者中心检查对应功能是否已经添加'],
} as const;
type SubCode = keyof typeof ERRORS;

const METHODS = ['alipay.system.oauth.token', 'alipay.user.info.share'] as const;
type Method = (typeof METHODS)[number];

interface Grant {
  appId: string;
  user: AlipayTestUser;
  scope: AuthorizeRequest['scope'];
  expiresAt: number;
}

export type AuthorizeCheck = { ok: true; request: AuthorizeRequest } | { ok: false; problem: 'app_id' | 'scope' | 'redirect_uri' | 'state' };

export class AlipaySimulator {
  readonly appId: string;
  /** What an application configures as ALIPAY_PUBLIC_KEY (支付宝公钥) for this simulator. */
  readonly alipayPublicKeyPem: string;
  readonly users: readonly AlipayTestUser[];
  readonly #appKey: KeyObject;
  readonly #alipayKey: KeyObject;
  readonly #options: AlipaySimulatorOptions;
  readonly #now: () => Date;
  // Codes and tokens are kept by their SHA-256: a dump of this map holds nothing usable.
  readonly #codes = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, Grant>();
  readonly #refreshTokens = new Map<string, Grant>();

  constructor(options: AlipaySimulatorOptions) {
    this.#options = options;
    this.appId = options.appId;
    this.#appKey = createPublicKey(options.appPublicKeyPem);
    this.#alipayKey = createPrivateKey(options.alipayPrivateKeyPem);
    this.alipayPublicKeyPem = (createPublicKey(this.#alipayKey).export({ type: 'spki', format: 'pem' }) as string).trim();
    this.users = options.users ?? DEFAULT_TEST_USERS;
    this.#now = options.now ?? (() => new Date());
  }

  /** Checks the parameters of publicAppAuthorize.htm as Alipay's page does before showing it. */
  checkAuthorize(query: Record<string, string | undefined>): AuthorizeCheck {
    if (query.app_id !== this.appId) return { ok: false, problem: 'app_id' };
    const scopes = (query.scope ?? '').split(',').map((s) => s.trim());
    if (!scopes.includes('auth_user') && !scopes.includes('auth_base')) return { ok: false, problem: 'scope' };
    const redirectUri = query.redirect_uri ?? '';
    let url: URL;
    try {
      url = new URL(redirectUri);
    } catch {
      return { ok: false, problem: 'redirect_uri' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'redirect_uri' };
    if (this.#options.redirectOrigins && !this.#options.redirectOrigins.includes(url.origin)) return { ok: false, problem: 'redirect_uri' };
    const state = query.state || undefined;
    // "不可预测 … 不能有中文 … 最大长度 100 位"
    if (state !== undefined && (state.length > 100 || !/^[\x21-\x7e]+$/.test(state))) return { ok: false, problem: 'state' };
    return { ok: true, request: { appId: this.appId, scope: scopes.includes('auth_user') ? 'auth_user' : 'auth_base', redirectUri, state } };
  }

  /** The person approved as `user`: where the browser goes next, carrying a fresh auth_code. */
  approve(request: AuthorizeRequest, user: AlipayTestUser): string {
    const code = randomBytes(16).toString('hex') + 'QD01';
    this.#codes.set(digest(code), { appId: request.appId, user, scope: request.scope, expiresAt: this.#now().getTime() + CODE_TTL_MS });
    return callbackUrl(request, code);
  }

  /** The person declined: back to the site without an auth_code. */
  decline(request: AuthorizeRequest): string {
    return callbackUrl(request, undefined);
  }

  /** One gateway request (its query and form parameters merged): the response body Alipay would send. */
  gateway(params: Record<string, string>): string {
    const method = params.method;
    const key = method && (METHODS as readonly string[]).includes(method) ? responseKey(method) : 'error_response';
    for (const [name, sub] of [
      ['method', 'isv.missing-method'],
      ['app_id', 'isv.missing-app-id'],
      ['sign_type', 'isv.missing-signature-type'],
      ['sign', 'isv.missing-signature'],
      ['timestamp', 'isv.missing-timestamp'],
      ['version', 'isv.missing-version'],
    ] as const) {
      if (!params[name]) return this.#refuse(key, sub);
    }
    if (!(METHODS as readonly string[]).includes(method!)) return this.#refuse(key, 'isv.invalid-method');
    if (params.app_id !== this.appId) return unsigned(key, errorBody('isv.invalid-app-id'));
    if (params.sign_type === 'RSA') return this.#refuse(key, 'isv.missing-signature-config');
    if (params.sign_type !== 'RSA2') return this.#refuse(key, 'isv.invalid-signature-type');
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp!)) return this.#refuse(key, 'isv.invalid-timestamp');
    if (params.charset && !/^(utf-8|gbk|gb2312)$/i.test(params.charset)) return this.#refuse(key, 'isv.invalid-charset');
    const content = signingString(params);
    const verifier = createVerify('RSA-SHA256').update(content, 'utf8');
    let valid = false;
    try {
      valid = verifier.verify(this.#appKey, params.sign!, 'base64');
    } catch {
      valid = false;
    }
    if (!valid) return this.#refuse(key, 'isv.invalid-signature', `，网关生成的验签字符串为：${content}`);
    return (method as Method) === 'alipay.system.oauth.token' ? this.#token(params) : this.#userInfo(params);
  }

  #token(params: Record<string, string>): string {
    const now = this.#now().getTime();
    let grant: Grant | undefined;
    if (params.grant_type === 'authorization_code') {
      const hash = digest(params.code ?? '');
      grant = this.#codes.get(hash);
      // Single use: the first exchange consumes the code, whatever its outcome.
      this.#codes.delete(hash);
      if (!grant || grant.appId !== params.app_id || grant.expiresAt <= now) return this.#refuse('error_response', 'isv.code-invalid');
    } else if (params.grant_type === 'refresh_token') {
      const hash = digest(params.refresh_token ?? '');
      grant = this.#refreshTokens.get(hash);
      if (!grant || grant.appId !== params.app_id) return this.#refuse('error_response', 'isv.refresh-token-invalid');
      if (grant.expiresAt <= now) return this.#refuse('error_response', 'isv.refresh-token-time-out');
      this.#refreshTokens.delete(hash);
    } else {
      return this.#refuse('error_response', 'isv.grant-type-invalid');
    }
    const accessToken = `authusrB${randomBytes(16).toString('hex')}`;
    const refreshToken = `authusrB${randomBytes(16).toString('hex')}`;
    this.#accessTokens.set(digest(accessToken), { ...grant, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
    this.#refreshTokens.set(digest(refreshToken), { ...grant, expiresAt: now + REFRESH_TOKEN_TTL_S * 1000 });
    return this.#signed(responseKey('alipay.system.oauth.token'), {
      access_token: accessToken,
      auth_start: beijingTime(new Date(now)),
      expires_in: ACCESS_TOKEN_TTL_S,
      re_expires_in: REFRESH_TOKEN_TTL_S,
      refresh_token: refreshToken,
      ...this.#identifierOf(grant.user),
    });
  }

  #userInfo(params: Record<string, string>): string {
    const key = responseKey('alipay.user.info.share');
    if (this.#options.userInfoShare === false) return this.#refuse('error_response', 'isv.insufficient-isv-permissions');
    const grant = this.#accessTokens.get(digest(params.auth_token ?? ''));
    if (!grant || grant.appId !== params.app_id || grant.scope !== 'auth_user') return this.#refuse(key, 'aop.invalid-auth-token');
    if (grant.expiresAt <= this.#now().getTime()) return this.#refuse(key, 'aop.auth-token-time-out');
    return this.#signed(key, {
      code: '10000',
      msg: 'Success',
      ...this.#identifierOf(grant.user),
      nick_name: grant.user.nickName,
      ...(grant.user.avatar ? { avatar: grant.user.avatar } : {}),
    });
  }

  /** user_id, or for open_id apps an id of the user that differs per app (as Alipay's does). */
  #identifierOf(user: AlipayTestUser): Record<string, string> {
    if (this.#options.identifier !== 'open_id') return { user_id: user.userId };
    return { open_id: `074a${createHash('sha256').update(`${this.appId}:${user.userId}`).digest('base64url').slice(0, 40)}` };
  }

  #refuse(key: string, sub: SubCode, detail = ''): string {
    const body = errorBody(sub);
    return this.#signed(key, detail ? { ...body, sub_msg: body.sub_msg + detail } : body);
  }

  #signed(key: string, body: Record<string, unknown>): string {
    const inner = JSON.stringify(body);
    const sign = createSign('RSA-SHA256').update(inner, 'utf8').sign(this.#alipayKey, 'base64');
    return `{${JSON.stringify(key)}:${inner},"sign":${JSON.stringify(sign)}}`;
  }
}

/**
 * The string an RSA2 request signature covers: every parameter but `sign` whose value is not
 * empty, sorted by name, as name=value joined with "&", values not URL-encoded (opendocs 自行实现签名).
 */
export function signingString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** "yyyy-MM-dd HH:mm:ss" in China Standard Time (UTC+8, no daylight saving), as Alipay writes times. */
export function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function callbackUrl(request: AuthorizeRequest, code: string | undefined): string {
  const url = new URL(request.redirectUri);
  url.searchParams.set('app_id', request.appId);
  url.searchParams.set('source', 'alipay_wallet');
  url.searchParams.set('scope', request.scope);
  if (code) url.searchParams.set('auth_code', code);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return url.toString();
}

const responseKey = (method: string) => `${method.replaceAll('.', '_')}_response`;
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

function errorBody(sub: SubCode) {
  const [code, msg, subMsg] = ERRORS[sub];
  return { code, msg, sub_code: sub, sub_msg: subMsg };
}

function unsigned(key: string, body: Record<string, unknown>): string {
  return JSON.stringify({ [key]: body });
}
