// /register/enterprise and /recover/enterprise.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formBody, parseInput } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure } from '../http/page-errors.ts';
import { renderPage } from '../http/render.tsx';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { EmailSentPage } from '../registration/views/register-email.tsx';
import { emailField, isMainlandMobile, normalizePhone, passwordField } from '../accounts/rules.ts';
import type { UploadedFile } from '../http/uploads.ts';
import { parseCreditCode } from './credit-code.ts';
import { MAX_LETTER_BYTES } from './letter.ts';
import { registerEnterprise, submitLookupRequest } from './service.ts';
import { EnterpriseRegisterPage, LookupRequestPage, LookupSubmittedPage } from './views/enterprise-pages.tsx';
import { requestMeta } from '../http/request-meta.ts';
import { agreeField, isTicked } from '../consent/input.ts';

const creditCode = z
  .string()
  .transform((value, ctx) => parseCreditCode(value) ?? (ctx.addIssue({ code: 'custom', message: 'enterprise.credit_code_invalid' }), z.NEVER));
const enterpriseName = z.string().trim().min(2, 'enterprise.name_required').max(100, 'enterprise.name_required');
const contactName = z.string().trim().min(2, 'enterprise.contact_name_required').max(40, 'enterprise.contact_name_required');

const registrationForm = z
  .object({ enterpriseName, creditCode, contactName, email: emailField, password: passwordField, password2: z.string().optional(), agree: agreeField })
  .refine((f) => f.password2 === undefined || f.password === f.password2, { error: 'password.mismatch', path: ['password2'] });

const optionalEmail = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), emailField.optional());
const optionalPhone = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .string()
    .transform((v) => normalizePhone(v))
    .refine((v) => isMainlandMobile(v), 'enterprise.phone_invalid')
    .optional(),
);
const lookupForm = z.object({
  enterpriseName,
  creditCode,
  contactName,
  contactPhone: optionalPhone,
  contactEmail: optionalEmail,
  wants: z.enum(['username', 'password', 'confirm']).catch('username'),
});

export function registerEnterprisePages(app: FastifyInstance, deps: AccountDeps): void {
  app.get('/register/enterprise', async (request, reply) =>
    renderPage(request, reply, <EnterpriseRegisterPage values={{}} errors={{}} />, { title: request.t('register.title') }),
  );

  app.post('/register/enterprise', async (request, reply) => {
    const body = formBody(request.body);
    const values = {
      enterpriseName: body.enterpriseName,
      creditCode: body.creditCode,
      contactName: body.contactName,
      email: body.email,
      agree: isTicked(body.agree) ? '1' : undefined,
    };
    try {
      const input = parseInput(registrationForm, body);
      const { sentTo } = await registerEnterprise(deps, { ...input, agreed: true }, requestMeta(request));
      return renderPage(request, reply, <EmailSentPage sentTo={sentTo} />, { title: request.t('register.email_sent_title') });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <EnterpriseRegisterPage values={values} errors={f.errors} formError={f.formError} />, {
        title: request.t('register.title'),
        status: f.status,
      });
    }
  });

  const lookupPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | undefined>,
    failure?: ReturnType<typeof formFailure>,
  ) => {
    const captcha = await createCaptchaFor(deps, request.ip, 'enterprise_lookup');
    return renderPage(request, reply, <LookupRequestPage values={values} errors={failure?.errors ?? {}} formError={failure?.formError} captcha={captcha} />, {
      title: request.t('enterprise.lookup_title'),
      status: failure?.status ?? 200,
    });
  };

  // ?wants=confirm: the link from an unconfirmed enterprise account's home.
  app.get<{ Querystring: { wants?: string } }>('/recover/enterprise', async (request, reply) =>
    lookupPage(request, reply, { wants: request.query.wants === 'confirm' ? 'confirm' : undefined }),
  );

  app.post('/recover/enterprise', { config: { multipartOptions: { limits: { fileSize: MAX_LETTER_BYTES, files: 1 } } } }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const body = formBody(raw);
    const values = {
      enterpriseName: body.enterpriseName,
      creditCode: body.creditCode,
      contactName: body.contactName,
      contactPhone: body.contactPhone,
      contactEmail: body.contactEmail,
      wants: body.wants,
    };
    if (wantsAnotherCaptcha(body)) return lookupPage(request, reply, values, CAPTCHA_REFRESHED);
    try {
      const input = parseInput(lookupForm, body);
      const letter =
        raw.letter && typeof raw.letter === 'object' && Buffer.isBuffer((raw.letter as UploadedFile).data) ? (raw.letter as UploadedFile) : undefined;
      await submitLookupRequest(deps, { ...input, letter, captcha: captchaAnswerOf(body) }, requestMeta(request));
      return renderPage(request, reply, <LookupSubmittedPage />, { title: request.t('enterprise.lookup_title') });
    } catch (error) {
      return lookupPage(request, reply, values, formFailure(error));
    }
  });
}
