// 帐号管理 settings pages: 修改密码, 更换手机号, 更换邮箱, 安全记录, and 确认密码 (the fresh sign-in the
// contact changes need). HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/context.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { AppError } from '../lib/errors.ts';
import { maskContact } from '../lib/mask.ts';
import type { AccountDeps } from './deps.ts';
import { codeField, emailField, phoneField } from './rules.ts';
import { changePassword } from './password-change-service.ts';
import { changeContact, sendContactChangeCode, type ContactChannel } from './contact-change-service.ts';
import { confirmPassword } from './fresh-sign-in.ts';
import { requireFreshPageSession } from './fresh-sign-in-hooks.ts';
import { securityLog } from './security-log.ts';
import { ChangePasswordPage } from './views/change-password.tsx';
import { ChangeContactPage, type ChangeContactProps } from './views/change-contact.tsx';
import { ConfirmPasswordPage } from './views/confirm-password.tsx';
import { SecurityLogPage } from './views/security-log.tsx';

const passwordForm = z
  .object({ currentPassword: z.string().max(128), password: z.string().max(128), password2: z.string().optional(), endOthers: z.string().optional() })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });
const targetSchema = (channel: ContactChannel) => z.object(channel === 'phone' ? { phone: phoneField } : { email: emailField });
const changeSchema = (channel: ContactChannel) => z.object({ ...targetSchema(channel).shape, code: codeField });

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
      const input = parseInput(passwordForm, body);
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
    return renderPage(request, reply, <ConfirmPasswordPage next={next} errors={{}} formError={{ code: 'settings.reauth_required' }} />, {
      title: request.t('settings.confirm_title'),
    });
  });

  app.post('/account/confirm-password', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const next = safeLocalPath(body.next, '/account');
    try {
      await confirmPassword(deps, request.session!, body.currentPassword ?? '', requestMeta(request));
      return reply.redirect(next, 303);
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <ConfirmPasswordPage next={next} errors={f.errors} formError={f.formError} />, {
        title: request.t('settings.confirm_title'),
        status: f.status,
      });
    }
  });

  // ---- 更换手机号 / 更换邮箱
  for (const channel of ['phone', 'email'] as const) {
    const page = (request: FastifyRequest, reply: FastifyReply, props: Omit<ChangeContactProps, 'channel' | 'current' | 'isUsername'>, status = 200) => {
      const a = request.session!.account;
      const proved = channel === 'phone' ? (a.phoneVerifiedAt ? a.phone : null) : a.emailVerifiedAt ? a.email : null;
      const current = proved ? maskContact(channel, proved) : undefined;
      const title = request.t(`settings.${channel}${current ? '' : '_bind'}_title`);
      return renderPage(request, reply, <ChangeContactPage channel={channel} current={current} isUsername={a.registeredVia === channel} {...props} />, {
        title,
        status,
      });
    };
    const fresh = { preHandler: requireFreshPageSession(deps) };

    app.get(`/account/${channel}`, fresh, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const outcome = query.changed === '1' ? 'changed' : query.bound === '1' ? 'bound' : undefined;
      const a = request.session!.account;
      const now = channel === 'phone' ? a.phone : a.email;
      const notice = outcome && now ? request.t(`settings.${channel}_${outcome}`, { value: maskContact(channel, now) }) : undefined;
      return page(request, reply, { value: undefined, errors: {}, notice });
    });

    app.post(`/account/${channel}/code`, fresh, async (request, reply) => {
      const body = formBody(request.body);
      try {
        const input = parseInput(targetSchema(channel), body) as { phone?: string; email?: string };
        const { sentTo } = await sendContactChangeCode(
          deps,
          request.session!,
          channel,
          (channel === 'phone' ? input.phone : input.email)!,
          requestMeta(request),
        );
        return page(request, reply, { value: body[channel], errors: {}, sentTo });
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { value: body[channel], errors: f.errors, formError: f.formError }, f.status);
      }
    });

    app.post(`/account/${channel}`, fresh, async (request, reply) => {
      const body = formBody(request.body);
      try {
        const input = parseInput(changeSchema(channel), body) as { phone?: string; email?: string; code: string };
        const { replaced } = await changeContact(
          deps,
          request.session!,
          channel,
          (channel === 'phone' ? input.phone : input.email)!,
          input.code,
          requestMeta(request),
        );
        return reply.redirect(`/account/${channel}?${replaced ? 'changed' : 'bound'}=1`, 303);
      } catch (error) {
        if (error instanceof AppError && error.code === 'settings.reauth_required')
          return reply.redirect(`/account/confirm-password?next=/account/${channel}`, 303);
        const f = formFailure(error);
        return page(request, reply, { value: body[channel], errors: f.errors, formError: f.formError }, f.status);
      }
    });
  }

  // ---- 安全记录
  app.get('/account/security', { preHandler: requirePageSession }, async (request, reply) => {
    const log = await securityLog(deps, request.session!.accountId);
    return renderPage(request, reply, <SecurityLogPage {...log} />, { title: request.t('security.title') });
  });
}
