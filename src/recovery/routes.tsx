// Recovery pages: /recover (choose), /recover/username, /recover/password (+ /code, /reset).
// HTTP only: parse, call the service, render. Every answer after a username, name or number is
// the same page with the same status whether or not an account matched.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure, keptCode } from '../http/page-errors.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha, type CaptchaForm } from '../captcha/service.ts';
import { isIdType } from '../identity/id-numbers/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { codeField } from '../accounts/rules.ts';
import type { FieldErrors } from '../views/components.tsx';
import { remindUsernames } from './username-recovery.ts';
import { completeReset, previewReset, requestPasswordReset, verifyResetCode, type ResetRequest } from './password-recovery.ts';
import { RecoverHomePage } from './views/recover-home.tsx';
import { UsernameRecoveryPage, UsernameSentPage } from './views/username-recovery.tsx';
import { PasswordCodePage, PasswordRequestPage, PasswordResetPage, ResetExpiredPage } from './views/password-recovery.tsx';
import { requestMeta } from '../http/request-meta.ts';
import { DAY } from '../lib/clock.ts';

const resetForm = z
  .object({
    secret: z.string().max(100),
    password: z.string().max(128),
    password2: z.string().optional(),
    name: z.string().max(60).optional(),
    idNumber: z.string().max(40).optional(),
    removeSecondFactor: z.string().max(8).optional(),
  })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

const isResetKind = (value: string | undefined): value is ResetRequest['kind'] => value === 'phone' || value === 'id' || value === 'email';

export function registerRecoveryPages(app: FastifyInstance, deps: AccountDeps): void {
  const captchaFor = (request: FastifyRequest, form: CaptchaForm) => createCaptchaFor(deps, request.ip, form);

  app.get('/recover', async (request, reply) => renderPage(request, reply, <RecoverHomePage />, { title: request.t('recover.title') }));

  // ---- 找回用户名
  const usernameForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | undefined>,
    failure?: ReturnType<typeof formFailure>,
  ) =>
    renderPage(
      request,
      reply,
      <UsernameRecoveryPage
        values={values}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        captcha={await captchaFor(request, 'recover_username')}
      />,
      { title: request.t('recover.username_title'), status: failure?.status ?? 200 },
    );

  app.get('/recover/username', async (request, reply) => usernameForm(request, reply, {}));

  app.post('/recover/username', async (request, reply) => {
    const body = formBody(request.body);
    const values = { name: body.name, idType: body.idType, idNumber: body.idNumber };
    if (wantsAnotherCaptcha(body)) return usernameForm(request, reply, values, CAPTCHA_REFRESHED);
    try {
      const idType = isIdType(body.idType) ? body.idType : 'resident_id';
      await remindUsernames(deps, { name: body.name ?? '', idType, idNumber: body.idNumber ?? '', captcha: captchaAnswerOf(body) }, requestMeta(request));
      return renderPage(request, reply, <UsernameSentPage />, { title: request.t('recover.username_title') });
    } catch (error) {
      return usernameForm(request, reply, values, formFailure(error));
    }
  });

  // ---- 找回密码
  const requestForm = async (request: FastifyRequest, reply: FastifyReply, username?: string, failure?: ReturnType<typeof formFailure>) =>
    renderPage(
      request,
      reply,
      <PasswordRequestPage
        username={username}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        captcha={await captchaFor(request, 'recover_password')}
      />,
      { title: request.t('recover.password_title'), status: failure?.status ?? 200 },
    );

  app.get('/recover/password', async (request, reply) => requestForm(request, reply));

  app.post('/recover/password', async (request, reply) => {
    const body = formBody(request.body);
    if (wantsAnotherCaptcha(body)) return requestForm(request, reply, body.username, CAPTCHA_REFRESHED);
    try {
      const sent = await requestPasswordReset(deps, { username: body.username ?? '', captcha: captchaAnswerOf(body) }, requestMeta(request));
      return renderPage(request, reply, <PasswordCodePage kind={sent.kind} flow={sent.flow} errors={{}} />, { title: request.t('recover.password_title') });
    } catch (error) {
      return requestForm(request, reply, body.username, formFailure(error));
    }
  });

  app.post('/recover/password/code', async (request, reply) => {
    const body = formBody(request.body);
    const flow = body.flow ?? '';
    const kind = isResetKind(body.kind) ? body.kind : 'phone';
    try {
      const { code } = parseInput(z.object({ code: codeField }), body);
      await verifyResetCode(deps, flow, code, requestMeta(request));
      return renderResetForm(request, reply, flow, {}, {});
    } catch (error) {
      const failure = formFailure(error);
      if (failure.formError?.code === 'recover.expired') return renderExpired(request, reply);
      return renderPage(
        request,
        reply,
        <PasswordCodePage kind={kind} flow={flow} code={keptCode(body.code, failure)} errors={failure.errors} formError={failure.formError} />,
        { title: request.t('recover.password_title'), status: failure.status },
      );
    }
  });

  const renderExpired = (request: FastifyRequest, reply: FastifyReply, reason: 'recover.expired' | 'recover.identity_locked' = 'recover.expired') =>
    renderPage(request, reply, <ResetExpiredPage reason={reason} />, {
      title: request.t('recover.password_title'),
      status: reason === 'recover.expired' ? 410 : 429,
    });

  async function renderResetForm(
    request: FastifyRequest,
    reply: FastifyReply,
    secret: string,
    values: { name?: string | undefined; idNumber?: string | undefined; removeSecondFactor?: boolean | undefined },
    errors: FieldErrors,
    status = 200,
  ) {
    const preview = await previewReset(deps, secret);
    if (preview.status === 'locked') return renderExpired(request, reply, 'recover.identity_locked');
    if (preview.status !== 'ready') return renderExpired(request, reply);
    return renderPage(
      request,
      reply,
      <PasswordResetPage
        secret={secret}
        username={preview.username}
        identity={preview.identity}
        values={values}
        errors={errors}
        secondFactor={preview.secondFactor ? { waitDays: Math.round(deps.secondFactor.removalWaitMs / DAY) } : undefined}
      />,
      { title: request.t('recover.reset_title'), status },
    );
  }

  // The emailed link: shows the form, changes nothing (a mail scanner opening it does no harm).
  app.get('/recover/password/reset', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    return renderResetForm(request, reply, typeof token === 'string' ? token : '', {}, {});
  });

  app.post('/recover/password/reset', async (request, reply) => {
    const body = formBody(request.body);
    const secret = body.secret ?? '';
    try {
      const { removeSecondFactor, ...input } = parseInput(resetForm, body);
      await completeReset(deps, { ...input, removeSecondFactor: removeSecondFactor === '1' }, requestMeta(request));
      return reply.redirect('/login?reset=1', 303);
    } catch (error) {
      const failure = formFailure(error);
      const code = failure.formError?.code;
      if (code === 'recover.expired' || code === 'recover.identity_locked') return renderExpired(request, reply, code);
      // All typed but the two passwords.
      return renderResetForm(
        request,
        reply,
        secret,
        { name: body.name, idNumber: body.idNumber, removeSecondFactor: body.removeSecondFactor === '1' },
        failure.errors,
        failure.status,
      );
    }
  });
}
