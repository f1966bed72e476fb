// How an audit event reads in the console (account timelines, the staff audit page).
import { hasMessage, type Translate } from '../../http/i18n.ts';

/** The event's name in the reader's language; an action without a label shows its code. */
export const auditLabel = (t: Translate, action: string) => (hasMessage(`audit.${action}`) ? t(`audit.${action}`) : action);

/** What staff wrote (reason, note) or why the system acted, shown beside the event. */
export function noteOf(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  return ['reason', 'note', 'purpose', 'field', 'path', 'channel', 'staff', 'permission']
    .flatMap((k) => (typeof d[k] === 'string' ? [String(d[k])] : []))
    .join(' · ');
}
