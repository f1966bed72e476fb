// 安全记录: recent sign-ins and account changes, read from the audit events of the account. Only
// what a person should see of their own account: the action, when, from which IP and device.
import { listAuditForAccount } from '../audit/audit.ts';
import type { AccountDeps } from './deps.ts';
import * as q from './queries.ts';
import { socialBindingBlockedUntil } from './social-binding-policy.ts';
import { isMessageKey, type MessageKey } from '../i18n/index.ts';

export interface SecurityLogEntry {
  id: string;
  at: Date;
  /** i18n key: audit.<action>, or audit.other when the page has no words for it. */
  label: MessageKey;
  /** For sign-ins: how (password, registration, activation). */
  via: string | undefined;
  ip: string | null;
  device: string;
  /** Sign-in failures and recovery attempts stand out on the page. */
  warning: boolean;
}

/** Actions the page names; anything else is listed as "other change" rather than hidden. */
export const LOGGED_ACTIONS = new Set([
  'account.registered',
  'account.activated',
  'account.email_confirmed',
  'account.password_changed',
  'account.password_change_failed',
  'account.deregistered',
  'identity.resolution_passed',
  'account.password_reset',
  'account.phone_changed',
  'account.phone_bound',
  'account.email_changed',
  'account.email_bound',
  'identity.saved',
  'identity.bound_phone',
  'identity.bound_email',
  'identity.decrypted',
  'session.started',
  'session.sign_in_failed',
  'session.ended',
  'session.revoked',
  'session.revoked_others',
  'session.reauthenticated',
  'session.password_confirm_failed',
  'recovery.username_sent',
  'recovery.password_requested',
  'recovery.identity_mismatch',
]);
const WARNINGS = new Set(['session.sign_in_failed', 'session.password_confirm_failed', 'account.password_change_failed', 'recovery.identity_mismatch']);

export async function securityLog(deps: AccountDeps, accountId: string, limit = 50) {
  const [events, account] = await Promise.all([listAuditForAccount(deps.db, accountId, limit), q.findById(deps.db, accountId)]);
  const entries: SecurityLogEntry[] = events.map((event) => {
    const detail = (typeof event.detail === 'string' ? JSON.parse(event.detail) : event.detail) as Record<string, unknown> | null;
    const key = `audit.${event.action}`;
    return {
      id: event.id,
      at: event.created_at,
      label: LOGGED_ACTIONS.has(event.action) && isMessageKey(key) ? key : 'audit.other',
      via: typeof detail?.via === 'string' ? detail.via : undefined,
      ip: event.ip,
      device: typeof detail?.device === 'string' ? detail.device : '',
      warning: WARNINGS.has(event.action),
    };
  });
  const recoveredAt = account?.password_recovered_at ?? null;
  return { entries, recoveredAt, socialBindingBlockedUntil: socialBindingBlockedUntil(recoveredAt, deps.clock.now()) };
}
