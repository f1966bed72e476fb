// GET /console: the overview every staff role may see. Sign-in lands here, with ?codes_low=N when
// the staff member is running out of recovery codes.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { CONSOLE, renderConsole, requireStaff } from './console-http.tsx';
import { dashboardData } from './dashboard-service.ts';
import { DashboardPage } from './views/dashboard-page.tsx';

export function registerDashboard(app: FastifyInstance, deps: { db: Db; clock: Clock }): void {
  app.get<{ Querystring: { codes_low?: string } }>(CONSOLE, { onRequest: requireStaff('dashboard') }, async (request, reply) => {
    // A single digit only: anything else in the query string is ignored, never echoed.
    const low = request.query.codes_low;
    const codesLow = typeof low === 'string' && /^[0-9]$/.test(low) ? Number(low) : undefined;
    const data = await dashboardData(deps);
    return renderConsole(request, reply, <DashboardPage data={data} codesLow={codesLow} />, { title: request.t('console.dashboard_title') });
  });
}
