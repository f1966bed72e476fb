// 平台管理 (administrators): platforms added, their addresses edited, their secret rotated, disabled
// and enabled, their logo set, their deliveries seen — the same registry `tongxing client` writes
// (sso/clients.ts), so nobody stops the service to add one. Each change commits with its audit
// event; the running provider reads the platform afresh on its next request (sso/client-cache.ts).
import type { AccountDeps } from '../accounts/deps.ts';
import { recordAudit } from '../audit/audit.ts';
import { detailOfSpentFormToken, lockFormToken } from '../audit/queries.ts';
import type { AuditAction } from '../audit/actions.ts';
import { AppError } from '../lib/errors.ts';
import {
  addClient,
  clientDetail,
  listClients,
  rotateClientSecret,
  setClientDisabled,
  setClientLogo,
  updateClient,
  type ClientChanges,
  type ClientDeps,
  type NewClient,
} from '../sso/clients.ts';
import { forgetCachedClient } from '../sso/client-cache.ts';
import { deliveriesOf } from '../sso/platform-events.ts';
import { addCasPlatform, updateCasPlatform, type CasPlatformChanges, type NewCasPlatform } from '../sso/cas-registry.ts';
import type { StaffActor } from './staff-auth.ts';

type Deps = Pick<AccountDeps, 'db' | 'clock' | 'identity'>;

/** Outside production a CAS service may be http on this machine (as the CLI allows). */
type CasDeps = Deps & { allowLoopbackHttp: boolean };

/** What a form carrying a single-use token did: the change, or nothing (the token was spent before, on this platform). */
export type Once<T> = { done: T } | { alreadyDone: { clientId: string } };

/**
 * One change to one platform and its audit event, in one transaction; the provider's cache dropped
 * after it commits. With a form token the event records it, and a token an earlier event of the
 * same action recorded changes nothing: a reloaded answer (a phone restoring a tab) neither adds a
 * second platform nor rotates the secret just shown.
 */
async function changeOnce<T>(
  deps: Deps,
  actor: StaffActor,
  action: AuditAction,
  formToken: string | undefined,
  work: (registry: ClientDeps) => Promise<{ clientId: string; result: T; detail?: Record<string, unknown> }>,
): Promise<Once<T>> {
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (tx) => {
    if (formToken) {
      await lockFormToken(tx, formToken);
      const spent = await detailOfSpentFormToken(tx, action, formToken);
      if (spent) return { spentOn: String(spent.clientId) };
    }
    const out = await work({ db: tx, clock: deps.clock, keys: deps.identity.keys });
    const detail = { clientId: out.clientId, ...out.detail, ...(formToken ? { formToken } : {}) };
    await recordAudit(tx, { action, actor: { kind: 'staff', id: actor.username }, ip: actor.ip, detail, at: now });
    return out;
  });
  if ('spentOn' in done) return { alreadyDone: { clientId: done.spentOn } };
  forgetCachedClient(done.clientId);
  return { done: done.result };
}

/** A change no form token guards (editing is the same on a second submission). */
async function change<T>(
  deps: Deps,
  actor: StaffActor,
  action: AuditAction,
  work: (registry: ClientDeps) => Promise<{ clientId: string; result: T; detail?: Record<string, unknown> }>,
): Promise<T> {
  const out = await changeOnce(deps, actor, action, undefined, work);
  if ('alreadyDone' in out) throw new Error('a change without a form token is never already done');
  return out.done;
}

export const platformList = (deps: Deps) => listClients(deps.db);

export async function platformDetail(deps: Deps, clientId: string) {
  const detail = await clientDetail(deps.db, clientId);
  if (!detail) throw new AppError('console.not_found', { status: 404 });
  return { ...detail, deliveries: await deliveriesOf(deps.db, clientId) };
}

/** The new platform with its secret to show once, or the platform this form added before. */
export async function addPlatform(deps: Deps, input: NewClient, logo: Buffer | undefined, formToken: string, actor: StaffActor) {
  return changeOnce(deps, actor, 'platform.added', formToken, async (registry) => {
    const added = await addClient(registry, input);
    if (logo) await setClientLogo(registry, added.clientId, logo);
    return { clientId: added.clientId, result: added, detail: { name: input.name.trim(), redirectUris: input.redirectUris, scopes: input.scopes } };
  });
}

export async function editPlatform(deps: Deps, clientId: string, changes: ClientChanges, actor: StaffActor): Promise<void> {
  await change(deps, actor, 'platform.updated', async (registry) => {
    const before = await clientDetail(registry.db, clientId);
    await updateClient(registry, clientId, changes);
    return {
      clientId,
      result: undefined,
      detail: {
        before: before && {
          name: before.name,
          redirectUris: before.redirect_uris,
          postLogout: before.post_logout_redirect_uris,
          backchannel: before.backchannel_logout_uri,
          webhook: before.webhook_url,
        },
        after: {
          name: changes.name.trim(),
          redirectUris: changes.redirectUris,
          postLogout: changes.postLogoutRedirectUris,
          backchannel: changes.backchannelLogoutUri ?? null,
          webhook: changes.webhookUrl ?? null,
        },
      },
    };
  });
}

/** The new secret, to show once; or nothing, when this form rotated it before. */
export async function rotatePlatformSecret(deps: Deps, clientId: string, reason: string, formToken: string, actor: StaffActor): Promise<Once<string>> {
  return changeOnce(deps, actor, 'platform.secret_rotated', formToken, async (registry) => ({
    clientId,
    result: await rotateClientSecret(registry, clientId),
    detail: { reason },
  }));
}

export async function setPlatformDisabled(deps: Deps, clientId: string, disabled: boolean, reason: string, actor: StaffActor): Promise<void> {
  await change(deps, actor, disabled ? 'platform.disabled' : 'platform.enabled', async (registry) => {
    await setClientDisabled(registry, clientId, disabled);
    return { clientId, result: undefined, detail: { reason } };
  });
}

export async function setPlatformLogo(deps: Deps, clientId: string, logo: Buffer | undefined, actor: StaffActor): Promise<void> {
  await change(deps, actor, 'platform.logo_changed', async (registry) => {
    await setClientLogo(registry, clientId, logo);
    return { clientId, result: undefined, detail: { removed: !logo } };
  });
}

/** A CAS platform, by the services it may be sent back to (no secret: CAS has none). */
export async function addCasPlatformByStaff(deps: CasDeps, input: NewCasPlatform, logo: Buffer | undefined, formToken: string, actor: StaffActor) {
  return changeOnce(deps, actor, 'platform.added', formToken, async (registry) => {
    const added = await addCasPlatform(registry, input, deps.allowLoopbackHttp);
    if (logo) await setClientLogo(registry, added.clientId, logo);
    return {
      clientId: added.clientId,
      result: added,
      detail: { name: input.name.trim(), protocol: 'cas', services: input.services, proxy: input.proxy, scopes: input.scopes },
    };
  });
}

export async function editCasPlatform(deps: CasDeps, clientId: string, changes: CasPlatformChanges, actor: StaffActor): Promise<void> {
  await change(deps, actor, 'platform.updated', async (registry) => {
    const before = await clientDetail(registry.db, clientId);
    await updateCasPlatform(registry, clientId, changes, deps.allowLoopbackHttp);
    return {
      clientId,
      result: undefined,
      detail: {
        before: before && { name: before.name, services: before.cas_services, proxy: before.cas_proxy },
        after: { name: changes.name.trim(), services: changes.services, proxy: changes.proxy },
      },
    };
  });
}
