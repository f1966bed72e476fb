// /login/second-factor: the second step of a sign-in on an account with a second factor. The
// browser that passed the first step holds the pending sign-in in a cookie (sign-in-reply.ts).
// HTTP only: parse, call the service, render.
//
// Another second factor offers itself on this page through `otherWays` (the passkeys module: a
// button for a passkey of the pending account, which posts to its own route; that route reads
// the pending sign-in with pendingSignInOf(deps, pendingCookieOf(request)), verifies an assertion
// restricted to its accountId, then ends with finishWithSecondFactor + replySecondFactorPassed).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { formFailure, type FormFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import type { Message, MessageKey } from '../i18n/index.ts';
import { DAY } from '../lib/clock.ts';
import { clearPendingCookie, pendingCookieOf } from '../mfa/pending-cookie.ts';
import { SecondFactorExpiredPage, SecondFactorStepPage } from '../mfa/views/second-factor-step.tsx';
import type { AccountDeps } from './deps.ts';
import { finishWithCode, secondStepOf } from './second-factor-sign-in.ts';
import { replySecondFactorPassed } from './sign-in-reply.ts';
import type { PendingSignIn } from '../mfa/pending.ts';

export interface SecondFactorStepOptions {
  /** Other ways through the step for this pending sign-in (undefined: none for this account). */
  otherWays?: (pending: PendingSignIn, next: string | undefined) => Promise<ComponentChildren | undefined>;
  /** The page's lead text for this pending sign-in (undefined: the authenticator's). */
  introOf?: (pending: PendingSignIn) => Promise<MessageKey | undefined>;
}

/** What ends the pending sign-in for good: the page offers to start again. */
const ENDED = new Set(['mfa.step_expired', 'mfa.too_many_tries']);

/** The step page's renderers, for another way's own route to answer with (a refused passkey). */
export interface SecondFactorStepPages {
  renderStep: (request: FastifyRequest, reply: FastifyReply, next: string | undefined, failure?: FormFailure) => Promise<unknown>;
  renderExpired: (request: FastifyRequest, reply: FastifyReply, message: Message, next: string | undefined, status: number) => unknown;
  nextOf: (value: unknown) => string | undefined;
}

export function registerSecondFactorStep(app: FastifyInstance, deps: AccountDeps, options: SecondFactorStepOptions = {}): SecondFactorStepPages {
  const waitDays = Math.round(deps.secondFactor.removalWaitMs / DAY);
  const nextOf = (value: unknown) => {
    const next = typeof value === 'string' ? safeLocalPath(value, '') : '';
    return next || undefined;
  };

  const renderExpired = (request: FastifyRequest, reply: FastifyReply, message: Message, next: string | undefined, status: number) => {
    clearPendingCookie(reply);
    return renderPage(request, reply, <SecondFactorExpiredPage message={message} next={next} />, { title: request.t('mfa.step_title'), status });
  };

  const renderStep = async (request: FastifyRequest, reply: FastifyReply, next: string | undefined, failure?: FormFailure) => {
    const step = await secondStepOf(deps, pendingCookieOf(request));
    if (!step) return renderExpired(request, reply, { code: 'mfa.step_expired' }, next, 410);
    const otherWays = await options.otherWays?.(step.pending, next);
    return renderPage(
      request,
      reply,
      <SecondFactorStepPage
        next={next}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        removalAt={step.removalAt}
        waitDays={waitDays}
        otherWays={otherWays}
        intro={await options.introOf?.(step.pending)}
      />,
      { title: request.t('mfa.step_title'), status: failure?.status ?? 200 },
    );
  };

  app.get('/login/second-factor', async (request, reply) => {
    const next = nextOf((request.query as Record<string, unknown>).next);
    if (request.session) return reply.redirect(next ?? '/account', 303);
    return renderStep(request, reply, next);
  });

  app.post('/login/second-factor', async (request, reply) => {
    const body = formBody(request.body);
    const next = nextOf(body.next);
    const code = (body.code ?? '').trim();
    if (!code) return renderStep(request, reply, next, { status: 400, errors: { code: { code: 'mfa.code_required', params: {} } }, formError: undefined });
    try {
      const done = await finishWithCode(deps, pendingCookieOf(request), code, requestMeta(request));
      return replySecondFactorPassed(reply, done, next);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (ENDED.has(error.code)) return renderExpired(request, reply, { code: error.code }, next, error.status);
      return renderStep(request, reply, next, formFailure(error));
    }
  });
  return { renderStep, renderExpired, nextOf };
}
