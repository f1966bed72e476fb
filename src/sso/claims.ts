// Who a platform sees: an opaque, stable subject per account (never the account's own id), and
// the claims of the scopes it was allowed and the person consented to. The ID number only for a
// platform allowed it, masked unless it may see it whole (each full reading audited).
import type { Account, FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { randomToken } from '../lib/crypto.ts';
import { revealIdNumber, type IdentityDeps } from '../identity/service.ts';
import * as q from './queries.ts';
import { idNumberAccess } from './clients.ts';

export const SCOPE_CLAIMS = {
  // Every ID token also says when the person last proved who they are (auth_time) and how (amr,
  // RFC 8176), so a platform can decide whether that is recent or strong enough.
  openid: ['sub', 'auth_time', 'amr', 'acr'],
  profile: ['name'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
  realname: ['realname_status', 'realname_verified'],
  idnumber: ['id_type', 'id_number'],
};

// An account's subject never changes once made (sso_subjects is only ever inserted into), so this
// process keeps the ones it has read, per database: a sign-in asks for it on several requests.
const subjectsByDb = new WeakMap<Db, Map<string, string>>();
const known = (db: Db) => {
  let subjects = subjectsByDb.get(db);
  if (!subjects) subjectsByDb.set(db, (subjects = new Map()));
  return subjects;
};
const remember = (db: Db, accountId: string, sub: string) => {
  const subjects = known(db);
  if (subjects.size >= 10_000) subjects.clear();
  subjects.set(accountId, sub);
  return sub;
};

/** The account's subject for platforms, made on first use. */
export async function subjectOf(db: Db, accountId: string): Promise<string> {
  return known(db).get(accountId) ?? remember(db, accountId, await q.ensureSubject(db, accountId, randomToken(16)));
}

/** The account's subject if it has one (none is made). */
export async function existingSubjectOf(db: Db, accountId: string): Promise<string | undefined> {
  const cached = known(db).get(accountId);
  if (cached) return cached;
  const sub = await q.subjectIfAny(db, accountId);
  return sub && remember(db, accountId, sub);
}

export const accountOfSubject = q.accountOfSubject;

export type RealnameStatus = 'verified' | 'needs_verification' | 'unverified';

export function realnameStatus(account: { state: string; realname_bound_at: Date | null }): RealnameStatus {
  if (account.state === 'needs_verification') return 'needs_verification';
  return account.realname_bound_at && account.state === 'active' ? 'verified' : 'unverified';
}

/** Whether an account in this state is anyone to platforms (OIDC claims, CAS tickets). */
export function usableAtPlatforms(state: string): boolean {
  return state !== 'deregistered' && state !== 'suspended' && state !== 'pending_activation';
}

export function findAccountFor(deps: { db: Db; identity: IdentityDeps }): FindAccount {
  return async (ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> => {
    const account = await accountOfSubject(deps.db, sub);
    // A deregistered or suspended account is no one any more, for every platform.
    if (!account || !usableAtPlatforms(account.state)) return undefined;
    return {
      accountId: sub,
      async claims(_use, scope) {
        const scopes = new Set(String(scope ?? '').split(' '));
        const claims: { sub: string; [key: string]: unknown } = { sub };
        if (scopes.has('profile') && account.name) claims.name = account.name;
        if (scopes.has('phone') && account.phone) {
          claims.phone_number = `+86${account.phone}`;
          claims.phone_number_verified = Boolean(account.phone_verified_at);
        }
        if (scopes.has('email') && account.email) {
          claims.email = account.email;
          claims.email_verified = Boolean(account.email_verified_at);
        }
        if (scopes.has('realname')) {
          const status = realnameStatus(account);
          claims.realname_status = status;
          claims.realname_verified = status === 'verified';
        }
        const access = idNumberAccess(ctx.oidc.client);
        if (scopes.has('idnumber') && account.id_type && (access === 'masked' || access === 'full')) {
          claims.id_type = account.id_type;
          claims.id_number =
            access === 'full' ? await revealIdNumber(deps.identity, account.id, { kind: 'system' }, `sso:${ctx.oidc.client!.clientId}`) : account.id_masked;
        }
        return claims;
      },
    };
  };
}
