// HTTP glue of the console: the staff session cookie (its own name, SameSite=Strict, __Host- on
// HTTPS; a person's session never opens a console page), the permission guard every console
// route declares, and rendering in the console's frame.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { pagePath, renderDocument } from '../http/render.tsx';
import { ConsoleLayout } from './views/console-layout.tsx';
import { can, type Permission } from './roles.ts';
import { resolveStaffSession, type StaffDeps, type StaffSession } from './staff-auth.ts';
import type { Meta, StaffActor } from './staff-auth.ts';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffSession | undefined;
  }
  interface FastifyInstance {
    /** Where refused console requests are recorded. */
    consoleAudit: Pick<StaffDeps, 'db' | 'clock'>;
  }
}

export const CONSOLE = '/console';
const cookieName = (secure: boolean) => (secure ? '__Host-tx_staff' : 'tx_staff');

export function installConsoleSessions(app: FastifyInstance, deps: StaffDeps): void {
  app.decorateRequest('staff', undefined);
  app.decorate('consoleAudit', { db: deps.db, clock: deps.clock });
  const name = cookieName(app.cookiePolicy.secure);
  app.addHook('onRequest', async (request) => {
    if (request.url !== CONSOLE && !request.url.startsWith(`${CONSOLE}/`) && !request.url.startsWith(`${CONSOLE}?`)) return;
    const token = request.cookies[name];
    if (token) request.staff = await resolveStaffSession(deps, token);
  });
  app.errorLayouts.push({ prefix: CONSOLE, render: (request, reply, body, title, status) => renderConsole(request, reply, body, { title, status }) });
}

export function setStaffCookie(reply: FastifyReply, session: { token: string; expiresAt: Date }): void {
  const secure = reply.server.cookiePolicy.secure;
  reply.setCookie(cookieName(secure), session.token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: session.expiresAt });
}

export function clearStaffCookie(reply: FastifyReply): void {
  const secure = reply.server.cookiePolicy.secure;
  reply.clearCookie(cookieName(secure), { path: '/', httpOnly: true, sameSite: 'strict', secure });
}

/**
 * Route onRequest hook: a fully signed-in staff member whose roles grant `permission`. It runs
 * before the body is read, so nobody else can make the console parse an upload.
 */
export function requireStaff(permission: Permission, options: { whilePasswordMustChange?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = request.staff;
    if (!staff || staff.stage !== 'full') {
      if (request.method === 'GET') return reply.redirect(`${CONSOLE}/login`, 303);
      throw new AppError('console.sign_in_required', { status: 401 });
    }
    // A password an administrator set opens one page only: the one that changes it.
    if (staff.mustChangePassword && !options.whilePasswordMustChange) {
      if (request.method === 'GET') return reply.redirect(`${CONSOLE}/password`, 303);
      throw new AppError('console.password_change_first', { status: 403 });
    }
    if (!can(staff.roles, permission)) {
      // A staff member reaching past their role is worth knowing about.
      const { db, clock } = request.server.consoleAudit;
      await recordAudit(db, {
        action: 'staff.forbidden',
        actor: { kind: 'staff', id: staff.username },
        ip: request.ip,
        detail: { permission, method: request.method, path: request.url.split('?')[0]!.slice(0, 200) },
        at: clock.now(),
      });
      throw new AppError('console.forbidden', { status: 403 });
    }
  };
}

/** The signed-in staff member (after requireStaff). */
export function staffOf(request: FastifyRequest): StaffSession {
  if (!request.staff) throw new AppError('console.sign_in_required', { status: 401 });
  return request.staff;
}

/** The signed-in staff member as the audit trail names them. */
export const staffActor = (request: FastifyRequest): StaffActor => ({ username: staffOf(request).username, ip: request.ip });

export function staffMeta(request: FastifyRequest): Meta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : null };
}

export function renderConsole(request: FastifyRequest, reply: FastifyReply, body: ComponentChildren, options: { title: string; status?: number }) {
  return renderDocument(
    request,
    reply,
    options.status,
    <ConsoleLayout title={options.title} staff={request.staff} path={pagePath(request)}>
      {body}
    </ConsoleLayout>,
  );
}
