// SQL for audit events: written in the transaction of the change they record, read newest first.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { AuditAction } from './actions.ts';

export interface AuditEvent {
  action: AuditAction;
  actor: { kind: 'account' | 'system' | 'staff' | 'anonymous'; id?: string | null | undefined };
  accountId?: string | null | undefined;
  ip?: string | null | undefined;
  detail?: Record<string, unknown>;
  at: Date;
}

export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      created_at: event.at,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id ?? null,
      action: event.action,
      account_id: event.accountId ?? null,
      ip: event.ip ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute();
}

/** An account's events, newest first; only the given actions when a list is passed. */
export async function listAuditForAccount(db: Executor, accountId: string, limit = 50, actions?: readonly string[]) {
  let query = db.selectFrom('audit_events').select(['id', 'created_at', 'action', 'actor_kind', 'ip', 'detail']).where('account_id', '=', accountId);
  if (actions) query = query.where('action', 'in', actions);
  return query.orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
}

/** What staff did, newest first (one member's, or everyone's). */
export async function listStaffActions(db: Executor, username: string | undefined, limit = 200) {
  let query = db
    .selectFrom('audit_events')
    .select(['created_at', 'action', 'actor_id', 'account_id', 'ip', 'detail'])
    .where('actor_kind', '=', 'staff')
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit);
  if (username) query = query.where('actor_id', '=', username);
  return query.execute();
}

/**
 * Holds a staff form's single-use token until the transaction ends, so two submissions of one form
 * (a double tap, a restored tab) queue and the second sees the first's event.
 */
export async function lockFormToken(db: Executor, formToken: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`staff-form-token:${formToken}`}))`.execute(db);
}

/** The detail of the `action` event that spent this form token, if one did. */
export async function detailOfSpentFormToken(db: Executor, action: AuditAction, formToken: string): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', action)
    .where(sql<string>`detail->>'formToken'`, '=', formToken)
    .limit(1)
    .executeTakeFirst();
  return row?.detail as Record<string, unknown> | undefined;
}

/**
 * The one change an audit event ever sees: when a deregistered account's retention is over, the
 * addresses its events were made from go (forgetAddressesOf) and so do the details that describe
 * the person (forgetDetailsOf). What happened, when, and by whom stay.
 */
export async function forgetAddressesOf(db: Executor, accountId: string): Promise<number> {
  const rows = await db.updateTable('audit_events').set({ ip: null }).where('account_id', '=', accountId).where('ip', 'is not', null).returning('id').execute();
  return rows.length;
}

/**
 * Detail fields that describe the person rather than what happened, by the actions that write
 * them: the browser and device signed in from (every sign-in, passkey ceremonies), the names the
 * person gave passkeys, the masked phone or address bound or changed, the contact a dispute gave,
 * the masked address support sent a reset link to, the liveness provider's words on the face.
 */
const PERSONAL_DETAIL: ReadonlyArray<{ actions: string; keys: readonly string[] }> = [
  { actions: '%', keys: ['device'] },
  { actions: 'passkey.%', keys: ['name', 'from'] },
  { actions: 'account.%_bound', keys: ['from', 'to'] },
  { actions: 'account.%_changed', keys: ['from', 'to'] },
  { actions: 'dispute.opened', keys: ['contact'] },
  { actions: 'recovery.reset_started_by_staff', keys: ['sentTo', 'sentToHash'] },
  { actions: 'resolution.app_%', keys: ['reason'] },
];

/** Removes PERSONAL_DETAIL's fields from the account's events. Answers how many events changed. */
export async function forgetDetailsOf(db: Executor, accountId: string): Promise<number> {
  let changed = 0;
  for (const rule of PERSONAL_DETAIL) {
    const keys = sql.val([...rule.keys]);
    const rows = await db
      .updateTable('audit_events')
      .set({ detail: sql<string>`detail - ${keys}::text[]` })
      .where('account_id', '=', accountId)
      .where('action', 'like', rule.actions)
      .where(sql<boolean>`detail ?| ${keys}::text[]`)
      .returning('id')
      .execute();
    changed += rows.length;
  }
  return changed;
}
