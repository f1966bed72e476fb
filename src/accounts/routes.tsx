// Account pages: sign in and out, the account home, signed-in devices.
// HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { endSignedInSession, requirePageSession } from '../http/session-hooks.ts';
import { AppError } from '../lib/errors.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import type { AccountDeps } from './deps.ts';
import { captchaRequiredFor, DeregisteredSignIn, signIn, signOut, SignInError } from './signin-service.ts';
import { DeregisteredPage } from './views/deregistered.tsx';
import { accountHome, endOtherSessions, endSession, sessionsOf } from './account-service.ts';
import { LoginPage } from './views/login.tsx';
import { replySignedIn } from './sign-in-reply.ts';
import type { FieldErrors } from '../views/components.tsx';
import { HomePage } from './views/home.tsx';
import { SessionsPage } from './views/sessions.tsx';
import type { Message } from '../i18n/index.ts';
import { requestMeta } from '../http/request-meta.ts';
import { platformFor } from './sign-in-platform.ts';
import type { AuthMethod } from '../db/schema.ts';

export interface AccountPageOptions {
  /** The scan sign-ins offered beside the password (social/ registers their routes). */
  socialSignIns?: readonly Extract<AuthMethod, 'wechat' | 'alipay'>[];
}

/**
 * The sign-in page (every method's tab, the platform it leads to), leading to `next`. /login shows
 * it; so does a platform's sign-in (sso/routes.tsx) at its own address, which saves the browser a
 * redirect to /login on the way. Its forms post to each method's route, carrying `next`.
 */
export function signInPage(deps: AccountDeps, options: AccountPageOptions = {}) {
  const socialSignIns = options.socialSignIns ?? [];
  return async (request: FastifyRequest, reply: FastifyReply, next: string | undefined, notice?: 'login.signed_out' | 'recover.done') =>
    renderPage(request, reply, <LoginPage notice={notice} next={next} platform={await platformFor(deps.db, next)} socialSignIns={socialSignIns} />, {
      title: request.t('login.title'),
    });
}

export function registerAccountPages(app: FastifyInstance, deps: AccountDeps, options: AccountPageOptions = {}): void {
  const socialSignIns = options.socialSignIns ?? [];
  app.get('/', async (request, reply) => reply.redirect(request.session ? '/account' : '/login'));

  // ---- sign in / out
  const showSignIn = signInPage(deps, options);
  app.get('/login', async (request, reply) => {
    if (request.session) return reply.redirect('/account');
    const query = request.query as Record<string, unknown>;
    const notice = query.signed_out === '1' ? ('login.signed_out' as const) : query.reset === '1' ? ('recover.done' as const) : undefined;
    return showSignIn(request, reply, typeof query.next === 'string' ? query.next : undefined, notice);
  });

  app.post('/login', async (request, reply) => {
    const body = formBody(request.body);
    const username = (body.username ?? '').trim();
    const renderFailure = async (error: Message | undefined, status: number, captcha: boolean, errors: FieldErrors = {}) =>
      renderPage(
        request,
        reply,
        <LoginPage
          username={username}
          error={error}
          errors={errors}
          next={body.next}
          platform={await platformFor(deps.db, body.next)}
          socialSignIns={socialSignIns}
          captcha={captcha ? await createCaptchaFor(deps, request.ip, 'sign_in') : undefined}
        />,
        { title: request.t('login.title'), status },
      );
    // 换一张: the same form again with another picture, nothing tried.
    if (wantsAnotherCaptcha(body)) return renderFailure({ code: 'captcha.refreshed' }, 200, true);
    // Left empty: each empty field says so beside itself, both at once.
    if (!username || !body.password)
      return renderFailure(undefined, 400, false, {
        ...(username ? {} : { username: { code: 'login.username_required', params: {} } }),
        ...(body.password ? {} : { password: { code: 'password.required', params: {} } }),
      });
    try {
      // The sign-in itself is handed over: a second factor due turns into its page there.
      return await replySignedIn(reply, signIn(deps, { username, password: body.password, captcha: captchaAnswerOf(body) }, requestMeta(request)), body.next);
    } catch (error) {
      if (error instanceof DeregisteredSignIn) {
        return renderPage(request, reply, <DeregisteredPage deregisteredAt={error.deregisteredAt} reason={error.reason} ticket={error.ticket} />, {
          title: request.t('login.deregistered'),
          status: 403,
        });
      }
      if (error instanceof SignInError) return renderFailure(error, error.status, error.captchaRequired);
      if (error instanceof AppError) {
        return renderFailure(error, error.status, await captchaRequiredFor(deps, username));
      }
      throw error;
    }
  });

  app.post('/logout', async (request, reply) => {
    if (request.session) await signOut(deps, request.session.accountId, request.session.id, requestMeta(request));
    endSignedInSession(reply);
    return reply.redirect('/login?signed_out=1', 303);
  });

  // ---- account home and sessions
  app.get('/account', { preHandler: requirePageSession }, async (request, reply) => {
    const account = await accountHome(deps, request.session!.account);
    const activated = (request.query as Record<string, unknown>).activated === '1';
    const notice = activated ? request.t('activate.done_body', { email: account.email?.masked ?? '' }) : undefined;
    return renderPage(request, reply, <HomePage account={account} notice={notice} />, { title: request.t('home.title') });
  });

  const renderSessions = async (request: FastifyRequest, reply: FastifyReply, notice?: string) => {
    const sessions = await sessionsOf(deps, request.session!.accountId, request.session!.id);
    return renderPage(request, reply, <SessionsPage sessions={sessions} notice={notice} />, { title: request.t('sessions.title') });
  };

  app.get('/account/sessions', { preHandler: requirePageSession }, async (request, reply) => renderSessions(request, reply));

  app.post<{ Params: { id: string } }>('/account/sessions/:id/revoke', { preHandler: requirePageSession }, async (request, reply) => {
    const id = request.params.id;
    if (!/^[0-9a-f-]{36}$/.test(id)) return renderSessions(request, reply, request.t('sessions.not_found'));
    try {
      await endSession(deps, request.session!.accountId, id, requestMeta(request));
      return renderSessions(request, reply, request.t('sessions.revoked'));
    } catch (error) {
      if (error instanceof AppError) return renderSessions(request, reply, request.t(error.code));
      throw error;
    }
  });

  app.post('/account/sessions/revoke-others', { preHandler: requirePageSession }, async (request, reply) => {
    const count = await endOtherSessions(deps, request.session!.accountId, request.session!.id, requestMeta(request));
    return renderSessions(request, reply, request.t(count === 1 ? 'sessions.others_revoked_one' : 'sessions.others_revoked', { count }));
  });
}
