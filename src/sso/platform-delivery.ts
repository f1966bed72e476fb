// Sends to platforms for the outbox worker. Webhooks: POST of the JSON event with
//   Tongxing-Timestamp: unix seconds
//   Tongxing-Signature: v1=hex(HMAC-SHA256(client secret, timestamp + "." + body))
// so a platform checks who sent it and refuses old ones (replays); any answer but 2xx is retried.
// Back-channel logout: the provider's signed logout token to the platform's logout URI. CAS single
// logout: the SAML LogoutRequest, as a form POST to the service URL the ticket was issued for.
import type { LiveProvider } from './live-provider.ts';
import type { Db } from '../db/client.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import type { PlatformDelivery } from '../notifications/channels.ts';
import { clientMetadata } from './clients.ts';
import { post } from '../lib/outbound.ts';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${hmacSha256(Buffer.from(secret, 'utf8'), `${timestamp}.${body}`).toString('hex')}`;
}

/** `allowPrivateNetwork`: outside production, platforms on this machine or network may be reached. */
export function platformDelivery(deps: { db: Db; keys: FieldKeys; provider: LiveProvider; allowPrivateNetwork: boolean }): PlatformDelivery {
  return {
    async webhook(platformId, url, body) {
      const client = await clientMetadata(deps, platformId);
      if (!client) throw new Error(`platform ${platformId} is no longer registered`);
      const timestamp = Math.floor(Date.now() / 1000);
      const status = await post(url, {
        headers: {
          'content-type': 'application/json',
          'tongxing-timestamp': String(timestamp),
          'tongxing-signature': webhookSignature(String(client.client_secret), timestamp, body),
        },
        body,
        timeoutMs: 10_000,
        allowPrivate: deps.allowPrivateNetwork,
      });
      if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
    },
    async backchannelLogout(platformId, sub) {
      const client = await (await deps.provider.current()).Client.find(platformId);
      if (!client?.backchannelLogoutUri) throw new Error(`platform ${platformId} takes no back-channel logout`);
      // Client#backchannelLogout exists at runtime (the provider uses it at end_session) but is not
      // in the type definitions. Without a sid: every session of this subject ends.
      const send = (client as unknown as { backchannelLogout(sub: string, sid?: string): Promise<void> }).backchannelLogout.bind(client);
      await send(sub);
    },
    async casLogout(_platformId, serviceUrl, logoutRequest) {
      const status = await post(serviceUrl, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logoutRequest }).toString(),
        timeoutMs: 10_000,
        allowPrivate: deps.allowPrivateNetwork,
      });
      if (status < 200 || status >= 300) throw new Error(`CAS logout answered ${status}`);
    },
  };
}
