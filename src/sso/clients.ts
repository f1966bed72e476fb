// Platforms (OIDC clients), registered by an operator with `tongxing client add` or in the console
// (admin/platform-routes.tsx): name, redirect
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
import { AppError, ValidationError } from '../lib/errors.ts';
import type { MessageKey, MessageParams } from '../i18n/index.ts';
import { cleanImage, ImageRejected, sniffImageType } from '../lib/images.ts';
import { forgetCachedClient } from './client-cache.ts';

/** What a client id looks like (tx_ and 16 characters); anything else is no platform, before any SQL. */
export const CLIENT_ID = /^tx_[A-Za-z0-9_-]{16}$/;

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

/** What the console may change of a platform after it was registered. */
export type ClientChanges = Pick<NewClient, 'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'webhookUrl'>;

export interface ClientDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
}

export const secretAad = (clientId: string) => `oidc-client:${clientId}`;

/** A platform's name as people see it on the sign-in and consent pages. */
export const MAX_NAME = 60;
export const MAX_URIS = 20;

/** Why a URI cannot be registered, or undefined when it can (https; http only on this machine; no fragment). */
export function uriProblem(uri: string): MessageKey | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'sso.platform_uri_invalid';
  }
  if (uri.length > 2000) return 'sso.platform_uri_invalid';
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return 'sso.platform_uri_https';
  if (url.hash || uri.includes('#')) return 'sso.platform_uri_fragment';
  return undefined;
}

/**
 * The one check of a platform's name and URIs, for `tongxing client add` and the console alike:
 * a ValidationError naming each field that is wrong and the URI that is.
 */
export function validateClient(input: ClientChanges): void {
  const fields: Record<string, { code: MessageKey; params?: MessageParams }> = {};
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME) fields.name = { code: 'sso.platform_name_required', params: { max: MAX_NAME } };
  const check = (field: string, uris: string[], required: boolean) => {
    if (required && uris.length === 0) return (fields[field] = { code: 'sso.platform_redirect_required' });
    if (uris.length > MAX_URIS) return (fields[field] = { code: 'sso.platform_too_many_uris', params: { max: MAX_URIS } });
    for (const uri of uris) {
      const problem = uriProblem(uri);
      if (problem) return (fields[field] = { code: problem, params: { uri: uri.slice(0, 200) } });
    }
    return undefined;
  };
  check('redirectUris', input.redirectUris, true);
  check('postLogoutRedirectUris', input.postLogoutRedirectUris, false);
  check('backchannelLogoutUri', input.backchannelLogoutUri ? [input.backchannelLogoutUri] : [], false);
  check('webhookUrl', input.webhookUrl ? [input.webhookUrl] : [], false);
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

export async function addClient(deps: ClientDeps, input: NewClient): Promise<{ clientId: string; clientSecret: string }> {
  validateClient(input);
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
    backchannel_logout_uri: input.backchannelLogoutUri || null,
    webhook_url: input.webhookUrl || null,
    requires_realname: input.requiresRealname,
    scopes,
    id_number_access: input.idNumberAccess,
    created_at: deps.clock.now(),
  });
  return { clientId, clientSecret };
}

/** The console's edit: name and URIs. The running provider sees it on its next request. */
export async function updateClient(deps: ClientDeps, clientId: string, changes: ClientChanges): Promise<void> {
  validateClient(changes);
  const changed = await q.updateClientRow(deps.db, clientId, {
    name: changes.name.trim(),
    redirect_uris: changes.redirectUris,
    post_logout_redirect_uris: changes.postLogoutRedirectUris,
    backchannel_logout_uri: changes.backchannelLogoutUri || null,
    webhook_url: changes.webhookUrl || null,
    updated_at: deps.clock.now(),
  });
  if (!changed) throw new AppError('console.not_found', { status: 404 });
  forgetCachedClient(clientId);
}

/** A new secret (shown once); the old one is refused from the next request on. */
export async function rotateClientSecret(deps: ClientDeps, clientId: string): Promise<string> {
  const clientSecret = randomToken(32);
  const sealed = seal(deps.keys, clientSecret, secretAad(clientId));
  const changed = await q.updateClientRow(deps.db, clientId, { secret_key_id: sealed.keyId, secret_cipher: sealed.data, updated_at: deps.clock.now() });
  if (!changed) throw new AppError('console.not_found', { status: 404 });
  forgetCachedClient(clientId);
  return clientSecret;
}

/** A disabled platform is unknown to the provider (no sign-in, no token, no userinfo) until enabled again. */
export async function setClientDisabled(deps: ClientDeps, clientId: string, disabled: boolean): Promise<void> {
  const now = deps.clock.now();
  const changed = await q.setClientDisabledAt(deps.db, clientId, disabled ? now : null, now);
  if (!changed) throw new AppError('console.nothing_changed', { status: 409 });
  forgetCachedClient(clientId);
}

export const MAX_LOGO_BYTES = 256 * 1024;

/**
 * A platform's logo: PNG or JPEG, checked and rebuilt as the ID photos are (lib/images.ts: no
 * metadata, nothing after the image), kept in the database and served from Tongxing's origin.
 */

export function prepareLogo(data: Buffer): { data: Buffer; mediaType: 'image/png' | 'image/jpeg' } {
  if (data.length > MAX_LOGO_BYTES) throw new AppError('sso.platform_logo_too_big', { field: 'logo', status: 413, params: { max: MAX_LOGO_BYTES / 1024 } });
  const type = sniffImageType(data);
  if (type !== 'image/png' && type !== 'image/jpeg') throw new AppError('sso.platform_logo_invalid', { field: 'logo' });
  try {
    const cleaned = cleanImage(data);
    return { data: cleaned.data, mediaType: cleaned.mediaType as 'image/png' | 'image/jpeg' };
  } catch (error) {
    if (error instanceof ImageRejected) throw new AppError('sso.platform_logo_invalid', { field: 'logo' });
    throw error;
  }
}

/** Sets (or, with undefined, removes) a platform's logo. */
export async function setClientLogo(deps: ClientDeps, clientId: string, data: Buffer | undefined): Promise<void> {
  const logo = data ? prepareLogo(data) : undefined;
  const changed = await q.updateClientRow(deps.db, clientId, {
    logo: logo?.data ?? null,
    logo_media_type: logo?.mediaType ?? null,
    updated_at: deps.clock.now(),
  });
  if (!changed) throw new AppError('console.not_found', { status: 404 });
}

/** The logo the sign-in page shows (undefined when the platform has none or is disabled). */
export async function clientLogo(db: Db, clientId: string): Promise<{ data: Buffer; mediaType: string } | undefined> {
  if (!CLIENT_ID.test(clientId)) return undefined;
  const row = await q.findClientLogo(db, clientId);
  return row?.logo && row.logo_media_type && !row.disabled_at ? { data: Buffer.from(row.logo), mediaType: row.logo_media_type } : undefined;
}

/** One platform as the console shows it (never its secret). */
export async function clientDetail(db: Db, clientId: string) {
  if (!CLIENT_ID.test(clientId)) return undefined;
  const row = await q.findClientRow(db, clientId);
  if (!row) return undefined;
  const { secret_cipher: _cipher, secret_key_id: _key, ...rest } = row;
  return rest;
}

/**
 * The platform a sign-in is for, from the interaction the provider stored under this uid: its name
 * and whether it has a logo. The name comes from the registration, never from the request.
 */
export async function platformOfInteraction(db: Db, uid: string): Promise<{ clientId: string; name: string; hasLogo: boolean } | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(uid)) return undefined;
  const row = await q.platformRowOfInteraction(db, uid);
  if (!row || row.disabled_at || !CLIENT_ID.test(row.client_id)) return undefined;
  return { clientId: row.client_id, name: row.name, hasLogo: row.has_logo };
}

/** The provider's view of a platform. PKCE is required of every client (see provider.ts). */
export async function clientMetadata(deps: { db: Db; keys: FieldKeys }, clientId: string): Promise<AdapterPayload | undefined> {
  if (!CLIENT_ID.test(clientId)) return undefined;
  const row = await q.findClientRow(deps.db, clientId);
  // A disabled platform is not one the provider knows (its sign-ins and tokens are refused), and
  // a CAS platform is no OpenID Connect client.
  if (!row || row.disabled_at || row.protocol !== 'oidc') return undefined;
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
  if (!CLIENT_ID.test(clientId)) return undefined;
  return (await q.findClientRow(db, clientId))?.name;
}
