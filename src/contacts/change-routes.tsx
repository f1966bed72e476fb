// 更换手机号 / 更换邮箱 in 帐号管理 (绑定 when there is none yet). HTTP only: parse, call the
// service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure, keptCode } from '../http/page-errors.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import { maskContact } from '../lib/mask.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { codeField, emailField, phoneField } from '../accounts/rules.ts';
import { changeContact, sendContactChangeCode, type ContactChannel } from './change.ts';
import { ChangeContactPage, type ChangeContactProps } from './views/change-contact.tsx';

const targetSchema = (channel: ContactChannel) => z.object(channel === 'phone' ? { phone: phoneField } : { email: emailField });
const changeSchema = (channel: ContactChannel) => z.object({ ...targetSchema(channel).shape, code: codeField });

export function registerContactChangePages(app: FastifyInstance, deps: AccountDeps): void {
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
        // A new code is on its way: whatever was in the code field is not it.
        return page(request, reply, { value: body[channel], errors: {}, sentTo });
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { value: body[channel], code: body.code, errors: f.errors, formError: f.formError }, f.status);
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
        return page(request, reply, { value: body[channel], code: keptCode(body.code, f), errors: f.errors, formError: f.formError }, f.status);
      }
    });
  }
}
