// Staff management (administrators, and `tongxing admin` for the operator): creating staff
// accounts with a first password shown once, suspending and restoring them, and starting a
// forgotten password or a lost authenticator over. Each is audited with who did it and why.
import { AppError } from '../lib/errors.ts';
import { randomToken } from '../lib/crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import type { StaffRole } from '../db/schema.ts';
import { STAFF_USERNAME, type StaffActor, type StaffDeps } from './staff-auth.ts';
import * as q from './staff-queries.ts';

/** Every staff member, for the admins' page and `tongxing admin list`. */
export async function staffMembers(deps: Pick<StaffDeps, 'db'>) {
  return q.listStaff(deps.db);
}

/** A strong first password (the staff member signs in with it, then enrols TOTP). */
export const newStaffPassword = () => randomToken(18);

export async function createStaffAccount(
  deps: Pick<StaffDeps, 'db' | 'clock' | 'hasher'>,
  input: { username: string; displayName: string; roles: StaffRole[] },
  actor: StaffActor,
): Promise<{ id: string; password: string }> {
  if (!STAFF_USERNAME.test(input.username)) throw new AppError('console.staff_username_invalid', { field: 'username' });
  if (await q.findStaffByUsername(deps.db, input.username)) throw new AppError('console.staff_username_taken', { field: 'username', status: 409 });
  const password = newStaffPassword();
  const passwordHash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (tx) => {
    const id = await q.insertStaff(tx, { ...input, passwordHash, createdBy: actor.username, now });
    await recordAudit(tx, {
      action: 'staff.created',
      actor: { kind: 'staff', id: actor.username },
      ip: actor.ip,
      detail: { staff: input.username, roles: input.roles },
      at: now,
    });
    return id;
  });
  return { id, password };
}

/** Suspends or restores a staff account; suspension ends its sessions at once. */
export async function setStaffSuspended(
  deps: Pick<StaffDeps, 'db' | 'clock'>,
  staffId: string,
  suspended: boolean,
  actor: StaffActor,
  reason: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const changed = await q.setStaffState(tx, staffId, suspended ? 'suspended' : 'active', now);
    if (!changed) throw new AppError('console.nothing_changed', { status: 409 });
    if (changed.username === actor.username) throw new AppError('console.not_yourself', { status: 409 });
    if (suspended) await q.revokeAllStaffSessions(tx, staffId, now);
    await recordAudit(tx, {
      action: suspended ? 'staff.suspended' : 'staff.restored',
      actor: { kind: 'staff', id: actor.username },
      ip: actor.ip,
      detail: { staff: changed.username, reason },
      at: now,
    });
  });
}

/** A new first password for a staff member who forgot theirs (shown once); their sessions end. */
export async function resetStaffPassword(
  deps: Pick<StaffDeps, 'db' | 'clock' | 'hasher'>,
  staffId: string,
  actor: StaffActor,
  reason: string,
): Promise<{ username: string; password: string }> {
  const password = newStaffPassword();
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const staff = await q.findStaffById(tx, staffId);
    if (!staff) throw new AppError('console.not_found', { status: 404 });
    if (staff.username === actor.username) throw new AppError('console.not_yourself', { status: 409 });
    await q.setStaffPassword(tx, staffId, hash, true, now);
    await q.revokeAllStaffSessions(tx, staffId, now);
    await recordAudit(tx, {
      action: 'staff.password_reset',
      actor: { kind: 'staff', id: actor.username },
      ip: actor.ip,
      detail: { staff: staff.username, reason },
      at: now,
    });
    return { username: staff.username, password };
  });
}

/** Starts TOTP over for a staff member who lost the device and the codes: next sign-in enrols. */
export async function resetStaffTotp(deps: Pick<StaffDeps, 'db' | 'clock'>, staffId: string, actor: StaffActor, reason: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const staff = await q.findStaffById(tx, staffId);
    if (!staff) throw new AppError('console.not_found', { status: 404 });
    await q.setStaffTotp(tx, staffId, null, now, null);
    await q.replaceRecoveryCodes(tx, staffId, [], now);
    await q.revokeAllStaffSessions(tx, staffId, now);
    await recordAudit(tx, {
      action: 'staff.totp_reset',
      actor: { kind: 'staff', id: actor.username },
      ip: actor.ip,
      detail: { staff: staff.username, reason },
      at: now,
    });
  });
}

/** Changes what a member may do; it applies from their next request (sessions read roles each time). */
export async function setStaffRoles(
  deps: Pick<StaffDeps, 'db' | 'clock'>,
  staffId: string,
  roles: StaffRole[],
  actor: StaffActor,
  reason: string,
): Promise<void> {
  if (roles.length === 0) throw new AppError('console.staff_roles_required', { field: 'roles' });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const staff = await q.findStaffById(tx, staffId);
    if (!staff) throw new AppError('console.not_found', { status: 404 });
    // Nobody takes away their own administrator role by mistake and locks everyone out.
    if (staff.username === actor.username) throw new AppError('console.not_yourself', { status: 409 });
    await q.setStaffRoles(tx, staffId, roles, now);
    await recordAudit(tx, {
      action: 'staff.roles_changed',
      actor: { kind: 'staff', id: actor.username },
      ip: actor.ip,
      detail: { staff: staff.username, from: staff.roles, to: roles, reason },
      at: now,
    });
  });
}
