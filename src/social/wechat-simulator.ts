// A loopback stand-in for WeChat's website-application sign-in, speaking its HTTP shapes exactly
// (wechat.ts lists them): the qrconnect page, sns/oauth2/access_token and sns/userinfo, with
// WeChat's parameters, JSON fields and errcodes. Codes are single use and live ten minutes, as
// WeChat's do; access tokens two hours. Tests run it on its own loopback Fastify server; outside
// production the app mounts it at /dev/wechat so that a newcomer can "scan" in a browser. The
// config refuses it in production. State is in memory: a restart forgets codes, as a test wants.
//
// The qrconnect page plays the phone: the person picks a test WeChat user (any name; the same
// name is the same person), a nickname, and whether the application belongs to an open-platform
// account (without one WeChat gives no unionid), then "scans" (确认登录) or refuses (取消).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import { MINUTE, HOUR } from '../lib/clock.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import { qrconnectErrorPage, qrconnectPage } from './wechat-simulator-page.tsx';

export interface WechatSimulatorOptions {
  appId: string;
  appSecret: string;
  clock: Clock;
  /** Hosts redirect_uri may point at (WeChat's 授权回调域); any http(s) host when absent. */
  redirectHosts?: readonly string[];
}

export interface WechatTestUser {
  /** Who the test person is: the same key is the same WeChat user. */
  key: string;
  nickname: string;
  /** False: the application is not on an open-platform account, so WeChat sends no unionid. */
  unionid: boolean;
}

interface IssuedCode {
  user: WechatTestUser;
  redirectUri: string;
  issuedAt: number;
  used: boolean;
}

interface IssuedToken {
  user: WechatTestUser;
  openid: string;
  issuedAt: number;
}

export const WECHAT_CODE_TTL_MS = 10 * MINUTE;
const TOKEN_TTL_MS = 2 * HOUR;
const MAX_LIVE = 10_000;

export interface WechatSimulator {
  readonly appId: string;
  /** Issues a code as a scan would (the page's 确认登录); exported for the page and tests. */
  issueCode(user: WechatTestUser, redirectUri: string): string;
  /** The openid WeChat gives this user in this application. */
  openidOf(key: string): string;
  /** The unionid WeChat gives this user on the operator's open-platform account. */
  unionidOf(key: string): string;
  exchange(query: Record<string, string | undefined>): Record<string, unknown>;
  userinfo(query: Record<string, string | undefined>): Record<string, unknown>;
  /** Why a qrconnect request is refused, as WeChat's page says it; undefined when it is fine. */
  refusal(query: Record<string, string | undefined>): string | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const error = (errcode: number, errmsg: string) => ({ errcode, errmsg });

export function createWechatSimulator(options: WechatSimulatorOptions): WechatSimulator {
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, IssuedToken>();
  const now = () => options.clock.now().getTime();
  const secretOk = (secret: string) => {
    const a = Buffer.from(secret);
    const b = Buffer.from(options.appSecret);
    return a.length === b.length && constantTimeEqual(a, b);
  };
  const openidOf = (key: string) => `o${digest(`openid:${options.appId}:${key}`).slice(0, 27)}`;
  const unionidOf = (key: string) => `o${digest(`unionid:${key}`).slice(0, 27)}`;
  /** Forgets what can no longer be used, and the oldest when a runaway test issues too many. */
  const prune = <T extends { issuedAt: number }>(map: Map<string, T>, ttl: number) => {
    for (const [key, value] of map) if (now() - value.issuedAt > ttl || map.size > MAX_LIVE) map.delete(key);
  };

  return {
    appId: options.appId,
    openidOf,
    unionidOf,
    issueCode(user, redirectUri) {
      prune(codes, WECHAT_CODE_TTL_MS);
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { user, redirectUri, issuedAt: now(), used: false });
      return code;
    },
    exchange(q) {
      if (!q.appid) return error(41002, 'appid missing');
      if (q.appid !== options.appId) return error(40013, 'invalid appid');
      if (!q.secret) return error(41004, 'appsecret missing');
      if (!secretOk(q.secret)) return error(40125, 'invalid appsecret');
      if (q.grant_type !== 'authorization_code') return error(40002, 'invalid grant_type');
      if (!q.code) return error(41008, 'missing code');
      const issued = codes.get(q.code);
      if (!issued) return error(40029, 'invalid code');
      if (issued.used) return error(40163, 'code been used');
      if (now() - issued.issuedAt > WECHAT_CODE_TTL_MS) return error(42003, 'code expired');
      issued.used = true;
      prune(tokens, TOKEN_TTL_MS);
      const accessToken = randomBytes(32).toString('base64url');
      const openid = openidOf(issued.user.key);
      tokens.set(accessToken, { user: issued.user, openid, issuedAt: now() });
      return {
        access_token: accessToken,
        expires_in: TOKEN_TTL_MS / 1000,
        refresh_token: randomBytes(32).toString('base64url'),
        openid,
        scope: 'snsapi_login',
        ...(issued.user.unionid ? { unionid: unionidOf(issued.user.key) } : {}),
      };
    },
    userinfo(q) {
      const token = q.access_token ? tokens.get(q.access_token) : undefined;
      if (!token) return error(40001, 'invalid credential, access_token is invalid or not latest');
      if (now() - token.issuedAt > TOKEN_TTL_MS) return error(42001, 'access_token expired');
      if (q.openid !== token.openid) return error(40003, 'invalid openid');
      return {
        openid: token.openid,
        nickname: token.user.nickname,
        sex: 0,
        language: q.lang ?? 'zh_CN',
        city: '',
        province: '',
        country: 'CN',
        headimgurl: '',
        privilege: [],
        ...(token.user.unionid ? { unionid: unionidOf(token.user.key) } : {}),
      };
    },
    refusal(q) {
      if (q.appid !== options.appId) return 'appid 参数错误';
      let redirect: URL | undefined;
      try {
        redirect = q.redirect_uri ? new URL(q.redirect_uri) : undefined;
      } catch {
        redirect = undefined;
      }
      if (!redirect || (redirect.protocol !== 'http:' && redirect.protocol !== 'https:')) return 'redirect_uri 参数错误';
      if (options.redirectHosts && !options.redirectHosts.includes(redirect.host)) return 'redirect_uri 参数错误';
      if (q.response_type !== 'code') return 'response_type 参数错误';
      if (q.scope !== 'snsapi_login') return 'Scope 参数错误或没有 Scope 权限';
      if (q.state !== undefined && !/^[A-Za-z0-9_-]{0,128}$/.test(q.state)) return 'state 参数错误';
      return undefined;
    },
  };
}

/** Only the first value of each parameter, as strings (a repeated or odd parameter is not a crash). */
function queryOf(raw: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.length <= 2_000) out[key] = first;
  }
  return out;
}

/** WeChat answers its API with HTTP 200 and JSON, errors included. */
const json = (reply: FastifyReply, body: Record<string, unknown>) => reply.code(200).type('application/json; encoding=utf-8').send(JSON.stringify(body));

/** Mounts the simulator's endpoints under `prefix` ('' on its own server, '/dev/wechat' in the app). */
export function registerWechatSimulator(app: FastifyInstance, prefix: string, simulator: WechatSimulator): void {
  app.get(`${prefix}/connect/qrconnect`, async (request, reply) => {
    const q = queryOf(request.query);
    const refusal = simulator.refusal(q);
    const html = refusal ? qrconnectErrorPage(refusal) : qrconnectPage({ action: `${prefix}/connect/confirm`, query: q, appId: simulator.appId });
    return reply
      .code(refusal ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(html);
  });

  // The phone's answer: 确认登录 sends the browser back with a code, 取消 with the state alone.
  app.get(`${prefix}/connect/confirm`, async (request, reply) => {
    const q = queryOf(request.query);
    const refusal = simulator.refusal(q);
    if (refusal) return reply.code(400).type('text/html; charset=utf-8').send(qrconnectErrorPage(refusal));
    const back = new URL(q.redirect_uri!);
    if (q.action === 'allow') {
      const key = (q.user ?? '').trim().slice(0, 64) || 'wechat-user';
      const nickname = (q.nickname ?? '').trim().slice(0, 32) || key;
      back.searchParams.set('code', simulator.issueCode({ key, nickname, unionid: q.no_unionid !== '1' }, q.redirect_uri!));
    }
    if (q.state !== undefined) back.searchParams.set('state', q.state);
    return reply.redirect(back.toString(), 302);
  });

  app.get(`${prefix}/sns/oauth2/access_token`, async (request, reply) => json(reply, simulator.exchange(queryOf(request.query))));
  app.get(`${prefix}/sns/userinfo`, async (request, reply) => json(reply, simulator.userinfo(queryOf(request.query))));
}
