// 实名信息绑定 pages and API. HTTP only; the rules live in binding-service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/context.ts';
import { requireApiSession, requirePageSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import { codeField, emailField, phoneField } from '../accounts/rules.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { bindContact, sendBindingCode, type Channel } from './binding-service.ts';
import { BindingPage, type BindingProps } from './views/binding-page.tsx';

const targetSchema = (channel: Channel) => z.object(channel === 'phone' ? { phone: phoneField } : { email: emailField });
const bindSchema = (channel: Channel) => z.object({ ...targetSchema(channel).shape, code: codeField });
const targetOf = (channel: Channel, input: { phone?: string; email?: string }) => (channel === 'phone' ? input.phone! : input.email!);

export function registerBindingRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const page = (request: FastifyRequest, reply: FastifyReply, props: Omit<BindingProps, 'account'>, status = 200) =>
    renderPage(request, reply, <BindingPage account={request.session!.account} {...props} />, { title: request.t('binding.title'), status });

  app.get('/account/binding', { preHandler: requirePageSession }, async (request, reply) => {
    const bound = (request.query as Record<string, unknown>).bound;
    const notice = bound === 'phone' || bound === 'email' ? `binding.bound_${bound}` : undefined;
    return page(request, reply, { values: {}, errors: {}, notice });
  });

  for (const channel of ['phone', 'email'] as const) {
    app.post(`/account/binding/${channel}/code`, { preHandler: requirePageSession }, async (request, reply) => {
      const body = formBody(request.body);
      const values = { [channel]: body[channel] };
      try {
        const input = parseInput(targetSchema(channel), body) as { phone?: string; email?: string };
        const { sentTo } = await sendBindingCode(deps, request.session!.account, channel, targetOf(channel, input), requestMeta(request));
        return page(request, reply, { values, errors: {}, sentTo });
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { values, errors: f.errors, formError: f.formError }, f.status);
      }
    });

    app.post(`/account/binding/${channel}`, { preHandler: requirePageSession }, async (request, reply) => {
      const body = formBody(request.body);
      const values = { [channel]: body[channel] };
      try {
        const input = parseInput(bindSchema(channel), body) as { phone?: string; email?: string; code: string };
        await bindContact(deps, request.session!.account, channel, targetOf(channel, input), input.code, requestMeta(request));
        return reply.redirect(`/account/binding?bound=${channel}`, 303);
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { values, errors: f.errors, formError: f.formError }, f.status);
      }
    });

    app.post(`/api/v1/account/binding/${channel}/code`, { preHandler: requireApiSession, ...apiDoc(`Send a ${channel} binding code`, targetSchema(channel)) }, async (request) => {
      const input = parseInput(targetSchema(channel), request.body) as { phone?: string; email?: string };
      return sendBindingCode(deps, request.session!.account, channel, targetOf(channel, input), requestMeta(request));
    });

    app.post(`/api/v1/account/binding/${channel}`, { preHandler: requireApiSession, ...apiDoc(`Bind a ${channel} with its code`, bindSchema(channel)) }, async (request, reply) => {
      const input = parseInput(bindSchema(channel), request.body) as { phone?: string; email?: string; code: string };
      await bindContact(deps, request.session!.account, channel, targetOf(channel, input), input.code, requestMeta(request));
      return reply.status(204).send();
    });
  }
}
