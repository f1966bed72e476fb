// CAS platforms in the one platform registry (oidc_clients, owned here): a CAS platform has a name,
// the services it may be sent back to (exact URLs or ^…$ patterns, checked by cas-services.ts),
// whether it may ask for proxy tickets, and the same release policy as an OIDC platform — scopes,
// the real-name requirement and ID-number access. It gets no redirect URIs and no usable secret:
// the provider refuses it at /oidc (clientMetadata), and CAS needs none (tickets are validated by
// whoever holds them, bound to the service they were issued for).
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { randomToken } from '../lib/crypto.ts';
import { seal, type FieldKeys } from '../lib/field-crypto.ts';
import type { IdNumberAccess } from '../db/schema.ts';
import * as q from './platform-queries.ts';
import { MAX_NAME, MAX_URIS, secretAad, type SsoScope } from './clients.ts';
import { MAX_SERVICE_LENGTH, serviceEntryProblem, serviceMatches } from './cas-services.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import type { Message } from '../i18n/index.ts';

/**
 * A CAS platform takes no webhooks: their signature is keyed by a client secret, and a CAS
 * platform has none (it hears of sign-outs through single logout).
 */
export interface CasPlatformChanges {
  name: string;
  services: string[];
  proxy: boolean;
}

export interface NewCasPlatform extends CasPlatformChanges {
  requiresRealname: boolean;
  scopes: SsoScope[];
  idNumberAccess: IdNumberAccess;
}

/** Every problem of a CAS registration at once, as field messages (the console and the CLI show them). */
export function validateCasPlatform(input: CasPlatformChanges, allowLoopbackHttp: boolean): void {
  const fields: Record<string, Message> = {};
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME) fields.name = { code: 'sso.platform_name_required', params: { max: MAX_NAME } };
  if (input.services.length === 0) fields.services = { code: 'cas.services_required' };
  else if (input.services.length > MAX_URIS) fields.services = { code: 'cas.services_too_many', params: { max: MAX_URIS } };
  else {
    for (const entry of input.services) {
      const problem = serviceEntryProblem(entry, allowLoopbackHttp);
      if (problem) {
        fields.services = { code: problem.code, params: { entry: entry.slice(0, 200), written: problem.written ?? '' } };
        break;
      }
    }
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Registers a CAS platform (`tongxing client add --protocol cas`, or the console). */
export async function addCasPlatform(
  deps: { db: Executor; clock: Clock; keys: FieldKeys },
  input: NewCasPlatform,
  allowLoopbackHttp: boolean,
): Promise<{ clientId: string }> {
  validateCasPlatform(input, allowLoopbackHttp);
  const scopes = [...new Set<SsoScope>(['openid', ...input.scopes])];
  if (input.idNumberAccess !== 'none' && !scopes.includes('idnumber')) scopes.push('idnumber');
  const clientId = `tx_${randomToken(12)}`;
  // The column wants a sealed secret; a CAS platform never learns or uses this one.
  const sealed = seal(deps.keys, randomToken(32), secretAad(clientId));
  await q.insertClient(deps.db, {
    client_id: clientId,
    name: input.name.trim(),
    secret_key_id: sealed.keyId,
    secret_cipher: sealed.data,
    redirect_uris: [],
    post_logout_redirect_uris: [],
    backchannel_logout_uri: null,
    webhook_url: null,
    requires_realname: input.requiresRealname,
    scopes,
    id_number_access: input.idNumberAccess,
    created_at: deps.clock.now(),
    protocol: 'cas',
    cas_services: input.services,
    cas_proxy: input.proxy,
  });
  return { clientId };
}

/** The console's edit of a CAS platform: its name, services and proxying. */
export async function updateCasPlatform(
  deps: { db: Executor; clock: Clock },
  clientId: string,
  changes: CasPlatformChanges,
  allowLoopbackHttp: boolean,
): Promise<void> {
  validateCasPlatform(changes, allowLoopbackHttp);
  const changed = await q.updateCasClientRow(deps.db, clientId, {
    name: changes.name.trim(),
    cas_services: changes.services,
    cas_proxy: changes.proxy,
    updated_at: deps.clock.now(),
  });
  if (!changed) throw new AppError('console.not_found', { status: 404 });
}

/** A person used a CAS platform: it hears of their account changes from now on (platform-events). */
export async function recordCasPlatformUse(db: Executor, accountId: string, platform: { clientId: string; name: string }, at: Date): Promise<void> {
  await q.recordPlatformUse(db, accountId, platform.name, platform.clientId, at);
}

export type CasPlatform = q.CasPlatformRow;

/** Every enabled CAS platform (the CAS server's view of the registry). */
export const casPlatforms = q.casPlatforms;

/**
 * The registered CAS platform a service URL belongs to: one that registered it exactly, else the
 * first registered whose pattern matches (a platform at /exam inside a portal's ^https://x/.*$ is
 * that platform, not the portal).
 */
export async function platformForService(db: Db, service: string): Promise<CasPlatform | undefined> {
  if (!service || service.length > MAX_SERVICE_LENGTH) return undefined;
  return casPlatformOf(await q.casPlatforms(db), service);
}

/** platformForService's rule, over platforms already read. */
export function casPlatformOf(platforms: readonly CasPlatform[], service: string): CasPlatform | undefined {
  if (!service || service.length > MAX_SERVICE_LENGTH) return undefined;
  return platforms.find((p) => p.cas_services.includes(service)) ?? platforms.find((p) => serviceMatches(p.cas_services, service));
}

/** The platform a /cas/login's service leads to, as the sign-in page names it (platformOfInteraction's shape). */
export async function platformOfCasService(db: Db, service: string): Promise<{ clientId: string; name: string; hasLogo: boolean } | undefined> {
  const platform = await platformForService(db, service);
  return platform && { clientId: platform.client_id, name: platform.name, hasLogo: platform.has_logo };
}
