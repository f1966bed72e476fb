// The JSON API for the mobile app and platforms (/api/v1), over the same services as the pages.
// Sessions travel as Bearer tokens; errors as { error: { code, message, fields? } } (error-pages.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../http/forms.ts';
import { requireApiSession } from '../http/session-hooks.ts';
import { createCaptchaFor } from '../captcha/service.ts';
import type { AccountDeps } from './deps.ts';
import { signIn, signOut } from './signin-service.ts';
import { accountOverview, endSession, sessionsOf } from './account-service.ts';
import { apiDoc } from '../http/openapi.ts';
import { requestMeta } from '../http/request-meta.ts';
import { SecondFactorRequired, type SignedIn } from './sign-in-completion.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { finishWithCode } from './second-factor-sign-in.ts';

const signInBody = z.object({
  username: z.string({ error: 'login.username_required' }).min(1, { error: 'login.username_required' }).max(254),
  password: z.string({ error: 'password.required' }).min(1, { error: 'password.required' }).max(1024),
  captchaId: z.string().max(64).optional(),
  captchaAnswer: z.string().max(16).optional(),
  /** The proof of work solved for the challenge of POST /api/v1/captchas (base64 of {challenge, solution}). */
  altcha: z.string().max(4000).optional(),
});

/** The second step of an API sign-in: what POST /api/v1/sessions answered, and the code. */
const secondFactorBody = z.object({
  pendingToken: z.string({ error: 'mfa.step_expired' }).min(1, { error: 'mfa.step_expired' }).max(128),
  code: z.string({ error: 'mfa.code_required' }).trim().min(1, { error: 'mfa.code_required' }).max(32),
});

/** Which request the captcha is for: sign-in after failures (the default) or an SMS code past the first few. */
const captchaBody = z.object({ form: z.enum(['sign_in', 'send_code'], { error: 'error.bad_request' }).optional() }).optional();

/** A new session, in one place in every answer that makes one (sign-in, registration, activation). */
export const sessionAnswer = z.object({ token: z.string().describe('The Bearer token for Authorization'), expiresAt: z.iso.datetime() });
const signInAnswer = z.object({
  accountId: z.uuid(),
  session: sessionAnswer,
  consentDue: z.boolean().describe('A newer user agreement or policy to agree to: GET and POST /api/v1/account/consents'),
});
const captchaAnswer = z.object({
  id: z.string(),
  image: z.string().describe('A data: URL of the PNG picture'),
  pow: z.record(z.string(), z.unknown()).nullable().describe('The ALTCHA challenge (opaque, for the widget), or null when proof of work is off'),
});
const sessionsAnswer = z.object({
  sessions: z.array(
    z.object({
      id: z.uuid(),
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      current: z.boolean(),
    }),
  ),
});
const contactAnswer = z.object({ masked: z.string(), verified: z.boolean() }).nullable();
const accountAnswer = z.object({
  id: z.uuid(),
  maskedUsername: z.string(),
  state: z.enum(['pending_activation', 'active', 'needs_verification', 'suspended', 'deregistered']),
  phone: contactAnswer,
  email: contactAnswer,
  identity: z.object({ name: z.string(), idType: z.string(), masked: z.string(), verifierResult: z.string() }).nullable(),
  realnameBound: z.boolean(),
  enterprise: z.boolean(),
  createdAt: z.iso.datetime(),
  todo: z.array(z.object({ key: z.string(), message: z.string() })),
});
const sessionIdParams = z.object({ id: z.string() });

/** Where an app cancels a cooling-off 注销帐号 (leaving/api-routes.ts), with the session the sign-in answered. */
export const CANCEL_DEREGISTRATION_PATH = '/api/v1/account/deregistration/cancel';

/**
 * A sign-in's answer: 201 with the session; or, while the account's own 注销帐号 cools off, 409
 * leaving.cooling_off with the session inside, as the web sign-in goes first to the offer of
 * 撤销注销: the app tells the person, then cancels (CANCEL_DEREGISTRATION_PATH) or signs out.
 */
function answerSignedIn(request: FastifyRequest, reply: FastifyReply, result: SignedIn) {
  const session = { token: result.session.token, expiresAt: result.session.expiresAt.toISOString() };
  const due = result.session.deregistrationDue;
  if (!due) return reply.status(201).send({ accountId: result.accountId, session, consentDue: result.session.consentDue ?? false });
  return reply.status(409).send({
    error: {
      code: 'leaving.cooling_off',
      message: request.t('leaving.cooling_off', { due: formatBeijing(due, request.lang) }),
      deregistration: {
        dueAt: due.toISOString(),
        cancel: CANCEL_DEREGISTRATION_PATH,
        accountId: result.accountId,
        session,
        // After cancelling, the session may still be held until the new documents are agreed to.
        consentDue: result.session.consentDue ?? false,
      },
    },
  });
}

export function registerAccountApi(app: FastifyInstance, deps: AccountDeps): void {
  app.post(
    '/api/v1/captchas',
    apiDoc({
      summary: 'A new captcha (sign-in after failures, or an SMS code): a proof-of-work challenge (ALTCHA) and a PNG picture',
      security: 'none',
      body: captchaBody,
      responses: { 200: captchaAnswer },
      errors: [429],
    }),
    async (request) => {
      const form = parseInput(captchaBody, request.body ?? undefined)?.form ?? 'sign_in';
      const captcha = await createCaptchaFor(deps, request.ip, form);
      return {
        id: captcha.image.id,
        image: `data:image/png;base64,${captcha.image.png.toString('base64')}`,
        pow: captcha.pow ? (JSON.parse(captcha.pow) as unknown) : null,
      };
    },
  );

  app.post(
    '/api/v1/sessions',
    apiDoc({
      summary: 'Sign in; answers a Bearer session token (409 leaving.cooling_off: the account is being deregistered, see error.deregistration)',
      security: 'none',
      body: signInBody,
      responses: { 201: signInAnswer },
      errors: [401, 403, 409, 429],
    }),
    async (request, reply) => {
      const { captchaId, captchaAnswer, altcha, ...input } = parseInput(signInBody, request.body);
      try {
        const result = await signIn(deps, { ...input, captcha: { captchaId, captcha: captchaAnswer, altcha } }, requestMeta(request));
        return answerSignedIn(request, reply, result);
      } catch (error) {
        // The password was right and the account has a second factor: the app asks for the code
        // and sends it with this pending token to POST /api/v1/sessions/second-factor.
        if (!(error instanceof SecondFactorRequired)) throw error;
        return reply
          .status(401)
          .send({
            error: { code: error.code, message: request.t(error.code), secondFactor: { pendingToken: error.token, expiresAt: error.expiresAt.toISOString() } },
          });
      }
    },
  );

  app.post(
    '/api/v1/sessions/second-factor',
    apiDoc({
      summary: 'The second step of a sign-in: the pending token and an authenticator or recovery code; answers a Bearer session token',
      security: 'none',
      body: secondFactorBody,
      responses: { 201: signInAnswer },
      errors: [401, 409, 410, 429],
    }),
    async (request, reply) => {
      const { pendingToken, code } = parseInput(secondFactorBody, request.body);
      const done = await finishWithCode(deps, pendingToken, code, requestMeta(request));
      return answerSignedIn(request, reply, done);
    },
  );

  app.get(
    '/api/v1/sessions',
    { preHandler: requireApiSession, ...apiDoc({ summary: 'My live sessions', security: 'session', responses: { 200: sessionsAnswer } }) },
    async (request) => ({ sessions: await sessionsOf(deps, request.session!.accountId, request.session!.id) }),
  );

  app.delete(
    '/api/v1/sessions/current',
    { preHandler: requireApiSession, ...apiDoc({ summary: 'Sign out this session', security: 'session', responses: { 204: null } }) },
    async (request, reply) => {
      await signOut(deps, request.session!.accountId, request.session!.id, requestMeta(request));
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/sessions/:id',
    {
      preHandler: requireApiSession,
      ...apiDoc({ summary: 'End one of my sessions', security: 'session', params: sessionIdParams, responses: { 204: null }, errors: [404] }),
    },
    async (request, reply) => {
      const id = z.uuid().safeParse(request.params.id);
      if (!id.success) return reply.status(404).send({ error: { code: 'sessions.not_found', message: request.t('sessions.not_found') } });
      await endSession(deps, request.session!.accountId, id.data, requestMeta(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/account',
    {
      preHandler: requireApiSession,
      ...apiDoc({ summary: 'My account: masked username, state, what is still to do', security: 'session', responses: { 200: accountAnswer } }),
    },
    async (request) => {
      const account = accountOverview(request.session!.account);
      return { ...account, todo: account.todo.map((item) => ({ key: item.key, message: request.t(item.key, item.params) })) };
    },
  );
}
