// `tongxing admin create --username U --name N --roles reviewer,support` makes a staff account and
// prints its first password once (the first sign-in enrols TOTP); `admin list`; `admin reset-totp U`
// for a staff member who lost both the authenticator and the recovery codes. An operator at the
// server acts as "operator" in the audit trail.
import type { Config } from '../config.ts';
import { systemClock } from '../lib/clock.ts';
import { createPasswordHasher } from '../lib/passwords.ts';
import { AppError } from '../lib/errors.ts';
import { STAFF_ROLES, parseRoles } from '../admin/roles.ts';
import { createStaffAccount, resetStaffPassword, resetStaffTotp, setStaffRoles } from '../admin/staff-management.ts';
import { findStaffByUsername, listStaff } from '../admin/staff-queries.ts';
import { option, withDatabase } from './context.ts';

const USAGE = `usage: tongxing admin create --username NAME --name DISPLAY --roles ${STAFF_ROLES.join(',')}
       tongxing admin list
       tongxing admin reset-totp USERNAME --reason TEXT
       tongxing admin reset-password USERNAME --reason TEXT
       tongxing admin set-roles USERNAME --roles ${STAFF_ROLES.join(',')} --reason TEXT`;

const OPERATOR = { username: 'operator', ip: null };

export async function runAdminCli(config: Config, args: string[]): Promise<number> {
  const one = (name: string) => option(args, name);
  return withDatabase(config, async (db) => {
    try {
      if (args[0] === 'list') {
        for (const s of await listStaff(db)) {
          console.log(
            `${s.username.padEnd(20)} ${s.display_name.padEnd(12)} ${s.roles.join(',').padEnd(28)} ${s.state.padEnd(10)} totp=${s.totp_enrolled_at ? 'enrolled' : 'not yet'}`,
          );
        }
        return 0;
      }
      if (args[0] === 'create') {
        const username = one('username')?.trim().toLowerCase();
        const roles = parseRoles(one('roles') ?? '');
        if (!username || !roles) {
          console.error(USAGE);
          return 2;
        }
        const hasher = createPasswordHasher(config.argon2);
        const created = await createStaffAccount(
          { db, clock: systemClock, hasher },
          { username, displayName: one('name')?.trim() || username, roles },
          OPERATOR,
        );
        console.log(`created staff account ${username} (${roles.join(', ')})`);
        console.log(`first password (shown once): ${created.password}`);
        console.log('sign in at /console/login; the first sign-in sets up the authenticator app (TOTP).');
        return 0;
      }
      // The commands that act on one named member with a reason.
      const target = args[1] && one('reason') ? await findStaffByUsername(db, args[1]) : undefined;
      const reason = one('reason')!;
      if (args[1] && one('reason') && ['set-roles', 'reset-password', 'reset-totp'].includes(args[0] ?? '') && !target) {
        console.error(`no staff account ${args[1]}`);
        return 1;
      }
      if (args[0] === 'set-roles' && target) {
        const roles = parseRoles(one('roles') ?? '');
        if (!roles) {
          console.error(USAGE);
          return 2;
        }
        await setStaffRoles({ db, clock: systemClock }, target.id, roles, OPERATOR, reason);
        console.log(`${target.username} now has roles ${roles.join(', ')}`);
        return 0;
      }
      if (args[0] === 'reset-password' && target) {
        const reset = await resetStaffPassword({ db, clock: systemClock, hasher: createPasswordHasher(config.argon2) }, target.id, OPERATOR, reason);
        console.log(`new first password for ${reset.username} (shown once; changed at the next sign-in): ${reset.password}`);
        return 0;
      }
      if (args[0] === 'reset-totp' && target) {
        await resetStaffTotp({ db, clock: systemClock }, target.id, OPERATOR, reason);
        console.log(`${target.username} will set up TOTP again at the next sign-in; their sessions ended`);
        return 0;
      }
      console.error(USAGE);
      return 2;
    } catch (error) {
      if (error instanceof AppError) {
        console.error(`refused: ${error.code}`);
        return 1;
      }
      throw error;
    }
  });
}
