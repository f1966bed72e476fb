// Which Alipay sign-in a deployment has, from its configuration: the real client (ALIPAY_PROVIDER
// =alipay), none (off), or outside production the simulator mounted at /dev/alipay with the real
// client pointed at it. The simulator needs no configuration: on first use it generates both RSA
// key pairs (the application's and its own "Alipay" pair) and hands each side the public half it
// would get from Alipay's console; codes and tokens live in memory, so a restart forgets them as
// it forgets the keys. The client reaches the mounted gateway through the app itself
// (Fastify inject), so it works whatever PUBLIC_URL says and in tests that never listen.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { AlipayConfig } from '../config/alipay.ts';
import { alipayAuthorizationUrl, alipayProvider, readAlipayCallback, type AlipayProvider } from './alipay.ts';
import { AlipaySimulator } from './alipay-simulator.ts';
import { registerAlipaySimulator } from './alipay-simulator-routes.tsx';

export const SIMULATOR_PREFIX = '/dev/alipay';
/** The simulator's application, numbered like a sandbox APPID. */
export const SIMULATOR_APP_ID = '9021000000000000';

export interface AlipaySetup {
  provider: AlipayProvider | undefined;
  /** Only with ALIPAY_PROVIDER=simulator (never in production): mounts the page and the gateway. */
  simulator: { mount(app: FastifyInstance): Promise<void> } | undefined;
}

const generateRsa = promisify(generateKeyPair);

async function rsaPair(): Promise<{ publicKey: string; privateKey: string }> {
  return generateRsa('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

export function alipaySetup(config: AlipayConfig, publicUrl: string, now: () => Date): AlipaySetup {
  if (config.provider === 'off') return { provider: undefined, simulator: undefined };
  if (config.provider === 'alipay') {
    const { appId, privateKeyPem, alipayPublicKeyPem, gateway, authorizeUrl } = config;
    return { provider: alipayProvider({ appId, privateKeyPem, alipayPublicKeyPem, gateway, authorizeUrl, now }), simulator: undefined };
  }

  const base = `${publicUrl}${SIMULATOR_PREFIX}`;
  let app: FastifyInstance | undefined;
  // Until the routes are mounted there is nothing in-process to reach: go over the network.
  const transport: typeof fetch = async (input, init) => {
    if (!app) return fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const res = await app.inject({
      method: 'POST',
      url: url.pathname + url.search,
      headers: init?.headers as Record<string, string>,
      payload: init?.body as string,
    });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? 'text/plain') } });
  };
  let made: Promise<{ simulator: AlipaySimulator; client: AlipayProvider }> | undefined;
  const ready = () =>
    (made ??= (async () => {
      const [application, alipay] = await Promise.all([rsaPair(), rsaPair()]);
      const simulator = new AlipaySimulator({
        appId: SIMULATOR_APP_ID,
        appPublicKeyPem: application.publicKey,
        alipayPrivateKeyPem: alipay.privateKey,
        redirectOrigins: [new URL(publicUrl).origin],
        now,
      });
      const client = alipayProvider({
        appId: SIMULATOR_APP_ID,
        privateKeyPem: application.privateKey.trim(),
        alipayPublicKeyPem: simulator.alipayPublicKeyPem,
        gateway: `${base}/gateway.do`,
        fetch: transport,
        now,
      });
      return { simulator, client };
    })());
  const authorizeUrl = `${base}/oauth2/publicAppAuthorize.htm`;
  return {
    provider: {
      name: 'alipay',
      authorizationUrl: (input) => alipayAuthorizationUrl(authorizeUrl, SIMULATOR_APP_ID, input),
      callback: readAlipayCallback,
      identify: async (input) => (await ready()).client.identify(input),
    },
    simulator: {
      async mount(target) {
        app = target;
        await registerAlipaySimulator(target, SIMULATOR_PREFIX, async () => (await ready()).simulator);
      },
    },
  };
}
