// /console/login → /console/login/code (or /console/enrol the first time) → /console.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { clearStaffCookie, CONSOLE, renderConsole, requireStaff, setStaffCookie, staffMeta, staffOf } from './console-http.tsx';
import {
  changeStaffPassword,
  completeEnrolment,
  completeSecondFactor,
  enrolmentSecret,
  signInWithPassword,
  signOutStaff,
  type StaffDeps,
} from './staff-auth.ts';
import { EnrolPage, RecoveryCodesPage, SecondFactorPage, StaffLoginPage, StaffPasswordPage } from './views/sign-in-pages.tsx';

const loginForm = z.object({
  username: z.string().trim().toLowerCase().min(1, 'console.username_required').max(64, 'console.username_required'),
  password: z.string().min(1, 'console.password_required').max(128, 'console.password_required'),
});
const codeForm = z.object({ code: z.string().trim().min(1, 'console.code_required').max(16, 'console.code_wrong') });

const ISSUER = '通行帐号客服';

export function registerStaffSignIn(app: FastifyInstance, deps: StaffDeps): void {
  app.get(`${CONSOLE}/login`, async (request, reply) => {
    if (request.staff?.stage === 'full') return reply.redirect(CONSOLE, 303);
    return renderConsole(request, reply, <StaffLoginPage errors={{}} />, { title: request.t('console.login_title') });
  });

  app.post(`${CONSOLE}/login`, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const input = parseInput(loginForm, body);
      const session = await signInWithPassword(deps, input.username, input.password, staffMeta(request));
      setStaffCookie(reply, session);
      return reply.redirect(`${CONSOLE}/login/code`, 303);
    } catch (error) {
      const f = formFailure(error);
      return renderConsole(request, reply, <StaffLoginPage username={body.username} errors={f.errors} formError={f.formError} />, {
        title: request.t('console.login_title'),
        status: f.status,
      });
    }
  });

  // The second step: the code page, or enrolment for a staff member without TOTP yet.
  app.get(`${CONSOLE}/login/code`, async (request, reply) => {
    const staff = request.staff;
    if (!staff) return reply.redirect(`${CONSOLE}/login`, 303);
    if (staff.stage === 'full') return reply.redirect(CONSOLE, 303);
    if (staff.stage === 'enrol') return reply.redirect(`${CONSOLE}/enrol`, 303);
    return renderConsole(request, reply, <SecondFactorPage errors={{}} />, { title: request.t('console.code_title') });
  });

  app.post(`${CONSOLE}/login/code`, async (request, reply) => {
    const staff = request.staff;
    if (!staff) return reply.redirect(`${CONSOLE}/login`, 303);
    try {
      const { code } = parseInput(codeForm, formBody(request.body));
      const full = await completeSecondFactor(deps, staff, code, staffMeta(request));
      setStaffCookie(reply, full);
      return reply.redirect(full.recoveryCodesLeft < 3 ? `${CONSOLE}?codes_low=${full.recoveryCodesLeft}` : CONSOLE, 303);
    } catch (error) {
      const f = formFailure(error);
      return renderConsole(request, reply, <SecondFactorPage errors={f.errors} formError={f.formError} />, {
        title: request.t('console.code_title'),
        status: f.status,
      });
    }
  });

  app.get(`${CONSOLE}/enrol`, async (request, reply) => {
    const staff = request.staff;
    if (!staff || staff.stage !== 'enrol') return reply.redirect(`${CONSOLE}/login`, 303);
    const { uri, secret } = await enrolmentSecret(deps, staff, ISSUER);
    return renderConsole(request, reply, <EnrolPage uri={uri} secret={secret} errors={{}} />, { title: request.t('console.enrol_title') });
  });

  app.post(`${CONSOLE}/enrol`, async (request, reply) => {
    const staff = request.staff;
    if (!staff || staff.stage !== 'enrol') return reply.redirect(`${CONSOLE}/login`, 303);
    try {
      const { code } = parseInput(codeForm, formBody(request.body));
      const full = await completeEnrolment(deps, staff, code, staffMeta(request));
      setStaffCookie(reply, full);
      return renderConsole(request, reply, <RecoveryCodesPage codes={full.recoveryCodes} />, { title: request.t('console.recovery_title') });
    } catch (error) {
      const f = formFailure(error);
      const { uri, secret } = await enrolmentSecret(deps, staff, ISSUER);
      return renderConsole(request, reply, <EnrolPage uri={uri} secret={secret} errors={f.errors} formError={f.formError} />, {
        title: request.t('console.enrol_title'),
        status: f.status,
      });
    }
  });

  // Every role may change its own password.
  const signedIn = { onRequest: requireStaff('dashboard', { whilePasswordMustChange: true }) };
  const passwordForm = z
    .object({ current: z.string().max(128), password: z.string().max(128), password2: z.string().max(128) })
    .refine((f) => f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/password`, signedIn, async (request, reply) =>
    renderConsole(request, reply, <StaffPasswordPage errors={{}} done={request.query.done === '1'} mustChange={staffOf(request).mustChangePassword} />, {
      title: request.t('settings.password_title'),
    }),
  );

  app.post(`${CONSOLE}/password`, signedIn, async (request, reply) => {
    try {
      const input = parseInput(passwordForm, formBody(request.body));
      await changeStaffPassword(deps, staffOf(request), input.current, input.password, staffMeta(request));
      return reply.redirect(`${CONSOLE}/password?done=1`, 303);
    } catch (error) {
      const f = formFailure(error);
      return renderConsole(request, reply, <StaffPasswordPage errors={f.errors} mustChange={staffOf(request).mustChangePassword} />, {
        title: request.t('settings.password_title'),
        status: f.status,
      });
    }
  });

  app.post(`${CONSOLE}/logout`, async (request, reply) => {
    if (request.staff) await signOutStaff(deps, request.staff, staffMeta(request));
    clearStaffCookie(reply);
    return reply.redirect(`${CONSOLE}/login`, 303);
  });
}
