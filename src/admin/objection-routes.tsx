// /console/objections: 途径3 cases a current holder objected to during the notice period. Same
// shape as the photo queue: list, claim, the claimed case, the decision.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { affectedByPassing } from '../resolution/service.ts';
import { claimObjectedCase, decideObjectedCase, objectedCase, objectedCases } from '../resolution/objection-review.ts';
import { CONSOLE, renderConsole, requireStaff, staffOf } from './console-http.tsx';
import { ObjectionCasePage, ObjectionQueuePage } from './views/objection-pages.tsx';
import { uuidParam } from './params.ts';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';

const decisionForm = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('uphold'), note: z.string().trim().max(200).optional() }),
  // Turning the vouches down is explained to the claimant, so it needs words.
  z.object({ decision: z.literal('reject'), note: z.string().trim().min(4, 'console.reason_required').max(200, 'console.reason_required') }),
]);

const NOTICES: Record<string, MessageKey> = {
  upheld: 'console.objection_overruled',
  rejected: 'console.objection_sustained',
  cancelled: 'console.objection_moot',
};

export function registerObjectionPages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('reviews') };
  const reviewer = (request: FastifyRequest) => ({ username: staffOf(request).username, ip: request.ip });

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/objections`, guard, async (request, reply) => {
    const cases = await objectedCases(deps);
    return renderConsole(request, reply, <ObjectionQueuePage cases={cases} me={staffOf(request).username} notice={own(NOTICES, request.query.done)} />, {
      title: request.t('console.objections_title'),
    });
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/objections/:id/claim`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await claimObjectedCase(deps, id, reviewer(request));
    return reply.redirect(`${CONSOLE}/objections/${id}`, 303);
  });

  const showCase = async (request: FastifyRequest, reply: FastifyReply, id: string, error?: MessageKey, status?: number) => {
    const found = await objectedCase(deps, id, reviewer(request));
    const affected = await affectedByPassing(deps, found.claimantId);
    return renderConsole(request, reply, <ObjectionCasePage found={found} affected={affected} error={error} />, {
      title: request.t('console.objection_title'),
      ...(status ? { status } : {}),
    });
  };

  app.get<{ Params: { id: string } }>(`${CONSOLE}/objections/:id`, guard, async (request, reply) => showCase(request, reply, uuidParam(request.params.id)));

  app.post<{ Params: { id: string } }>(`${CONSOLE}/objections/:id/decision`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    try {
      const decision = parseInput(decisionForm, formBody(request.body));
      const outcome = await decideObjectedCase(deps, id, reviewer(request), decision);
      return reply.redirect(`${CONSOLE}/objections?done=${outcome}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return showCase(request, reply, id, 'console.reason_required', 400);
    }
  });
}
