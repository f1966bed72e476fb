// Inbox pages and API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { requireApiSession, requirePageSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import { AppError } from '../lib/errors.ts';
import type { Inbox } from './service.ts';
import { InboxPage } from './views/inbox-page.tsx';
import type { Message, MessageKey } from '../i18n/index.ts';
import { requestMeta } from '../http/request-meta.ts';

const decisions = ['accept', 'decline'] as const;
/** The inbox's own refusals, shown on the page a refused decision returns to. */
const outcomes = ['not_found', 'expired', 'already_decided'] as const;

const itemParams = z.object({ id: z.string() });
const inboxAnswer = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      kind: z.string(),
      state: z.enum(['pending', 'accepted', 'declined', 'expired', 'notice']),
      message: z.string(),
      createdAt: z.iso.datetime(),
      expiresAt: z.iso.datetime().nullable(),
      read: z.boolean(),
    }),
  ),
});

export function registerInboxRoutes(app: FastifyInstance, inbox: Inbox): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, notice?: MessageKey, error?: Message, status = 200) => {
    const items = await inbox.list(request.session!.accountId);
    // The header on this very page counts what is still open: read notices drop out, requests stay until answered.
    request.session!.account.inboxUnread = await inbox.markRead(request.session!.accountId);
    return renderPage(request, reply, <InboxPage items={items} inbox={inbox} notice={notice} error={error} />, { title: request.t('inbox.title'), status });
  };

  // A decision answers with 303 to this page, which says how it went (?done= or ?error=, from
  // fixed lists), so reloading never posts a decision twice.
  app.get('/inbox', { preHandler: requirePageSession }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const done = decisions.find((d) => d === query.done);
    const error = outcomes.find((o) => o === query.error);
    return show(request, reply, done && `inbox.done_${done}`, error && { code: `inbox.${error}` });
  });

  for (const decision of decisions) {
    app.post<{ Params: { id: string } }>(`/inbox/:id/${decision}`, { preHandler: requirePageSession }, async (request, reply) => {
      try {
        if (!z.uuid().safeParse(request.params.id).success) throw new AppError('inbox.not_found', { status: 404 });
        await inbox.decide(request.session!.accountId, request.params.id, decision, requestMeta(request).ip);
        return reply.redirect(`/inbox?done=${decision}`, 303);
      } catch (error) {
        const outcome = error instanceof AppError ? outcomes.find((o) => `inbox.${o}` === error.code) : undefined;
        if (outcome) return reply.redirect(`/inbox?error=${outcome}`, 303);
        // A kind's own refusal (say, the yearly limit of vouches) has values to show: the page itself.
        if (error instanceof AppError) return show(request, reply, undefined, { code: error.code, params: error.params }, error.status);
        throw error;
      }
    });

    app.post<{ Params: { id: string } }>(
      `/api/v1/inbox/:id/${decision}`,
      {
        preHandler: requireApiSession,
        ...apiDoc({ summary: `${decision} an inbox request`, security: 'session', params: itemParams, responses: { 204: null }, errors: [404, 409] }),
      },
      async (request, reply) => {
        if (!z.uuid().safeParse(request.params.id).success) throw new AppError('inbox.not_found', { status: 404 });
        await inbox.decide(request.session!.accountId, request.params.id, decision, requestMeta(request).ip);
        return reply.status(204).send();
      },
    );
  }

  app.get(
    '/api/v1/inbox',
    { preHandler: requireApiSession, ...apiDoc({ summary: 'My inbox, newest first', security: 'session', responses: { 200: inboxAnswer } }) },
    async (request) => {
      const items = await inbox.list(request.session!.accountId);
      return {
        items: items.map((item) => {
          const text = inbox.kinds.get(item.kind)?.describe(item);
          return {
            id: item.id,
            kind: item.kind,
            state: item.state,
            message: text ? request.t(text.key, text.params) : item.kind,
            createdAt: item.created_at,
            expiresAt: item.expires_at,
            read: Boolean(item.read_at),
          };
        }),
      };
    },
  );
}
