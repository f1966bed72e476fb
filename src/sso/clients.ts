// Platforms (OIDC clients), registered by an operator with `tongxing client add`: name, redirect
// and logout URIs, a webhook URL, whether the platform requires a verified real-name identity,
// which scopes (claims) it may ask for, and whether it may see the ID number (masked or full).
// The client secret is shown once and kept sealed (it must be readable to check client_secret_basic).
import type { AdapterPayload, Client } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { randomToken } from '../lib/crypto.ts';
import { open, resealAll, seal, type FieldKeys } from '../lib/field-crypto.ts';
import * as q from './platform-queries.ts';
import type { IdNumberAccess } from '../db/schema.ts';

export const SSO_SCOPES = ['openid', 'profile', 'phone', 'email', 'realname', 'idnumber', 'offline_access'] as const;
export type SsoScope = (typeof SSO_SCOPES)[number];

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri?: string | undefined;
  webhookUrl?: string | undefined;
  requiresRealname: boolean;
  scopes: SsoScope[];
  idNumberAccess: IdNumberAccess;
}

export const secretAad = (clientId: string) => `oidc-client:${clientId}`;

function assertUri(uri: string, what: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`${what} is not a URL: ${uri}`);
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new Error(`${what} must use https (http only for 127.0.0.1/localhost): ${uri}`);
  if (url.hash) throw new Error(`${what} must not have a fragment: ${uri}`);
}

export async function addClient(deps: { db: Db; clock: Clock; keys: FieldKeys }, input: NewClient): Promise<{ clientId: string; clientSecret: string }> {
  if (!input.name.trim()) throw new Error('a platform needs a name');
  if (input.redirectUris.length === 0) throw new Error('at least one redirect URI is needed');
  for (const uri of input.redirectUris) assertUri(uri, 'redirect URI');
  for (const uri of input.postLogoutRedirectUris) assertUri(uri, 'post-logout redirect URI');
  if (input.backchannelLogoutUri) assertUri(input.backchannelLogoutUri, 'back-channel logout URI');
  if (input.webhookUrl) assertUri(input.webhookUrl, 'webhook URL');
  const scopes = [...new Set<SsoScope>(['openid', ...input.scopes])];
  if (input.idNumberAccess !== 'none' && !scopes.includes('idnumber')) scopes.push('idnumber');
  const clientId = `tx_${randomToken(12)}`;
  const clientSecret = randomToken(32);
  const sealed = seal(deps.keys, clientSecret, secretAad(clientId));
  await q.insertClient(deps.db, {
    client_id: clientId,
    name: input.name.trim(),
    secret_key_id: sealed.keyId,
    secret_cipher: sealed.data,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris,
    backchannel_logout_uri: input.backchannelLogoutUri ?? null,
    webhook_url: input.webhookUrl ?? null,
    requires_realname: input.requiresRealname,
    scopes,
    id_number_access: input.idNumberAccess,
    created_at: deps.clock.now(),
  });
  return { clientId, clientSecret };
}

/** The provider's view of a platform. PKCE is required of every client (see provider.ts). */
export async function clientMetadata(deps: { db: Db; keys: FieldKeys }, clientId: string): Promise<AdapterPayload | undefined> {
  if (!/^tx_[A-Za-z0-9_-]{16}$/.test(clientId)) return undefined;
  const row = await q.findClientRow(deps.db, clientId);
  // A CAS platform is no OpenID Connect client: /oidc does not know it.
  if (!row || row.protocol !== 'oidc') return undefined;
  return {
    client_id: row.client_id,
    client_secret: open(deps.keys, { keyId: row.secret_key_id, data: Buffer.from(row.secret_cipher) }, secretAad(row.client_id)),
    client_name: row.name,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: row.scopes.join(' '),
    ...(row.backchannel_logout_uri ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: false } : {}),
    'urn:tongxing:requires_realname': row.requires_realname,
    'urn:tongxing:id_number_access': row.id_number_access,
  };
}

/** Every registered platform, oldest first (`tongxing client list`). */
export const listClients = q.listClients;

/** `tongxing keys rotate`: platform secrets sealed under an older key, re-sealed under the active one. */
export async function rotateClientSecretSeals(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = await q.clientSecretsUnderOtherKeys(deps.db, deps.keys.activeKeyId);
  return resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.secret_key_id, data: r.secret_cipher }, aad: secretAad(r.client_id) }),
    (r, sealed, oldKeyId) => q.replaceClientSecretCipher(deps.db, r.client_id, oldKeyId, sealed.keyId, sealed.data),
  );
}

/** Whether some platform registered this post-logout URI (the sign-out page may then end there). */
export const isRegisteredPostLogoutUri = q.isRegisteredPostLogoutUri;

/** The platform settings Tongxing keeps in the provider's client metadata (see clients.ts). */
export const CLIENT_PROPERTIES = ['urn:tongxing:requires_realname', 'urn:tongxing:id_number_access'];

export function requiresRealname(client: Client | undefined): boolean {
  return (client as unknown as Record<string, unknown> | undefined)?.['urn:tongxing:requires_realname'] === true;
}

export function idNumberAccess(client: Client | undefined): IdNumberAccess {
  const access = (client as unknown as Record<string, unknown> | undefined)?.['urn:tongxing:id_number_access'];
  return access === 'masked' || access === 'full' ? access : 'none';
}

/** A registered platform's name (undefined for anything that is not a client id). */
export async function platformName(db: Db, clientId: string): Promise<string | undefined> {
  if (!/^tx_[A-Za-z0-9_-]{16}$/.test(clientId)) return undefined;
  return (await q.findClientRow(db, clientId))?.name;
}
