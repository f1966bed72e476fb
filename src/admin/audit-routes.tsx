// /console/audit (admins): what staff did — newest first, for one staff member or everyone —
// read from the same append-only audit trail the account timelines come from.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { listStaffActions } from '../audit/audit.ts';
import { CONSOLE, renderConsole, requireStaff } from './console-http.tsx';
import { STAFF_USERNAME } from './staff-auth.ts';
import { AuditPage } from './views/audit-page.tsx';

export function registerAuditPage(app: FastifyInstance, deps: { db: Db }): void {
  app.get<{ Querystring: { staff?: string } }>(`${CONSOLE}/audit`, { onRequest: requireStaff('staff') }, async (request, reply) => {
    const typed = typeof request.query.staff === 'string' ? request.query.staff.trim().toLowerCase() : '';
    const username = STAFF_USERNAME.test(typed) ? typed : '';
    return renderConsole(request, reply, <AuditPage username={username} events={await listStaffActions(deps.db, username || undefined)} />, {
      title: request.t('console.audit_title'),
    });
  });
}
