// SQL for CAS tickets (cas_tickets); the sessions they hang on are read, never written.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { CasTicketsTable } from '../db/schema.ts';

/** The session's TGT, made on its first CAS sign-in; two at once make one (the unique index). */
export async function ensureTgt(db: Executor, row: Insertable<CasTicketsTable>): Promise<string> {
  await db
    .insertInto('cas_tickets')
    .values(row)
    // The index predicate written out, not bound: PostgreSQL infers a partial unique index only
    // from a literal predicate (a parameter "kind = $1" matches no index and the insert fails).
    .onConflict((oc) =>
      oc
        .column('session_id')
        .where(sql<boolean>`kind = 'TGT'`)
        .doNothing(),
    )
    .execute();
  const tgt = await db
    .selectFrom('cas_tickets')
    .select('ticket_hash')
    .where('session_id', '=', row.session_id)
    .where('kind', '=', 'TGT')
    .executeTakeFirstOrThrow();
  return tgt.ticket_hash;
}

export async function insertTicket(db: Executor, row: Insertable<CasTicketsTable>): Promise<void> {
  await db.insertInto('cas_tickets').values(row).execute();
}

/**
 * Spends a service or proxy ticket's one validation attempt and answers what it was (undefined:
 * unknown or already tried). Whatever the outcome of the checks that follow, it cannot be tried again.
 */
export async function spendTicket(db: Executor, ticketHash: string, at: Date) {
  return db
    .updateTable('cas_tickets')
    .set({ validated_at: at })
    .where('ticket_hash', '=', ticketHash)
    .where('kind', 'in', ['ST', 'PT'])
    .where('validated_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Keeps a validated ticket's text as the SessionIndex single logout sends back; false when the
 * ticket is gone — its session ended and the sweep took it — so the validation must fail.
 */
export async function setSessionIndex(db: Executor, ticketHash: string, sessionIndex: string): Promise<boolean> {
  const row = await db
    .updateTable('cas_tickets')
    .set({ session_index: sessionIndex })
    .where('ticket_hash', '=', ticketHash)
    .returning('ticket_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findTicket(db: Executor, ticketHash: string) {
  return db.selectFrom('cas_tickets').selectAll().where('ticket_hash', '=', ticketHash).executeTakeFirst();
}

/** Whether a sign-in session is still in force (not revoked, not past its lifetime or idle limit). */
export async function sessionLive(db: Executor, sessionId: string, now: Date, idleSince: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', idleSince)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * TGTs whose session has ended (or is gone), locked; SKIP LOCKED so sweeps on several nodes share
 * the work instead of queueing behind each other.
 */
export async function lockEndedTgts(db: Executor, now: Date, idleSince: Date, limit: number, sessionId?: string) {
  let query = db
    .selectFrom('cas_tickets as t')
    .leftJoin('sessions as s', 's.id', 't.session_id')
    .select('t.ticket_hash')
    .where('t.kind', '=', 'TGT')
    .where((eb) => eb.or([eb('s.id', 'is', null), eb('s.revoked_at', 'is not', null), eb('s.expires_at', '<=', now), eb('s.last_seen_at', '<=', idleSince)]))
    .limit(limit)
    .forUpdate('t')
    .skipLocked();
  if (sessionId) query = query.where('t.session_id', '=', sessionId);
  return query.execute();
}

/** What the platforms of these TGTs validated: where single logout goes, and with which SessionIndex. */
export async function validatedTicketsOf(db: Executor, tgtHashes: readonly string[]) {
  if (tgtHashes.length === 0) return [];
  return db
    .selectFrom('cas_tickets')
    .select(['client_id', 'service', 'session_index'])
    .where('tgt_hash', 'in', tgtHashes)
    .where('kind', 'in', ['ST', 'PT'])
    .where('session_index', 'is not', null)
    .execute();
}

/** Ends TGTs and, by the cascade, every ticket issued under them. */
export async function deleteTgts(db: Executor, tgtHashes: readonly string[]): Promise<void> {
  if (tgtHashes.length === 0) return;
  await db.deleteFrom('cas_tickets').where('ticket_hash', 'in', tgtHashes).execute();
}

/**
 * Clean-up: service and proxy tickets past their life that were never validated. A TGT (and what
 * hangs on it) is left to the single-logout sweep, which ends it once its session has ended and
 * tells its platforms first.
 */
export async function deleteExpiredTickets(db: Executor, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('cas_tickets')
    .where('expires_at', '<', now)
    .where('kind', 'in', ['ST', 'PT'])
    .where('session_index', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
