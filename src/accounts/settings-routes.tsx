// 帐号管理 settings pages: 修改密码, 安全记录, and 确认密码 (the fresh sign-in that sensitive changes
// need). HTTP only: parse, call the service, render. Phone and email changes are contacts/.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { allFieldChecks, formBody, parseInput } from '../http/forms.ts';
import { AppError } from '../lib/errors.ts';
import { passwordProblem } from './rules.ts';
import { formFailure } from '../http/page-errors.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import type { AccountDeps } from './deps.ts';
import { changePassword } from './password-change-service.ts';
import { confirmationAsksCode, confirmPassword } from './fresh-sign-in.ts';
import { securityLog } from './security-log.ts';
import { ChangePasswordPage } from './views/change-password.tsx';
import { ConfirmPasswordPage } from './views/confirm-password.tsx';
import { SecurityLogPage } from './views/security-log.tsx';
import { requestMeta } from '../http/request-meta.ts';

const passwordForm = z
  .object({ currentPassword: z.string().max(128), password: z.string().max(128), password2: z.string().optional(), endOthers: z.string().optional() })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

export function registerSettingsPages(app: FastifyInstance, deps: AccountDeps): void {
  // ---- 修改密码
  app.get('/account/password', { preHandler: requirePageSession }, async (request, reply) => {
    const ended = (request.query as Record<string, unknown>).ended;
    const notice =
      typeof ended === 'string' && /^\d+$/.test(ended)
        ? request.t(Number(ended) > 0 ? 'settings.password_changed_ended' : 'settings.password_changed', { count: Number(ended) })
        : undefined;
    return renderPage(request, reply, <ChangePasswordPage errors={{}} notice={notice} />, { title: request.t('settings.password_title') });
  });

  app.post('/account/password', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      // Everything that needs no secret, at once: the form, and the new password's rules (which
      // changePassword checks again after the current password).
      const account = request.session!.account;
      const username = (account.registeredVia === 'phone' ? account.phone : account.email) ?? undefined;
      const [input] = allFieldChecks(
        () => parseInput(passwordForm, body),
        () => {
          const problem = passwordProblem(body.password ?? '', username);
          if (problem) throw new AppError(problem, { field: 'password' });
          if (body.password && body.password === body.currentPassword) throw new AppError('settings.password_same', { field: 'password' });
        },
      );
      const { endedSessions } = await changePassword(
        deps,
        request.session!,
        { currentPassword: input.currentPassword, password: input.password, endOtherSessions: input.endOthers === '1' },
        requestMeta(request),
      );
      return reply.redirect(`/account/password?ended=${endedSessions}`, 303);
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <ChangePasswordPage errors={f.errors} formError={f.formError} endOthers={body.endOthers === '1'} />, {
        title: request.t('settings.password_title'),
        status: f.status,
      });
    }
  });

  // ---- 确认密码
  app.get('/account/confirm-password', { preHandler: requirePageSession }, async (request, reply) => {
    const next = safeLocalPath((request.query as Record<string, unknown>).next as string | undefined, '/account');
    const askCode = await confirmationAsksCode(deps, request.session!.accountId);
    return renderPage(request, reply, <ConfirmPasswordPage next={next} errors={{}} reason="settings.reauth_required" askCode={askCode} />, {
      title: request.t('settings.confirm_title'),
    });
  });

  app.post('/account/confirm-password', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const next = safeLocalPath(body.next, '/account');
    try {
      await confirmPassword(deps, request.session!, { password: body.currentPassword ?? '', code: body.code }, requestMeta(request));
      return reply.redirect(next, 303);
    } catch (error) {
      const f = formFailure(error);
      const askCode = await confirmationAsksCode(deps, request.session!.accountId);
      return renderPage(request, reply, <ConfirmPasswordPage next={next} errors={f.errors} formError={f.formError} askCode={askCode} />, {
        title: request.t('settings.confirm_title'),
        status: f.status,
      });
    }
  });

  // ---- 安全记录
  app.get('/account/security', { preHandler: requirePageSession }, async (request, reply) => {
    const log = await securityLog(deps, request.session!.accountId);
    return renderPage(request, reply, <SecurityLogPage {...log} />, { title: request.t('security.title') });
  });
}
