// 实名信息绑定 pages and API. HTTP only; the rules live in binding-service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure, keptCode } from '../http/page-errors.ts';
import { requireApiSession, requirePageSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import { codeField, emailField, phoneField } from '../accounts/rules.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { requireFreshApiSession, requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { bindContact, sendBindingCode, type Channel } from './binding.ts';
import { BindingPage, type BindingProps } from './views/binding-page.tsx';
import { CLASSMATE_BINDING, requestClassmateBinding } from './classmate-binding.ts';
import type { Inbox } from '../inbox/service.ts';
import { requestMeta } from '../http/request-meta.ts';

const targetSchema = (channel: Channel) => z.object(channel === 'phone' ? { phone: phoneField } : { email: emailField });
const bindSchema = (channel: Channel) => z.object({ ...targetSchema(channel).shape, code: codeField });
const targetOf = (channel: Channel, input: { phone?: string; email?: string }) => (channel === 'phone' ? input.phone! : input.email!);

const sentAnswer = z.object({ sentTo: z.string().describe('Where the code went, masked') });

const classmateSchema = z.object({
  classmateName: z.string({ error: 'name.required' }).min(1, { error: 'name.required' }).max(80, { error: 'name.too_long' }),
  classmatePhone: phoneField,
  ownPhone: phoneField,
});

export function registerBindingRoutes(app: FastifyInstance, deps: AccountDeps, inbox: Inbox): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, props: Omit<BindingProps, 'account'>, status = 200) => {
    const classmateRequest = await inbox.latestSentBy(request.session!.accountId, CLASSMATE_BINDING);
    return renderPage(request, reply, <BindingPage account={request.session!.account} classmateRequest={classmateRequest} {...props} />, {
      title: request.t('binding.title'),
      status,
    });
  };

  app.post('/account/binding/classmate', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const classmateValues = { classmateName: body.classmateName, classmatePhone: body.classmatePhone, ownPhone: body.ownPhone };
    try {
      const input = parseInput(classmateSchema, body);
      await requestClassmateBinding(deps, inbox, request.session!.account, input, requestMeta(request));
      return page(request, reply, { values: {}, errors: {}, notice: 'classmate.sent' });
    } catch (error) {
      const f = formFailure(error);
      return page(request, reply, { values: {}, errors: f.errors, formError: f.formError, classmateValues }, f.status);
    }
  });

  app.post(
    '/api/v1/account/binding/classmate',
    {
      preHandler: requireApiSession,
      ...apiDoc({
        summary: 'Ask a classmate to confirm my real-name binding',
        security: 'session',
        body: classmateSchema,
        responses: { 202: z.object({ sent: z.literal(true) }) },
        errors: [404, 409, 429],
      }),
    },
    async (request, reply) => {
      const input = parseInput(classmateSchema, request.body);
      await requestClassmateBinding(deps, inbox, request.session!.account, input, requestMeta(request));
      return reply.status(202).send({ sent: true });
    },
  );

  app.get('/account/binding', { preHandler: requirePageSession }, async (request, reply) => {
    const bound = (request.query as Record<string, unknown>).bound;
    const notice = bound === 'phone' || bound === 'email' ? (`binding.bound_${bound}` as const) : undefined;
    return page(request, reply, { values: {}, errors: {}, notice });
  });

  for (const channel of ['phone', 'email'] as const) {
    app.post(`/account/binding/${channel}/code`, { preHandler: requireFreshPageSession(deps, '/account/binding') }, async (request, reply) => {
      const body = formBody(request.body);
      const values = { [channel]: body[channel], code: body.code };
      try {
        const input = parseInput(targetSchema(channel), body) as { phone?: string; email?: string };
        const { sentTo } = await sendBindingCode(deps, request.session!.account, channel, targetOf(channel, input), requestMeta(request));
        // A new code is on its way: whatever was in the code field is not it.
        return page(request, reply, { values: { ...values, code: undefined }, channel, errors: {}, sentTo });
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { values, channel, errors: f.errors, formError: f.formError }, f.status);
      }
    });

    app.post(`/account/binding/${channel}`, { preHandler: requireFreshPageSession(deps, '/account/binding') }, async (request, reply) => {
      const body = formBody(request.body);
      const values = { [channel]: body[channel] };
      try {
        const input = parseInput(bindSchema(channel), body) as { phone?: string; email?: string; code: string };
        await bindContact(deps, request.session!.account, channel, targetOf(channel, input), input.code, requestMeta(request));
        return reply.redirect(`/account/binding?bound=${channel}`, 303);
      } catch (error) {
        const f = formFailure(error);
        return page(request, reply, { values: { ...values, code: keptCode(body.code, f) }, channel, errors: f.errors, formError: f.formError }, f.status);
      }
    });

    app.post(
      `/api/v1/account/binding/${channel}/code`,
      {
        preHandler: requireFreshApiSession(deps),
        ...apiDoc({
          summary: `Send a ${channel} binding code`,
          security: 'session',
          body: targetSchema(channel),
          responses: { 200: sentAnswer },
          errors: [409, 429],
        }),
      },
      async (request) => {
        const input = parseInput(targetSchema(channel), request.body) as { phone?: string; email?: string };
        return sendBindingCode(deps, request.session!.account, channel, targetOf(channel, input), requestMeta(request));
      },
    );

    app.post(
      `/api/v1/account/binding/${channel}`,
      {
        preHandler: requireFreshApiSession(deps),
        ...apiDoc({ summary: `Bind a ${channel} with its code`, security: 'session', body: bindSchema(channel), responses: { 204: null }, errors: [409, 429] }),
      },
      async (request, reply) => {
        const input = parseInput(bindSchema(channel), request.body) as { phone?: string; email?: string; code: string };
        await bindContact(deps, request.session!.account, channel, targetOf(channel, input), input.code, requestMeta(request));
        return reply.status(204).send();
      },
    );
  }
}
