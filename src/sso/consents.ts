// Remembered consents: one per person and platform, pointing at the provider's grant. The account
// lists them (已授权的平台) and withdrawing one destroys the grant and everything issued under it.
import type Provider from 'oidc-provider';
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit } from '../audit/audit.ts';
import * as q from './queries.ts';
import { markPlatformWithdrawn } from './platform-queries.ts';
import { deleteByGrants, deletePayload, deleteSessionsOf, grantIdsOf } from './payload-queries.ts';

export async function rememberedGrant(db: Db, sub: string, clientId: string): Promise<string | undefined> {
  return (await q.consentOf(db, sub, clientId))?.grant_id;
}

export async function rememberedConsent(db: Db, sub: string, clientId: string): Promise<{ accountId: string; scopes: string } | undefined> {
  const row = await q.consentOf(db, sub, clientId);
  return row && { accountId: row.account_id, scopes: row.scopes };
}

export const rememberConsentGrant = q.setConsentGrant;

export async function rememberConsent(db: Db, clock: Clock, row: { accountId: string; clientId: string; grantId: string; scopes: string }): Promise<void> {
  await q.upsertConsent(db, { ...row, at: clock.now() });
}

export const consentsOf = q.consentsOf;

/**
 * Withdraws a consent: every grant the platform holds for this person (there can be several, one
 * per browser that consented) and every code and token issued under them stop working at once.
 */
export async function withdrawConsent(deps: { db: Db; clock: Clock; provider: Provider }, accountId: string, clientId: string, ip: string): Promise<boolean> {
  const [consented] = await q.consentGrantIds(deps.db, accountId, clientId);
  if (!consented) return false;
  await deps.db.transaction().execute(async (tx) => {
    const sub = await q.subjectIfAny(tx, accountId);
    const grants = sub ? await grantIdsOf(tx, sub, clientId) : [];
    const grantIds = [...new Set([consented, ...grants])];
    await deleteByGrants(tx, grantIds);
    await q.deleteConsents(tx, accountId, clientId);
    await markPlatformWithdrawn(tx, accountId, clientId, deps.clock.now());
    await recordAudit(tx, {
      action: 'sso.consent_withdrawn',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip,
      detail: { clientId, grants: grantIds.length },
      at: deps.clock.now(),
    });
  });
  return true;
}

/**
 * Ends everything single sign-on holds for an account, in the caller's transaction (used when it is
 * suspended or deregistered): its provider sessions, every grant and the codes and tokens issued
 * under them, and its remembered consents. Platforms then get invalid_grant / invalid_token for it.
 */
export async function revokeAllSso(tx: Executor, accountId: string): Promise<number> {
  const sub = await q.subjectIfAny(tx, accountId);
  if (!sub) return 0;
  const grantIds = [...new Set([...(await q.consentGrantIds(tx, accountId)), ...(await grantIdsOf(tx, sub))])];
  const revoked = (await deleteByGrants(tx, grantIds)) + (await deleteSessionsOf(tx, sub));
  await q.deleteConsents(tx, accountId);
  return revoked;
}

/** Ends one provider sign-in session (a browser's), e.g. one left by someone who signed out of Tongxing. */
export async function endProviderSession(db: Db, sessionId: string): Promise<void> {
  await deletePayload(db, 'Session', sessionId);
}
