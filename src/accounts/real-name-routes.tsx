// 基本信息 pages and API: save once, then read masked. HTTP only; the rules live in real-name.ts
// and identity/.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requireApiSession, requirePageSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import type { CurrentSession } from '../sessions/service.ts';
import { checkIdentity, identityOf, type IdentityDeps, type SaveOutcome } from '../identity/service.ts';
import { identityInput } from '../identity/input.ts';
import { isTicked } from '../consent/input.ts';
import { saveRealName } from './real-name.ts';
import { requireFreshApiSession, requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import type { IdType } from '../identity/id-numbers/index.ts';
import { DuplicateHelpPage } from '../identity/views/identity-fields.tsx';
import { IdentityFormPage, IdentitySavedPage } from './views/real-name-page.tsx';
import { requestMeta } from '../http/request-meta.ts';
import { isFresh } from '../sessions/freshness.ts';

const identityAnswer = z.object({ name: z.string(), idType: z.string(), masked: z.string(), verifierResult: z.string(), checkedAt: z.iso.datetime() });
const myIdentityAnswer = identityAnswer.extend({ bound: z.boolean().describe('Whether the real name is bound (实名信息绑定)') });
const savedAnswer = z.object({
  outcome: z.enum(['owner', 'claimant']),
  accountState: z.enum(['pending_activation', 'active', 'needs_verification', 'suspended', 'deregistered']),
  identity: identityAnswer,
});

/**
 * Real-name binding rests on a proved mobile number (mainland numbers are themselves registered
 * to a real name, which an email address is not): an owner with a proved phone is bound at once;
 * others bind a phone with a code, or ask a classmate who has.
 */
export function provedContact(session: CurrentSession): 'phone' | null {
  return session.account.phoneVerifiedAt ? 'phone' : null;
}

async function saveFor(deps: IdentityDeps, session: CurrentSession, body: unknown, ip: string): Promise<SaveOutcome> {
  const input = parseInput(identityInput, body);
  const checked = await checkIdentity(deps, { ...input, idType: input.idType as IdType });
  return deps.db
    .transaction()
    .execute((tx) => saveRealName(tx, { identity: deps, clock: deps.clock }, session.accountId, checked, { ip, provedPhone: provedContact(session) !== null }));
}

export function registerRealNameRoutes(app: FastifyInstance, deps: IdentityDeps): void {
  app.get('/account/identity', { preHandler: requirePageSession }, async (request, reply) => {
    const identity = await identityOf(deps.db, request.session!.accountId);
    const title = request.t('identity.title');
    if (!identity && !isFresh(deps, request.session!)) return reply.redirect('/account/confirm-password?next=%2Faccount%2Fidentity', 303);
    if (identity)
      return renderPage(
        request,
        reply,
        <IdentitySavedPage
          identity={identity}
          bound={Boolean(request.session!.account.realnameBoundAt)}
          needsVerification={request.session!.account.state === 'needs_verification'}
        />,
        { title },
      );
    return renderPage(request, reply, <IdentityFormPage values={{}} errors={{}} verifier={deps.verifier.operator} />, { title });
  });

  // Saving is for good, and it decides who may recover the account: it wants a fresh sign-in.
  app.post('/account/identity', { preHandler: requireFreshPageSession(deps, '/account/identity') }, async (request, reply) => {
    const body = formBody(request.body);
    const title = request.t('identity.title');
    try {
      const outcome = await saveFor(deps, request.session!, body, requestMeta(request).ip);
      const identity = (await identityOf(deps.db, request.session!.accountId))!;
      const notice = outcome === 'owner' ? 'identity.saved' : 'identity.saved_claimant';
      return renderPage(
        request,
        reply,
        <IdentitySavedPage
          identity={identity}
          bound={outcome === 'owner' && provedContact(request.session!) !== null}
          needsVerification={outcome === 'claimant'}
          notice={notice}
        />,
        { title },
      );
    } catch (error) {
      const f = formFailure(error);
      const values = {
        name: body.name,
        idType: body.idType,
        idNumber: body.idNumber,
        reRegister: body.reRegister === '1',
        agreeSensitive: isTicked(body.agreeSensitive),
      };
      return renderPage(request, reply, <IdentityFormPage values={values} errors={f.errors} formError={f.formError} verifier={deps.verifier.operator} />, {
        title,
        status: f.status,
      });
    }
  });

  app.get('/help/duplicate-id', async (request, reply) => renderPage(request, reply, <DuplicateHelpPage />, { title: request.t('identity.solutions_title') }));

  app.get(
    '/api/v1/account/identity',
    {
      preHandler: requireApiSession,
      ...apiDoc({ summary: 'My real-name information, masked', security: 'session', responses: { 200: myIdentityAnswer }, errors: [404] }),
    },
    async (request, reply) => {
      const identity = await identityOf(deps.db, request.session!.accountId);
      if (!identity) return reply.status(404).send({ error: { code: 'identity.missing', message: request.t('home.todo_realname') } });
      return { ...identity, bound: Boolean(request.session!.account.realnameBoundAt) };
    },
  );

  app.post(
    '/api/v1/account/identity',
    {
      preHandler: requireFreshApiSession(deps),
      ...apiDoc({
        summary: 'Save my real-name information (once)',
        security: 'session',
        body: identityInput,
        responses: { 201: savedAnswer },
        errors: [409, 429],
      }),
    },
    async (request, reply) => {
      const outcome = await saveFor(deps, request.session!, request.body, requestMeta(request).ip);
      const identity = await identityOf(deps.db, request.session!.accountId);
      return reply.status(201).send({ outcome, accountState: outcome === 'claimant' ? 'needs_verification' : request.session!.accountState, identity });
    },
  );
}
