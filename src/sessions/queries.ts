// SQL for sign-in sessions. The token itself is never stored, only its keyed hash.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { AuthMethod } from '../db/schema.ts';

export async function insertSession(
  db: Executor,
  row: {
    tokenHash: Buffer;
    accountId: string;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
    methods: AuthMethod[];
    consentDue: boolean;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('sessions')
    .values({
      token_hash: row.tokenHash,
      account_id: row.accountId,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
      revoked_at: null,
      ip: row.ip,
      user_agent: row.userAgent,
      authenticated_at: row.now,
      auth_methods: row.methods,
      consent_due: row.consentDue,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The session with what every signed-in page shows of its account (contacts, state, real-name
 * summary), in one round trip: a page view then needs no second query to know who is asking.
 */
function sessionLookup(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('identities', 'identities.account_id', 'sessions.account_id')
    .select([
      'sessions.id',
      'sessions.account_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.authenticated_at',
      'sessions.auth_methods',
      'sessions.consent_due',
      'accounts.state as account_state',
      'accounts.kind as account_kind',
      'accounts.phone',
      'accounts.email',
      'accounts.phone_verified_at',
      'accounts.email_verified_at',
      'accounts.registered_via',
      'accounts.created_at as account_created_at',
      'accounts.realname_bound_at',
      'identities.name as identity_name',
      'identities.id_type as identity_type',
      'identities.id_masked as identity_masked',
      'identities.verifier_result as identity_verifier_result',
      'accounts.inbox_unread',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null);
}

type SessionRow = NonNullable<Awaited<ReturnType<ReturnType<typeof sessionLookup>['executeTakeFirst']>>>;

// Every signed-in request runs this lookup; building it with Kysely each time cost more CPU than
// the database spent answering it. It is compiled once (its only parameter is the token hash).
let lookupSql: string | undefined;

export async function findLiveSessionByHash(db: Executor, tokenHash: Buffer): Promise<SessionRow | undefined> {
  lookupSql ??= sessionLookup(db, tokenHash).compile().sql;
  const result = await db.executeQuery<SessionRow>(CompiledQuery.raw(lookupSql, [tokenHash]));
  return result.rows[0];
}

/** The account agreed to the current documents: none of its live sessions is held at /consent any more. */
export async function clearConsentDue(db: Executor, accountId: string): Promise<void> {
  await db.updateTable('sessions').set({ consent_due: false }).where('account_id', '=', accountId).where('consent_due', '=', true).execute();
}

export async function touchSession(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** The password was typed again in this session (fresh sign-in for sensitive settings). */
export async function markAuthenticated(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ authenticated_at: at }).where('id', '=', id).execute();
}

export async function revokeSession(db: Executor, accountId: string, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeOtherSessions(db: Executor, accountId: string, keepId: string | null, at: Date): Promise<number> {
  let query = db.updateTable('sessions').set({ revoked_at: at }).where('account_id', '=', accountId).where('revoked_at', 'is', null);
  if (keepId) query = query.where('id', '<>', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listLiveSessions(db: Executor, accountId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Sessions that expired or were ended before `before`. */
export async function deleteSessionsEndedBefore(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A deregistered account's retention is over: where and on what its sessions were goes. */
export async function forgetDevicesOf(db: Executor, accountId: string): Promise<number> {
  const rows = await db.updateTable('sessions').set({ ip: null, user_agent: null }).where('account_id', '=', accountId).returning('id').execute();
  return rows.length;
}
