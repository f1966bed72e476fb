// Account pages: register (phone, email), activate, sign in and out, account home, sessions.
// HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/context.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { startSignedInSession, endSignedInSession, requirePageSession } from '../http/session-hooks.ts';
import { AppError } from '../lib/errors.ts';
import { createCaptcha } from '../captcha/service.ts';
import type { AccountDeps } from './deps.ts';
import { codeField, emailField, optionalEmailField, passwordField, phoneField } from './rules.ts';
import * as registration from './registration-service.ts';
import { captchaRequiredFor, signIn, signOut, SignInError } from './signin-service.ts';
import { accountOverview, endOtherSessions, endSession, sessionsOf } from './account-service.ts';
import { hasIdentityFields } from '../identity/input.ts';
import { checkedIdentityFrom } from './identity-input.ts';
import { RegisterPhonePage } from './views/register-phone.tsx';
import { EmailSentPage, RegisterEmailPage } from './views/register-email.tsx';
import { ActivationPage } from './views/activation.tsx';
import type { ActivationResult } from './registration-service.ts';
import { LoginPage } from './views/login.tsx';
import { HomePage } from './views/home.tsx';
import { SessionsPage } from './views/sessions.tsx';
import type { Message } from '../i18n/index.ts';

const phoneRegistrationForm = z
  .object({ phone: phoneField, code: codeField, password: passwordField, password2: z.string().optional(), email: optionalEmailField })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });
const emailRegistrationForm = z
  .object({ email: emailField, password: passwordField, password2: z.string().optional() })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

export function registerAccountPages(app: FastifyInstance, deps: AccountDeps): void {
  app.get('/', async (request, reply) => reply.redirect(request.session ? '/account' : '/login'));
  app.get('/register', async (_request, reply) => reply.redirect('/register/phone'));

  // ---- phone registration
  app.get('/register/phone', async (request, reply) =>
    renderPage(request, reply, <RegisterPhonePage values={{}} errors={{}} />, { title: request.t('register.title') }),
  );

  app.post('/register/phone/code', async (request, reply) => {
    const body = formBody(request.body);
    const values = { phone: body.phone, email: body.email };
    try {
      const { phone } = parseInput(z.object({ phone: phoneField }), body);
      const { sentTo } = await registration.sendPhoneRegistrationCode(deps, phone, requestMeta(request));
      return renderPage(request, reply, <RegisterPhonePage values={values} errors={{}} codeSentTo={sentTo} resendWait={60} />, {
        title: request.t('register.title'),
      });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <RegisterPhonePage values={values} errors={f.errors} formError={f.formError} />, {
        title: request.t('register.title'),
        status: f.status,
      });
    }
  });

  app.post('/register/phone', async (request, reply) => {
    const body = formBody(request.body);
    const values = { phone: body.phone, email: body.email, name: body.name, idType: body.idType, idNumber: body.idNumber, reRegister: body.reRegister === '1' };
    try {
      const input = parseInput(phoneRegistrationForm, body);
      const identity = hasIdentityFields(body) ? await checkedIdentityFrom(deps, body) : undefined;
      const result = await registration.registerByPhone(deps, { ...input, identity }, requestMeta(request));
      startSignedInSession(reply, result.session);
      return reply.redirect('/account', 303);
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <RegisterPhonePage values={values} errors={f.errors} formError={f.formError} />, {
        title: request.t('register.title'),
        status: f.status,
      });
    }
  });

  // ---- email registration and activation
  app.get('/register/email', async (request, reply) =>
    renderPage(request, reply, <RegisterEmailPage values={{}} errors={{}} />, { title: request.t('register.title') }),
  );

  app.post('/register/email', async (request, reply) => {
    const body = formBody(request.body);
    const values = { email: body.email };
    try {
      const input = parseInput(emailRegistrationForm, body);
      const { sentTo } = await registration.registerByEmail(deps, input, requestMeta(request));
      return renderPage(request, reply, <EmailSentPage sentTo={sentTo} />, { title: request.t('register.email_sent_title') });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <RegisterEmailPage values={values} errors={f.errors} formError={f.formError} />, {
        title: request.t('register.title'),
        status: f.status,
      });
    }
  });

  app.post('/register/email/resend', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const { email } = parseInput(z.object({ email: emailField }), body);
      await registration.resendActivation(deps, email, requestMeta(request));
      return renderPage(request, reply, <RegisterEmailPage values={{ email }} errors={{}} notice="register.resent" />, { title: request.t('register.title') });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <RegisterEmailPage values={{ email: body.email }} errors={f.errors} formError={f.formError} />, {
        title: request.t('register.title'),
        status: f.status,
      });
    }
  });

  const activationStatus = (status: ActivationResult['status']) => (status === 'invalid' ? 400 : status === 'expired' ? 410 : 200);

  app.get('/activate', async (request, reply) => {
    const token = typeof (request.query as Record<string, unknown>).token === 'string' ? (request.query as { token: string }).token : '';
    const result = await registration.checkActivation(deps, token);
    return renderPage(request, reply, <ActivationPage result={result} token={token} />, {
      title: request.t('activate.title'),
      status: activationStatus(result.status),
    });
  });

  app.post('/activate', async (request, reply) => {
    const body = formBody(request.body);
    const token = body.token ?? '';
    try {
      const { password } = parseInput(z.object({ password: passwordField }), body);
      const result = await registration.activate(deps, token, password, requestMeta(request));
      if (result.status === 'activated') {
        startSignedInSession(reply, result.session);
        return reply.redirect('/account?activated=1', 303);
      }
      return renderPage(request, reply, <ActivationPage result={result} token={token} />, {
        title: request.t('activate.title'),
        status: activationStatus(result.status),
      });
    } catch (error) {
      const f = formFailure(error);
      const result = await registration.checkActivation(deps, token);
      return renderPage(request, reply, <ActivationPage result={result} token={token} errors={f.errors} />, {
        title: request.t('activate.title'),
        status: f.status,
      });
    }
  });

  app.get('/confirm-email', async (request, reply) => {
    const token = typeof (request.query as Record<string, unknown>).token === 'string' ? (request.query as { token: string }).token : '';
    const result = await registration.confirmEmail(deps, token, requestMeta(request));
    const message =
      result.status === 'confirmed'
        ? request.t('verify_email.done', { email: result.email })
        : result.status === 'already'
          ? request.t('activate.already')
          : result.status === 'expired'
            ? request.t('activate.expired')
            : result.status === 'taken'
              ? request.t('verify_email.taken')
              : request.t('activate.invalid');
    return renderPage(request, reply, <p class="notice">{message}</p>, { title: request.t('activate.title'), status: result.status === 'invalid' ? 400 : 200 });
  });

  // ---- sign in / out
  app.get('/login', async (request, reply) => {
    if (request.session) return reply.redirect('/account');
    const query = request.query as Record<string, unknown>;
    const notice = query.signed_out === '1' ? ('login.signed_out' as const) : query.reset === '1' ? ('recover.done' as const) : undefined;
    const next = typeof query.next === 'string' ? query.next : undefined;
    return renderPage(request, reply, <LoginPage notice={notice} next={next} />, { title: request.t('login.title') });
  });

  app.post('/login', async (request, reply) => {
    const body = formBody(request.body);
    const username = (body.username ?? '').trim();
    const renderFailure = async (error: Message, status: number, captcha: boolean) =>
      renderPage(
        request,
        reply,
        <LoginPage username={username} error={error} next={body.next} captcha={captcha ? await createCaptcha(deps.captcha) : undefined} />,
        { title: request.t('login.title'), status },
      );
    if (!username || !body.password) return renderFailure({ code: username ? 'password.required' : 'login.username_required' }, 400, false);
    try {
      const result = await signIn(deps, { username, password: body.password, captchaId: body.captchaId, captchaAnswer: body.captcha }, requestMeta(request));
      startSignedInSession(reply, result.session);
      return reply.redirect(safeLocalPath(body.next, '/account'), 303);
    } catch (error) {
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
    const account = accountOverview(request.session!.account);
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
    return renderSessions(request, reply, request.t('sessions.others_revoked', { count }));
  });
}
