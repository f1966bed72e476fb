// How an audit event reads in the console (account timelines, the staff audit page).
import { isMessageKey, type Translate } from '../../i18n/index.ts';

/** The event's name in the reader's language; an action without a label shows its code. */
export function auditLabel(t: Translate, action: string): string {
  const key = `audit.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

/** What staff wrote (reason, note) or why the system acted, shown beside the event. */
export function noteOf(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  return ['reason', 'note', 'purpose', 'field', 'path', 'channel', 'staff', 'permission']
    .flatMap((k) => (typeof d[k] === 'string' ? [String(d[k])] : []))
    .join(' · ');
}
