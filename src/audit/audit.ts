// Append-only audit events. Callers pass the transaction that makes the change, so the event and
// the change commit or vanish together. Details never hold a plain phone, email, ID number or code.
// The actions and their labels are listed in actions.ts.
export { recordAudit, listAuditForAccount, listStaffActions, type AuditEvent } from './queries.ts';
// Append-only but for one erasure: a deregistered account's retention over, its events keep no IP
// and no detail describing the person.
export { forgetAddressesOf, forgetDetailsOf } from './queries.ts';

/**
 * The address an account's event shows the person (security log, their copy): a staff member's
 * address is theirs, not the person's, so only what someone did from the account shows one.
 */
export const addressShownToPerson = (event: { actor_kind: string; ip: string | null }) => (event.actor_kind === 'staff' ? null : event.ip);
