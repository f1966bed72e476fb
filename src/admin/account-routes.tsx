// /console/accounts: look-up, the card, and support's actions on one account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import { firstFailureCode } from '../http/page-errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { CONSOLE, renderConsole, requireStaff, staffActor } from './console-http.tsx';
import { uuidParam } from './params.ts';
import { reasonField } from './reason.ts';
import { emailField } from '../accounts/rules.ts';
import * as service from './account-service.ts';
import { AccountCardPage, AccountSearchPage, type Retry, type Revealed } from './views/account-pages.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { isOwnKey, own } from '../lib/own.ts';

const ACTIONS = {
  suspend: { run: service.suspendAccount, notice: 'console.suspended' },
  restore: { run: service.restoreAccount, notice: 'console.restored' },
  'end-sessions': { run: service.endAccountSessions, notice: 'console.sessions_ended' },
  remind: { run: service.sendUsernameReminder, notice: 'console.reminder_sent' },
  'wrong-id': { run: service.markIdNumberWrong, notice: 'console.marked_wrong' },
} as const;

const resetForm = z.discriminatedUnion('to', [
  z.object({ to: z.literal('phone'), reason: reasonField }),
  z.object({ to: z.literal('email'), reason: reasonField }),
  z.object({ to: z.literal('other_email'), otherEmail: emailField, reason: reasonField }),
]);
const revealForm = z.object({ field: z.enum(['phone', 'email', 'id_number'], 'console.not_found'), reason: reasonField });
const wrongIdForm = z.object({ reason: reasonField, confirm: z.literal('1', 'console.confirm_required') });

export function registerAccountPages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('accounts') };

  const showCard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { notice?: MessageKey; error?: MessageKey; revealed?: Revealed; retry?: Retry; status?: number },
  ) => {
    const card = await service.accountCard(deps, id, staffActor(request));
    return renderConsole(
      request,
      reply,
      <AccountCardPage card={card} notice={extra.notice} error={extra.error} revealed={extra.revealed} retry={extra.retry} />,
      { title: request.t('console.card_title'), ...(extra.status ? { status: extra.status } : {}) },
    );
  };

  // The search is a POST: a phone, email or ID number stays out of URLs, history and proxy logs.
  app.get(`${CONSOLE}/accounts`, guard, async (request, reply) =>
    renderConsole(request, reply, <AccountSearchPage query="" results={undefined} />, { title: request.t('console.lookup_title') }),
  );

  app.post(`${CONSOLE}/accounts`, guard, async (request, reply) => {
    const query = (formBody(request.body).q ?? '').trim().slice(0, 254);
    const results = query ? await service.lookUpAccounts(deps, query, staffActor(request)) : undefined;
    return renderConsole(request, reply, <AccountSearchPage query={query} results={results} />, { title: request.t('console.lookup_title') });
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>(`${CONSOLE}/accounts/:id`, guard, async (request, reply) => {
    const done = request.query.done;
    const notice = done === 'reset-password' ? 'console.reset_sent' : own(ACTIONS, done)?.notice;
    return showCard(request, reply, uuidParam(request.params.id), notice ? { notice } : {});
  });

  app.post<{ Params: { id: string; action: string } }>(`${CONSOLE}/accounts/:id/:action`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    const body = formBody(request.body);
    try {
      if (request.params.action === 'reveal') {
        const input = parseInput(revealForm, body);
        const value = await service.revealField(deps, id, input.field, staffActor(request), input.reason);
        return await showCard(request, reply, id, { revealed: { field: input.field, value: value ?? '—' } });
      }
      if (request.params.action === 'reset-password') {
        const input = parseInput(resetForm, body);
        await service.startPasswordReset(
          deps,
          id,
          staffActor(request),
          input.reason,
          input.to === 'other_email' ? { kind: 'other_email', email: input.otherEmail } : { kind: input.to },
        );
        return reply.redirect(`${CONSOLE}/accounts/${id}?done=reset-password`, 303);
      }
      const name = request.params.action;
      if (!isOwnKey(ACTIONS, name)) throw new AppError('console.not_found', { status: 404 });
      const { reason } = parseInput(name === 'wrong-id' ? wrongIdForm : z.object({ reason: reasonField }), body);
      await ACTIONS[name].run(deps, id, staffActor(request), reason);
      return reply.redirect(`${CONSOLE}/accounts/${id}?done=${name}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 404) throw error;
      const code = firstFailureCode(error);
      const { _csrf: _token, ...fields } = body;
      return showCard(request, reply, id, { error: code, status: error.status, retry: { action: request.params.action, fields } });
    }
  });
}
