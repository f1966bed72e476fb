// 帐号管理 → 通行密钥: the list, adding one (its options as JSON for the page script, then the
// form with the browser's answer), renaming and removing. HTTP only: parse, call the service,
// render. Adding and removing need a fresh sign-in (sessions/freshness.ts): the page and form
// routes send a stale session to 确认密码 and back; the options answer where to go instead.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import { isFresh } from '../sessions/freshness.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { AppError } from '../lib/errors.ts';
import type { PasskeyDeps } from './deps.ts';
import { passkeyBrowser, passkeyBrowserOf } from './browser-cookie.ts';
import { addPasskey, registrationOptions } from './registration.ts';
import { passkeysOf, removePasskey, renamePasskey } from './management.ts';
import { registerPasskeyAssets } from './assets.ts';
import { PasskeysPage, type PasskeysProps } from './views/passkeys.tsx';
import { AddPasskeyPage } from './views/add-passkey.tsx';

/** A JSON answer for the page script: the message in the person's language (and the field it belongs to). */
export function jsonFailure(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof AppError)) throw error;
  return reply.status(error.status).send({ code: error.code, message: request.t(error.code, error.params), field: error.field });
}

export function registerPasskeyPages(app: FastifyInstance, deps: PasskeyDeps): void {
  registerPasskeyAssets(app);
  const fresh = (returnTo: string) => ({ preHandler: requireFreshPageSession(deps, returnTo) });

  const list = async (request: FastifyRequest, reply: FastifyReply, props: Omit<PasskeysProps, 'passkeys'> = {}, status = 200) =>
    renderPage(request, reply, <PasskeysPage passkeys={await passkeysOf(deps, request.session!.accountId)} {...props} />, {
      title: request.t('passkeys.title'),
      status,
    });

  app.get('/account/passkeys', { preHandler: requirePageSession }, async (request, reply) => list(request, reply));

  // ---- 添加通行密钥
  app.get('/account/passkeys/new', fresh('/account/passkeys/new'), async (request, reply) =>
    renderPage(request, reply, <AddPasskeyPage name={describeDevice(request.headers['user-agent'])} errors={{}} />, { title: request.t('passkeys.add_title') }),
  );

  app.post('/account/passkeys/options', { preHandler: requirePageSession }, async (request, reply) => {
    if (!isFresh(deps, request.session!)) return reply.status(401).send({ location: '/account/confirm-password?next=%2Faccount%2Fpasskeys%2Fnew' });
    const body = formBody(request.body);
    try {
      const options = await registrationOptions(deps, request.session!.accountId, passkeyBrowser(request, reply), body.name);
      return reply.send({ options });
    } catch (error) {
      return jsonFailure(request, reply, error);
    }
  });

  app.post('/account/passkeys', fresh('/account/passkeys/new'), async (request, reply) => {
    const body = formBody(request.body);
    try {
      const added = await addPasskey(
        deps,
        request.session!.accountId,
        passkeyBrowserOf(request),
        { name: body.name, credential: body.credential },
        requestMeta(request),
      );
      return list(request, reply, { notice: request.t('passkeys.added', { name: added.name }) });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <AddPasskeyPage name={body.name ?? ''} errors={f.errors} formError={f.formError} />, {
        title: request.t('passkeys.add_title'),
        status: f.status,
      });
    }
  });

  // ---- 改名, 删除
  app.post<{ Params: { id: string } }>('/account/passkeys/:id/rename', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const name = await renamePasskey(deps, request.session!.accountId, request.params.id, body.name, requestMeta(request));
      return list(request, reply, { notice: request.t('passkeys.renamed', { name }) });
    } catch (error) {
      const f = formFailure(error);
      return list(request, reply, { errors: f.errors, formError: f.formError, errorFor: request.params.id }, f.status);
    }
  });

  app.post<{ Params: { id: string } }>('/account/passkeys/:id/remove', fresh('/account/passkeys'), async (request, reply) => {
    try {
      const name = await removePasskey(deps, request.session!.accountId, request.params.id, requestMeta(request));
      return list(request, reply, { notice: request.t('passkeys.removed', { name }) });
    } catch (error) {
      const f = formFailure(error);
      return list(request, reply, { formError: f.formError }, f.status);
    }
  });
}
