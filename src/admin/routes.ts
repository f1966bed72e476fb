// The staff console under /console: every page declares the permission it needs (roles.ts);
// staff sign in with their own accounts (password + TOTP), never with a person's session.
import type { FastifyInstance } from 'fastify';
import type { AccountDeps } from '../accounts/deps.ts';
import type { StaffDeps } from './staff-auth.ts';
import { installConsoleSessions } from './console-http.tsx';
import { registerStaffSignIn } from './sign-in-routes.tsx';
import { registerReviewPages } from './review-routes.tsx';
import { registerObjectionPages } from './objection-routes.tsx';
import { registerDisputeCasePages } from './dispute-routes.tsx';
import { registerAccountPages } from './account-routes.tsx';
import { registerAccountList } from './account-list-routes.tsx';
import { registerStaffPages } from './staff-routes.tsx';
import { registerRecordsPages } from './records-routes.tsx';
import { registerEnterpriseRequestPages } from './enterprise-routes.tsx';
import { registerDashboard } from './dashboard-routes.tsx';
import { registerAuditPage } from './audit-routes.tsx';
import { registerPlatformPages } from './platform-routes.tsx';
import { registerSupportQueue } from './support-routes.tsx';
import type { Inbox } from '../inbox/service.ts';

export function registerConsole(app: FastifyInstance, deps: AccountDeps, staff: StaffDeps, options: { allowLoopbackHttp: boolean; inbox: Inbox }): void {
  installConsoleSessions(app, staff);
  registerStaffSignIn(app, staff);
  registerDashboard(app, deps);
  registerReviewPages(app, deps);
  registerObjectionPages(app, deps);
  registerAccountPages(app, deps);
  registerAccountList(app, deps);
  registerStaffPages(app, staff);
  registerAuditPage(app, staff);
  registerRecordsPages(app, deps);
  registerEnterpriseRequestPages(app, deps);
  registerDisputeCasePages(app, deps);
  registerPlatformPages(app, deps, options.allowLoopbackHttp);
  registerSupportQueue(app, deps, options.inbox);
}
