// Which WeChat sign-in a deployment has, from its configuration: the real client against WeChat
// (WECHAT_PROVIDER=wechat), none (off), or outside production the simulator mounted at
// /dev/wechat with the same real client pointed at it. The simulator's application secret is
// derived from the keyring, so nothing needs configuring. Once mounted, the client reaches the
// simulator through the app itself (Fastify inject), so it works whatever PUBLIC_URL says and in
// tests that never listen; the person's browser still goes to PUBLIC_URL/dev/wechat.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import type { SocialProvider } from './provider.ts';
import { wechatProvider } from './wechat.ts';
import { createWechatSimulator, registerWechatSimulator } from './wechat-simulator.ts';

export const WECHAT_SIMULATOR_PREFIX = '/dev/wechat';
/** The simulator's application, as WeChat names one (wx + 16 hex digits). */
export const WECHAT_SIMULATOR_APP_ID = 'wxd1ce5eed00c0ffee';

export interface WechatSetup {
  provider: SocialProvider | undefined;
  /** Only for the simulator (never in production): mounts its pages and API. */
  simulator: { mount(app: FastifyInstance): void } | undefined;
}

export function wechatSetup(config: Pick<Config, 'wechat' | 'publicUrl'>, codeKey: Buffer, clock: Clock): WechatSetup {
  if (config.wechat.kind === 'off') return { provider: undefined, simulator: undefined };
  if (config.wechat.kind === 'wechat') return { provider: wechatProvider(config.wechat), simulator: undefined };

  const appSecret = hmacSha256(codeKey, 'wechat-simulator').toString('hex').slice(0, 32);
  const simulator = createWechatSimulator({ appId: WECHAT_SIMULATOR_APP_ID, appSecret, clock, redirectHosts: [new URL(config.publicUrl).host] });
  let app: FastifyInstance | undefined;
  // WeChat's API is GETs only; until the routes are mounted there is nothing in-process to reach.
  const transport: typeof fetch = async (input, init) => {
    if (!app) return fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const res = await app.inject({ method: 'GET', url: url.pathname + url.search });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? 'text/plain') } });
  };
  const base = `${config.publicUrl}${WECHAT_SIMULATOR_PREFIX}`;
  return {
    provider: wechatProvider({ appId: WECHAT_SIMULATOR_APP_ID, appSecret, connectUrl: base, apiUrl: base, fetch: transport }),
    simulator: {
      mount(target) {
        app = target;
        registerWechatSimulator(target, WECHAT_SIMULATOR_PREFIX, simulator);
      },
    },
  };
}
