// SQL for staff accounts, their sessions and recovery codes.
import type { Executor } from '../db/client.ts';
import type { StaffRole, StaffSessionStage } from '../db/schema.ts';

export async function findStaffByUsername(db: Executor, username: string) {
  return db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findStaffById(db: Executor, id: string) {
  return db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export type StaffRow = NonNullable<Awaited<ReturnType<typeof findStaffById>>>;

export async function insertStaff(
  db: Executor,
  row: { username: string; displayName: string; roles: StaffRole[]; passwordHash: string; createdBy: string; now: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('staff_accounts')
    .values({
      username: row.username,
      display_name: row.displayName,
      roles: row.roles,
      password_hash: row.passwordHash,
      state: 'active',
      totp_key_id: null,
      totp_cipher: null,
      totp_enrolled_at: null,
      totp_last_step: null,
      created_at: row.now,
      created_by: row.createdBy,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function listStaff(db: Executor) {
  return db
    .selectFrom('staff_accounts')
    .select(['id', 'username', 'display_name', 'roles', 'state', 'totp_enrolled_at', 'created_at', 'created_by'])
    .orderBy('username')
    .execute();
}

export async function setStaffState(db: Executor, id: string, state: 'active' | 'suspended', at: Date) {
  return db
    .updateTable('staff_accounts')
    .set({ state, updated_at: at })
    .where('id', '=', id)
    .where('state', '<>', state)
    .returning('username')
    .executeTakeFirst();
}

/** A password an administrator set must be changed at the next sign-in; one the member chose need not. */
export async function setStaffPassword(db: Executor, id: string, passwordHash: string, setByAdministrator: boolean, at: Date) {
  await db
    .updateTable('staff_accounts')
    .set({ password_hash: passwordHash, must_change_password: setByAdministrator, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function setStaffTotp(db: Executor, id: string, sealed: { keyId: string; data: Buffer } | null, at: Date, step: number | null) {
  await db
    .updateTable('staff_accounts')
    .set({ totp_key_id: sealed?.keyId ?? null, totp_cipher: sealed?.data ?? null, totp_enrolled_at: sealed ? at : null, totp_last_step: step, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Enrols the authenticator only where none is enrolled; false when one already is. */
export async function enrolStaffTotp(db: Executor, id: string, sealed: { keyId: string; data: Buffer }, at: Date, step: number): Promise<boolean> {
  const updated = await db
    .updateTable('staff_accounts')
    .set({ totp_key_id: sealed.keyId, totp_cipher: sealed.data, totp_enrolled_at: at, totp_last_step: step, updated_at: at })
    .where('id', '=', id)
    .where('totp_enrolled_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function revokeHalfwayStaffSessions(db: Executor, staffId: string, at: Date) {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: at, pending_totp_cipher: null, pending_totp_key_id: null })
    .where('staff_id', '=', staffId)
    .where('stage', '<>', 'full')
    .where('revoked_at', 'is', null)
    .execute();
}

/** Records the step just used; false when another request used this step or a later one first. */
export async function advanceTotpStep(db: Executor, id: string, step: number): Promise<boolean> {
  const updated = await db
    .updateTable('staff_accounts')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Executor, staffId: string, hashes: Buffer[], at: Date) {
  await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
  if (hashes.length)
    await db
      .insertInto('staff_recovery_codes')
      .values(hashes.map((code_hash) => ({ staff_id: staffId, code_hash, created_at: at, used_at: null })))
      .execute();
}

/** Spends a recovery code: true only for the one request that marks it used. */
export async function useRecoveryCode(db: Executor, staffId: string, hash: Buffer, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('staff_recovery_codes')
    .set({ used_at: at })
    .where('staff_id', '=', staffId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function unusedRecoveryCodes(db: Executor, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertStaffSession(
  db: Executor,
  row: { tokenHash: Buffer; staffId: string; stage: StaffSessionStage; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<string> {
  const inserted = await db
    .insertInto('staff_sessions')
    .values({
      token_hash: row.tokenHash,
      staff_id: row.staffId,
      stage: row.stage,
      pending_totp_cipher: null,
      pending_totp_key_id: null,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
      revoked_at: null,
      ip: row.ip,
      user_agent: row.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findLiveStaffSession(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('staff_sessions')
    .innerJoin('staff_accounts', 'staff_accounts.id', 'staff_sessions.staff_id')
    .select([
      'staff_sessions.id',
      'staff_sessions.stage',
      'staff_sessions.last_seen_at',
      'staff_sessions.expires_at',
      'staff_accounts.id as staff_id',
      'staff_accounts.username',
      'staff_accounts.display_name',
      'staff_accounts.roles',
      'staff_accounts.state',
      'staff_accounts.totp_enrolled_at',
      'staff_accounts.must_change_password',
    ])
    .where('staff_sessions.token_hash', '=', tokenHash)
    .where('staff_sessions.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function pendingTotpOf(db: Executor, sessionId: string) {
  return db
    .selectFrom('staff_sessions')
    .select(['pending_totp_cipher', 'pending_totp_key_id'])
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchStaffSession(db: Executor, id: string, at: Date) {
  await db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function setPendingTotp(db: Executor, sessionId: string, sealed: { keyId: string; data: Buffer }) {
  await db.updateTable('staff_sessions').set({ pending_totp_cipher: sealed.data, pending_totp_key_id: sealed.keyId }).where('id', '=', sessionId).execute();
}

/** Ends a session; a secret it was enrolling is dropped with it (no copy outlives enrolment). */
export async function revokeStaffSession(db: Executor, id: string, at: Date) {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: at, pending_totp_cipher: null, pending_totp_key_id: null })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeAllStaffSessions(db: Executor, staffId: string, at: Date) {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: at, pending_totp_cipher: null, pending_totp_key_id: null })
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Staff sessions that expired or were ended before `before`. */
export async function deleteStaffSessionsEndedBefore(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('staff_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function totpSecretsUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('staff_accounts').select(['id', 'totp_key_id', 'totp_cipher']).where('totp_key_id', '<>', activeKeyId).execute();
}

export async function replaceTotpCipher(db: Executor, id: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db.updateTable('staff_accounts').set({ totp_key_id: keyId, totp_cipher: cipher }).where('id', '=', id).where('totp_key_id', '=', oldKeyId).execute();
}

/** Every session of the member but `keepId` ends (a password change keeps the one that made it). */
export async function endOtherStaffSessions(db: Executor, staffId: string, keepId: string, at: Date): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: at })
    .where('staff_id', '=', staffId)
    .where('id', '<>', keepId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function setStaffRoles(db: Executor, staffId: string, roles: StaffRole[], at: Date): Promise<void> {
  await db.updateTable('staff_accounts').set({ roles, updated_at: at }).where('id', '=', staffId).execute();
}
