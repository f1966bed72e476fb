// The example platform of examples/platform/platform.ts (openid-client, plain node:http), registered
// with a served Tongxing as an operator registers one, on its own loopback port: the platform of
// every browser journey that signs in through OpenID Connect.
import { createServer } from 'node:http';
import { addClient } from '../../src/sso/clients.ts';
import { startPlatform, type RunningPlatform } from '../../examples/platform/platform.ts';
import type { ServedInstance } from './browser.ts';

export interface ExamplePlatformOptions {
  requiresRealname?: boolean;
  port?: number;
  webhookUrl?: string;
}

export interface ExamplePlatform {
  running: RunningPlatform;
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** A free loopback port: listen on 0, close, reuse the number (the platform must be registered before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Registers a platform (addClient, as `tongxing client add` does) whose redirect, logout,
 * back-channel logout and webhook URIs are on a port chosen first, then starts the example
 * platform there against the issuer `${t.baseURL}/oidc`. `webhookUrl` may point the webhooks
 * elsewhere (a recorder in front of the platform).
 */
export async function startExamplePlatform(t: ServedInstance, name: string, options: ExamplePlatformOptions = {}): Promise<ExamplePlatform> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const { clientId, clientSecret } = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name,
      redirectUris: [`${url}/callback`],
      postLogoutRedirectUris: [`${url}/`],
      backchannelLogoutUri: `${url}/backchannel-logout`,
      webhookUrl: options.webhookUrl ?? `${url}/webhooks`,
      requiresRealname: options.requiresRealname ?? false,
      scopes: ['profile', 'realname'],
      idNumberAccess: 'none',
    },
  );
  const running = await startPlatform({ issuer: `${t.baseURL}/oidc`, clientId, clientSecret, baseUrl: url, allowHttp: true, name }, port);
  return { running, url, clientId, clientSecret, close: () => running.close() };
}
