// What a typed username is (a mainland mobile number, an email address or an ID number) and which
// account it names. Sign-in and password recovery read usernames the same way.
import { validateIdNumber } from '../identity/id-numbers/index.ts';
import { ownerOfIdNumber, SIGN_IN_ID_TYPES } from '../identity/service.ts';
import type { AccountDeps } from './deps.ts';
import { isEmail, isMainlandMobile, normalizeEmail, normalizePhone } from './rules.ts';
import * as q from './queries.ts';

export type UsernameKind = 'phone' | 'email' | 'id' | 'other';

export interface Username {
  kind: UsernameKind;
  /** As typed (trimmed): the ID-number look-up tries every document type on it. */
  typed: string;
  /**
   * The canonical form, used as the key of counters: every spelling of one ID number (x/X, 15 or
   * 18 digits, spaces, hyphens) gives the same key, so no spelling dodges a limit.
   */
  key: string;
}

export function parseUsername(input: string): Username {
  const typed = input.trim();
  const phone = normalizePhone(typed);
  if (isMainlandMobile(phone)) return { kind: 'phone', typed, key: `phone:${phone}` };
  const email = normalizeEmail(typed);
  if (isEmail(email)) return { kind: 'email', typed, key: `email:${email}` };
  for (const type of SIGN_IN_ID_TYPES) {
    const id = validateIdNumber(type, typed);
    if (id.ok) return { kind: 'id', typed, key: `id:${id.type}:${id.canonical}` };
  }
  return { kind: 'other', typed, key: `other:${email.replace(/[\s-]/g, '')}` };
}

/**
 * The account a username names: a phone or email that may sign in (verified, or registered
 * with), or an ID number whose owner has bound their real name.
 */
export async function accountByUsername(deps: AccountDeps, username: Username): Promise<q.AccountRow | undefined> {
  if (username.kind === 'phone') {
    const account = await q.findByPhone(deps.db, normalizePhone(username.typed));
    return account && (account.registered_via === 'phone' || account.phone_verified_at) ? account : undefined;
  }
  if (username.kind === 'email') {
    const account = await q.findByEmail(deps.db, normalizeEmail(username.typed));
    return account && (account.registered_via === 'email' || account.email_verified_at) ? account : undefined;
  }
  if (username.kind === 'id') {
    const ownerId = await ownerOfIdNumber(deps.identity, username.typed);
    const owner = ownerId ? await q.findById(deps.db, ownerId) : undefined;
    return owner?.realname_bound_at ? owner : undefined;
  }
  return undefined;
}

/** The deregistered account a phone or address last belonged to (an ID number names live owners only). */
export async function formerAccountByUsername(deps: AccountDeps, username: Username) {
  if (username.kind === 'phone') return q.formerAccountByContact(deps.db, 'phone', normalizePhone(username.typed));
  if (username.kind === 'email') return q.formerAccountByContact(deps.db, 'email', normalizeEmail(username.typed));
  return undefined;
}
