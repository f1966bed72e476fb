// /console/disputes: 这不是我本人操作 cases (support). Queue, claim, the claimed case, and the two
// decisions: reverse the deregistration (resolution/reversal.ts) or dismiss the dispute.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { claimDisputeCase, disputeCase, dismissDispute, pendingDisputes } from '../resolution/disputes.ts';
import { reverseDeregistration } from '../resolution/reversal.ts';
import { CONSOLE, renderConsole, requireStaff, staffOf } from './console-http.tsx';
import { DisputeCasePage, DisputeQueuePage } from './views/dispute-pages.tsx';
import { uuidParam } from './params.ts';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';

// Both decisions are explained: the reason goes to the audit trail, a dismissal's to the person.
const decisionForm = z.object({
  decision: z.enum(['reverse', 'dismiss'], 'console.reason_required'),
  reason: z.string().trim().min(4, 'console.reason_required').max(200, 'console.reason_required'),
});

const NOTICES: Record<string, MessageKey> = { reversed: 'console.dispute_reversed', dismissed: 'console.dispute_dismissed' };

export function registerDisputeCasePages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('accounts') };
  const worker = (request: FastifyRequest) => ({ username: staffOf(request).username, ip: request.ip });

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/disputes`, guard, async (request, reply) => {
    const disputes = await pendingDisputes(deps);
    return renderConsole(request, reply, <DisputeQueuePage disputes={disputes} me={staffOf(request).username} notice={own(NOTICES, request.query.done)} />, {
      title: request.t('console.disputes_title'),
    });
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/disputes/:id/claim`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await claimDisputeCase(deps, id, worker(request));
    return reply.redirect(`${CONSOLE}/disputes/${id}`, 303);
  });

  const showCase = async (request: FastifyRequest, reply: FastifyReply, id: string, error?: MessageKey, status?: number) =>
    renderConsole(request, reply, <DisputeCasePage found={await disputeCase(deps, id, worker(request))} error={error} />, {
      title: request.t('console.dispute_title'),
      ...(status ? { status } : {}),
    });

  app.get<{ Params: { id: string } }>(`${CONSOLE}/disputes/:id`, guard, async (request, reply) => showCase(request, reply, uuidParam(request.params.id)));

  app.post<{ Params: { id: string } }>(`${CONSOLE}/disputes/:id/decision`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    try {
      const { decision, reason } = parseInput(decisionForm, formBody(request.body));
      if (decision === 'reverse') await reverseDeregistration(deps, id, worker(request), reason);
      else await dismissDispute(deps, id, worker(request), reason);
      return reply.redirect(`${CONSOLE}/disputes?done=${decision === 'reverse' ? 'reversed' : 'dismissed'}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      return showCase(request, reply, id, error.status === 400 ? 'console.reason_required' : error.code, error.status);
    }
  });
}
