// Registration pages: by phone (SMS code) or by email (activation link), activation, and
// confirming the optional email of a phone registration. HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { safeLocalPath } from '../http/safe-path.ts';
import { allFieldChecks, formBody, parseInput } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure, keptCode } from '../http/page-errors.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import { startSignedInSession } from '../http/session-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { codeField, emailField, optionalEmailField, passwordField, phoneField } from '../accounts/rules.ts';
import { hasIdentityFields } from '../identity/input.ts';
import { agreeField, isTicked } from '../consent/input.ts';
import * as registration from './service.ts';
import type { ActivationResult } from './service.ts';
import { checkedIdentityFrom, checkIdentityFields } from './identity-input.ts';
import { RegisterPhonePage, type RegisterPhoneProps } from './views/register-phone.tsx';
import { EmailSentPage, RegisterEmailPage } from './views/register-email.tsx';
import { ActivationPage } from './views/activation.tsx';

const phoneRegistrationForm = z
  .object({ phone: phoneField, code: codeField, password: passwordField, password2: z.string().optional(), email: optionalEmailField, agree: agreeField })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });
const emailRegistrationForm = z
  .object({ email: emailField, password: passwordField, password2: z.string().optional(), agree: agreeField })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

/** Everything a refused 手机号注册 shows again: all but the two passwords. */
const typedPhoneRegistration = (body: Record<string, string>): RegisterPhoneProps['values'] => ({
  phone: body.phone,
  code: body.code,
  email: body.email,
  name: body.name,
  idType: body.idType,
  idNumber: body.idNumber,
  reRegister: body.reRegister === '1',
  agree: isTicked(body.agree),
  agreeSensitive: isTicked(body.agreeSensitive),
  next: body.next ? safeLocalPath(body.next, '') || undefined : undefined,
});

export function registerRegistrationPages(app: FastifyInstance, deps: AccountDeps): void {
  // `next`: where a new account goes once made (a scan waiting to be bound, a platform's sign-in).
  app.get('/register', async (request, reply) => {
    const next = safeLocalPath((request.query as Record<string, unknown>).next as string | undefined, '');
    return reply.redirect(next ? `/register/phone?next=${encodeURIComponent(next)}` : '/register/phone');
  });

  // ---- phone registration
  // 手机号注册, with the captcha beside 免费获取 once this IP has had its first few SMS.
  const phonePage = async (request: FastifyRequest, reply: FastifyReply, props: Omit<RegisterPhoneProps, 'captcha' | 'verifier'>, status = 200) =>
    renderPage(
      request,
      reply,
      <RegisterPhonePage
        {...props}
        verifier={deps.identity.verifier.operator}
        captcha={(await registration.sendCodeNeedsCaptcha(deps, request.ip)) ? await createCaptchaFor(deps, request.ip, 'send_code') : undefined}
      />,
      { title: request.t('register.title'), status },
    );

  app.get('/register/phone', async (request, reply) => {
    const next = safeLocalPath((request.query as Record<string, unknown>).next as string | undefined, '');
    return phonePage(request, reply, { values: next ? { next } : {}, errors: {} });
  });

  app.post('/register/phone/code', async (request, reply) => {
    const body = formBody(request.body);
    const values = typedPhoneRegistration(body);
    if (wantsAnotherCaptcha(body)) return phonePage(request, reply, { values, errors: CAPTCHA_REFRESHED.errors, formError: CAPTCHA_REFRESHED.formError });
    try {
      const { phone } = parseInput(z.object({ phone: phoneField }), body);
      const { sentTo } = await registration.sendPhoneRegistrationCode(deps, phone, requestMeta(request), captchaAnswerOf(body));
      // A new code is on its way: whatever was in the code field is not it.
      return phonePage(request, reply, { values: { ...values, code: undefined }, errors: {}, codeSentTo: sentTo, resendWait: 60 });
    } catch (error) {
      const f = formFailure(error);
      return phonePage(request, reply, { values, errors: f.errors, formError: f.formError }, f.status);
    }
  });

  app.post('/register/phone', async (request, reply) => {
    const body = formBody(request.body);
    const values = typedPhoneRegistration(body);
    if (wantsAnotherCaptcha(body)) return phonePage(request, reply, { values, errors: CAPTCHA_REFRESHED.errors, formError: CAPTCHA_REFRESHED.formError });
    try {
      // The form's own rules and the real-name fields' together, so one try shows every field's
      // error; the registry check, the limit, availability and the code follow as before.
      const [input] = allFieldChecks(
        () => parseInput(phoneRegistrationForm, body),
        () => registration.assertPassword(body.password ?? '', (body.phone ?? '').trim()),
        () => (hasIdentityFields(body) ? checkIdentityFields(deps, body) : undefined),
      );
      const identity = hasIdentityFields(body) ? await checkedIdentityFrom(deps, body) : undefined;
      const result = await registration.registerByPhone(deps, { ...input, agreed: true, identity }, requestMeta(request));
      startSignedInSession(reply, result.session);
      return reply.redirect(safeLocalPath(body.next, '/account'), 303);
    } catch (error) {
      const f = formFailure(error);
      return phonePage(request, reply, { values: { ...values, code: keptCode(values.code, f) }, errors: f.errors, formError: f.formError }, f.status);
    }
  });

  // ---- email registration and activation
  app.get('/register/email', async (request, reply) =>
    renderPage(request, reply, <RegisterEmailPage values={{}} errors={{}} />, { title: request.t('register.title') }),
  );

  app.post('/register/email', async (request, reply) => {
    const body = formBody(request.body);
    const values = { email: body.email, agree: isTicked(body.agree) };
    try {
      const [input] = allFieldChecks(
        () => parseInput(emailRegistrationForm, body),
        () => registration.assertPassword(body.password ?? '', (body.email ?? '').trim()),
      );
      const { sentTo } = await registration.registerByEmail(deps, { ...input, agreed: true }, requestMeta(request));
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
}
