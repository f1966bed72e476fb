// 手机校验码登录 pages: GET shows the form, 免费获取校验码 asks for a code (POST …/code), 登录
// checks it and ends like every sign-in (replySignedIn). HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure, keptCode } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import type { AccountDeps } from './deps.ts';
import { codeField, phoneField } from './rules.ts';
import { requestSignInCode, signInCodeNeedsCaptcha, signInWithSmsCode } from './sms-sign-in.ts';
import { SmsLoginPage, type SmsLoginProps } from './views/login-sms.tsx';
import { platformFor } from './sign-in-platform.ts';
import { replySignedIn } from './sign-in-reply.ts';

const smsSignInForm = z.object({ phone: phoneField, code: codeField });

export function registerSmsSignInPages(app: FastifyInstance, deps: AccountDeps): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, props: Omit<SmsLoginProps, 'captcha' | 'platform'>, status = 200) =>
    renderPage(
      request,
      reply,
      <SmsLoginPage
        {...props}
        platform={await platformFor(deps.db, props.next)}
        captcha={(await signInCodeNeedsCaptcha(deps, request.ip)) ? await createCaptchaFor(deps, request.ip, 'send_code') : undefined}
      />,
      { title: request.t('smslogin.title'), status },
    );

  app.get('/login/sms', async (request, reply) => {
    if (request.session) return reply.redirect('/account');
    const next = (request.query as Record<string, unknown>).next;
    return page(request, reply, { errors: {}, next: typeof next === 'string' ? next : undefined });
  });

  app.post('/login/sms/code', async (request, reply) => {
    const body = formBody(request.body);
    const typed = { phone: body.phone, next: body.next };
    if (wantsAnotherCaptcha(body)) return page(request, reply, { ...typed, errors: CAPTCHA_REFRESHED.errors, formError: CAPTCHA_REFRESHED.formError });
    try {
      const { phone } = parseInput(z.object({ phone: phoneField }), body);
      const { sentTo } = await requestSignInCode(deps, phone, requestMeta(request), captchaAnswerOf(body));
      return page(request, reply, { ...typed, errors: {}, codeSentTo: sentTo, resendWait: 60 });
    } catch (error) {
      const f = formFailure(error);
      return page(request, reply, { ...typed, code: body.code, errors: f.errors, formError: f.formError }, f.status);
    }
  });

  app.post('/login/sms', async (request, reply) => {
    const body = formBody(request.body);
    const typed = { phone: body.phone, next: body.next };
    try {
      const input = parseInput(smsSignInForm, body);
      // The sign-in itself is handed over: a second factor due turns into its page there.
      return await replySignedIn(reply, signInWithSmsCode(deps, input, requestMeta(request)), body.next);
    } catch (error) {
      const f = formFailure(error);
      return page(request, reply, { ...typed, code: keptCode(body.code, f), errors: f.errors, formError: f.formError }, f.status);
    }
  });
}
