// What each staff role may do. Roles combine (a person may review and do support); admin may do
// everything, including managing staff. Pages and actions name the permission they need.
import type { StaffRole } from '../db/schema.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['reviewer', 'support', 'records', 'admin'];

export type Permission = 'dashboard' | 'reviews' | 'accounts' | 'enterprise' | 'records' | 'staff' | 'platforms' | 'support';

const GRANTS: Record<StaffRole, readonly Permission[]> = {
  reviewer: ['dashboard', 'reviews'],
  support: ['dashboard', 'accounts', 'enterprise', 'support'],
  records: ['dashboard', 'records'],
  // Platforms decide who may sign people in and what they learn: administrators only.
  admin: ['dashboard', 'reviews', 'accounts', 'enterprise', 'records', 'staff', 'platforms', 'support'],
};

export function can(roles: readonly StaffRole[], permission: Permission): boolean {
  return roles.some((role) => GRANTS[role]?.includes(permission));
}

export function parseRoles(value: string): StaffRole[] | undefined {
  const roles = [...new Set(value.split(/[,\s]+/).filter(Boolean))];
  if (roles.length === 0 || !roles.every((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r))) return undefined;
  return roles as StaffRole[];
}
