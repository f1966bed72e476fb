// 安全记录: recent sign-ins and account changes, read from the audit events of the account. Only
// what a person should see of their own account: the action, when, from which IP and device.
import { addressShownToPerson, listAuditForAccount } from '../audit/audit.ts';
import type { AccountDeps } from './deps.ts';
import * as q from './queries.ts';
import { socialBindingBlockedUntil } from './social-binding-policy.ts';
import type { Lang } from '../i18n/index.ts';
import { PERSONAL_AUDIT_ACTIONS, auditInfo } from '../audit/actions.ts';

export interface SecurityLogEntry {
  id: string;
  at: Date;
  /** The action's name in the reader's language. */
  label: Record<Lang, string>;
  /** For sign-ins: how (password, registration, activation). */
  via: string | undefined;
  ip: string | null;
  device: string;
  /** Sign-in failures and recovery attempts stand out on the page. */
  warning: boolean;
}

export async function securityLog(deps: AccountDeps, accountId: string, limit = 50) {
  // Only the person's own actions and what happened to the account: staff's working steps (viewing,
  // claiming) are left out rather than shown as a nameless "other change".
  const [events, account] = await Promise.all([listAuditForAccount(deps.db, accountId, limit, PERSONAL_AUDIT_ACTIONS), q.findById(deps.db, accountId)]);
  const entries: SecurityLogEntry[] = events.map((event) => {
    const detail = (typeof event.detail === 'string' ? JSON.parse(event.detail) : event.detail) as Record<string, unknown> | null;
    const info = auditInfo(event.action)!;
    return {
      id: event.id,
      at: event.created_at,
      label: info.label,
      via: typeof detail?.via === 'string' ? detail.via : undefined,
      ip: addressShownToPerson(event),
      device: typeof detail?.device === 'string' ? detail.device : '',
      warning: info.warning === true,
    };
  });
  const recoveredAt = account?.password_recovered_at ?? null;
  const blockedUntil = account ? socialBindingBlockedUntil(account, deps.clock.now()) : null;
  return { entries, recoveredAt, socialBindingBlockedUntil: blockedUntil };
}
