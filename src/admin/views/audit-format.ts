// What an audit event adds beside its label in the console (account timelines, the staff audit page).
/** What staff wrote (reason, note) or why the system acted, shown beside the event. */
export function noteOf(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  return ['reason', 'note', 'purpose', 'field', 'path', 'channel', 'staff', 'permission']
    .flatMap((k) => (typeof d[k] === 'string' ? [String(d[k])] : []))
    .join(' · ');
}
