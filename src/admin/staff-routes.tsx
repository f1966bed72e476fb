// /console/staff: staff management for admins.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, ValidationError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import { firstFailureCode, formFailure } from '../http/page-errors.ts';
import type { StaffRole } from '../db/schema.ts';
import { CONSOLE, renderConsole, requireStaff, staffOf, staffActor } from './console-http.tsx';
import { uuidParam } from './params.ts';
import { reasonField } from './reason.ts';
import { STAFF_ROLES } from './roles.ts';
import type { StaffDeps } from './staff-auth.ts';
import { createStaffAccount, resetStaffPassword, resetStaffTotp, setStaffRoles, setStaffSuspended, staffMembers } from './staff-management.ts';
import { StaffPage } from './views/staff-pages.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';

const createForm = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9._-]{2,31}$/, 'console.staff_username_invalid'),
  displayName: z.string().trim().min(1, 'console.staff_name_required').max(40, 'console.staff_name_required'),
});

const rolesIn = (body: Record<string, string>) => STAFF_ROLES.filter((r) => body[`role_${r}`] === '1') as StaffRole[];

const NOTICES: Record<string, MessageKey> = {
  roles: 'console.staff_roles_done',
  suspend: 'console.staff_suspended_done',
  restore: 'console.staff_restored_done',
  'reset-totp': 'console.staff_totp_reset_done',
};

export function registerStaffPages(app: FastifyInstance, deps: StaffDeps): void {
  const guard = { onRequest: requireStaff('staff') };
  const show = async (request: FastifyRequest, reply: FastifyReply, extra: Omit<Parameters<typeof StaffPage>[0], 'staff' | 'me'> & { status?: number } = {}) =>
    renderConsole(request, reply, <StaffPage staff={await staffMembers(deps)} me={staffOf(request).username} {...extra} />, {
      title: request.t('console.staff_title'),
      ...(extra.status ? { status: extra.status } : {}),
    });

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/staff`, guard, async (request, reply) =>
    show(request, reply, { notice: own(NOTICES, request.query.done) }),
  );

  app.post(`${CONSOLE}/staff`, guard, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const input = parseInput(createForm, body);
      const roles = rolesIn(body);
      if (roles.length === 0) throw new ValidationError({ roles: { code: 'console.staff_roles_required' } });
      const created = await createStaffAccount(deps, { ...input, roles }, staffActor(request));
      return show(request, reply, { created: { username: input.username, password: created.password } });
    } catch (error) {
      const f = formFailure(error);
      const { _csrf: _token, ...values } = body;
      return show(request, reply, { errors: f.errors, error: f.formError?.code, status: f.status, values });
    }
  });

  app.post<{ Params: { id: string; action: string } }>(`${CONSOLE}/staff/:id/:action`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    const action = request.params.action;
    try {
      const { reason } = parseInput(z.object({ reason: reasonField }), formBody(request.body));
      if (action === 'suspend' || action === 'restore') await setStaffSuspended(deps, id, action === 'suspend', staffActor(request), reason);
      else if (action === 'reset-totp') await resetStaffTotp(deps, id, staffActor(request), reason);
      else if (action === 'roles') await setStaffRoles(deps, id, rolesIn(formBody(request.body)), staffActor(request), reason);
      else if (action === 'reset-password')
        return await show(request, reply, { passwordReset: await resetStaffPassword(deps, id, staffActor(request), reason) });
      else throw new AppError('console.not_found', { status: 404 });
      return reply.redirect(`${CONSOLE}/staff?done=${action}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 404) throw error;
      return show(request, reply, { error: firstFailureCode(error), status: error.status });
    }
  });
}
