// 使用通行密钥验证 on /login/second-factor: the step page, with the passkey way offered for a
// pending account that has passkeys (public/passkeys.js shows it where the browser can), the
// options for the pending account's passkeys, and the answer. A refused answer shows the step page
// again with the reason (the code form stays); a sign-in whose guesses are spent starts over.
// HTTP only: parse, call the service, render.
import type { FastifyInstance } from 'fastify';
import { formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { passkeyBrowser, passkeyBrowserOf } from '../passkeys/browser-cookie.ts';
import { jsonFailure } from '../passkeys/routes.tsx';
import { pendingCookieOf } from '../mfa/pending-cookie.ts';
import { secondFactorStatus } from '../mfa/second-factor.ts';
import { PasskeyStepWay } from '../mfa/views/passkey-way.tsx';
import type { AccountDeps } from './deps.ts';
import { registerSecondFactorStep } from './second-factor-routes.tsx';
import { finishWithPasskey, hasPasskeys, stepPasskeyOptions } from './second-factor-passkey.ts';
import { replySecondFactorPassed } from './sign-in-reply.ts';

/** What ends the pending sign-in for good (as on the code form). */
const ENDED = new Set(['mfa.step_expired', 'mfa.too_many_tries']);

/** The second-factor step page with the passkey way, and the passkey way's routes. */
export function registerSecondFactorStepWithPasskeys(app: FastifyInstance, deps: AccountDeps, passkeys: PasskeyDeps): void {
  const step = registerSecondFactorStep(app, deps, {
    otherWays: async (pending, next) => ((await hasPasskeys(deps, pending.accountId)) ? <PasskeyStepWay next={next} /> : undefined),
    // Without an authenticator app the page does not ask for its code.
    introOf: async (pending) => ((await secondFactorStatus(deps, pending.accountId)).totp ? undefined : 'mfa_passkey.step_intro_passkey_way'),
  });

  app.post('/login/second-factor/passkey/options', async (request, reply) => {
    try {
      const options = await stepPasskeyOptions(deps, passkeys, pendingCookieOf(request), passkeyBrowser(request, reply), requestMeta(request));
      return reply.send({ options });
    } catch (error) {
      return jsonFailure(request, reply, error);
    }
  });

  app.post('/login/second-factor/passkey', async (request, reply) => {
    const body = formBody(request.body);
    const next = step.nextOf(body.next);
    try {
      const done = await finishWithPasskey(deps, passkeys, pendingCookieOf(request), passkeyBrowserOf(request), body.credential, requestMeta(request));
      return replySecondFactorPassed(reply, done, next);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (ENDED.has(error.code)) return step.renderExpired(request, reply, { code: error.code }, next, error.status);
      return step.renderStep(request, reply, next, formFailure(error));
    }
  });
}
