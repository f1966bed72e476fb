// Registration over the JSON API (/api/v1), over the same services as the pages.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../http/forms.ts';
import { AppError } from '../lib/errors.ts';
import { apiDoc } from '../http/openapi.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { sessionAnswer } from '../accounts/api-routes.ts';
import { codeField, emailField, optionalEmailField, passwordField, phoneField } from '../accounts/rules.ts';
import { hasIdentityFields, identityInput } from '../identity/input.ts';
import { agreeField } from '../consent/input.ts';
import * as registration from './service.ts';
import { checkedIdentityFrom } from './identity-input.ts';

/** The captcha, once this IP has had its first few SMS (a challenge from POST /api/v1/captchas with form send_code). */
const phoneCodeBody = z.object({
  phone: phoneField,
  captchaId: z.string().max(64).optional(),
  captchaAnswer: z.string().max(16).optional(),
  altcha: z.string().max(4_000).optional(),
});
const phoneRegistrationBody = z
  .object({ phone: phoneField, code: codeField, password: passwordField, email: optionalEmailField, agree: agreeField })
  .extend(identityInput.partial().shape);
const emailRegistrationBody = z.object({ email: emailField, password: passwordField, agree: agreeField });
const emailBody = z.object({ email: emailField });
const activationBody = z.object({ token: z.string({ error: 'activate.invalid' }).max(200), password: passwordField });

const sentAnswer = z.object({ sentTo: z.string().describe('Where the code or link went, masked') });
const registrationAnswer = z.object({ accountId: z.uuid(), session: sessionAnswer, emailConfirmationSentTo: z.string().nullable() });
const activationAnswer = z.object({
  status: z.enum(['ready', 'activated', 'already_active']),
  message: z.string(),
  session: sessionAnswer.optional().describe('Only when this request activated the account'),
  consentDue: z
    .boolean()
    .optional()
    .describe('With the session: a newer user agreement or policy than the registration agreed to, to agree to first (POST /api/v1/account/consents)'),
});

export function registerRegistrationApi(app: FastifyInstance, deps: AccountDeps): void {
  app.post(
    '/api/v1/registrations/phone/code',
    apiDoc({ summary: 'Send the SMS code for phone registration', security: 'none', body: phoneCodeBody, responses: { 200: sentAnswer }, errors: [409, 429] }),
    async (request) => {
      const { phone, captchaId, captchaAnswer, altcha } = parseInput(phoneCodeBody, request.body);
      return registration.sendPhoneRegistrationCode(deps, phone, requestMeta(request), { captchaId, captcha: captchaAnswer, altcha });
    },
  );

  app.post(
    '/api/v1/registrations/phone',
    apiDoc({
      summary: 'Register with a phone number and its SMS code',
      security: 'none',
      body: phoneRegistrationBody,
      responses: { 201: registrationAnswer },
      errors: [409, 429],
    }),
    async (request, reply) => {
      const input = parseInput(phoneRegistrationBody, request.body);
      const identity = hasIdentityFields(request.body) ? await checkedIdentityFrom(deps, request.body) : undefined;
      const result = await registration.registerByPhone(
        deps,
        { phone: input.phone, code: input.code, password: input.password, email: input.email, agreed: true, identity },
        requestMeta(request),
      );
      return reply
        .status(201)
        .send({
          accountId: result.accountId,
          session: { token: result.session.token, expiresAt: result.session.expiresAt },
          emailConfirmationSentTo: result.emailConfirmationSentTo ?? null,
        });
    },
  );

  app.post(
    '/api/v1/registrations/email',
    apiDoc({
      summary: 'Register with an email address; an activation link is mailed',
      security: 'none',
      body: emailRegistrationBody,
      responses: { 202: sentAnswer },
      errors: [409, 429],
    }),
    async (request, reply) => {
      const input = parseInput(emailRegistrationBody, request.body);
      return reply
        .status(202)
        .send(await registration.registerByEmail(deps, { email: input.email, password: input.password, agreed: true }, requestMeta(request)));
    },
  );

  app.post(
    '/api/v1/registrations/email/resend',
    apiDoc({
      summary: 'Send the activation email again',
      security: 'none',
      body: emailBody,
      responses: { 202: z.object({ accepted: z.literal(true) }) },
      errors: [429],
    }),
    async (request, reply) => {
      const { email } = parseInput(emailBody, request.body);
      await registration.resendActivation(deps, email, requestMeta(request));
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/v1/activations',
    apiDoc({
      summary: 'Activate an email registration: the token from its link and the password to sign in with',
      security: 'none',
      body: activationBody,
      responses: { 200: activationAnswer },
      errors: [410, 429],
    }),
    async (request, reply) => {
      const { token, password } = parseInput(activationBody, request.body);
      const result = await registration.activate(deps, token, password, requestMeta(request));
      // A link that cannot activate is an error like any other (one error shape in /api).
      if (result.status === 'invalid') throw new AppError('activate.invalid', { status: 400 });
      if (result.status === 'expired') throw new AppError('activate.expired', { status: 410 });
      const messageKey = ({ ready: 'activate.title', activated: 'activate.done_title', already_active: 'activate.already' } as const)[result.status];
      const session = result.status === 'activated' ? { token: result.session.token, expiresAt: result.session.expiresAt } : undefined;
      const consentDue = result.status === 'activated' ? { consentDue: result.session.consentDue } : {};
      return reply.status(200).send({ status: result.status, message: request.t(messageKey), ...(session ? { session } : {}), ...consentDue });
    },
  );
}
