// /console/platforms: 平台管理 for administrators (the same registry as `tongxing client`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import { firstFailureCode, formFailure } from '../http/page-errors.ts';
import type { UploadedFile } from '../http/uploads.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { IdNumberAccess } from '../db/schema.ts';
import { CLIENT_ID, MAX_LOGO_BYTES, type ClientChanges, type SsoScope } from '../sso/clients.ts';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';
import { randomToken } from '../lib/crypto.ts';
import { CONSOLE, renderConsole, requireStaff, staffActor } from './console-http.tsx';
import { reasonField } from './reason.ts';
import {
  addCasPlatformByStaff,
  addPlatform,
  editCasPlatform,
  editPlatform,
  platformDetail,
  platformList,
  rotatePlatformSecret,
  setPlatformDisabled,
  setPlatformLogo,
} from './platform-service.ts';
import type { CasPlatformChanges } from '../sso/cas-registry.ts';
import { CHOOSABLE_SCOPES, PlatformPage, PlatformsPage } from './views/platform-pages.tsx';

/** A client id in the path; anything else is not found before any SQL. */
function clientParam(value: string): string {
  if (!CLIENT_ID.test(value)) throw new AppError('console.not_found', { status: 404 });
  return value;
}

/** One URI a line (the textareas); blank lines dropped. */
const uriLines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function changesOf(body: Record<string, string>): ClientChanges {
  return {
    name: body.name ?? '',
    redirectUris: uriLines(body.redirectUris),
    postLogoutRedirectUris: uriLines(body.postLogoutRedirectUris),
    backchannelLogoutUri: body.backchannelLogoutUri?.trim() || undefined,
    webhookUrl: body.webhookUrl?.trim() || undefined,
  };
}

/** A CAS platform's form: its services one a line, whether it may proxy. */
function casChangesOf(body: Record<string, string>): CasPlatformChanges {
  return { name: body.name ?? '', services: uriLines(body.services), proxy: body.proxy === '1' };
}

/** The release policy both add forms carry: scopes, ID-number access, the real-name requirement. */
function policyOf(body: Record<string, string>) {
  const idNumber = (body.idNumber ?? 'none') as IdNumberAccess;
  if (!ID_ACCESS.includes(idNumber)) throw new AppError('validation.failed');
  const scopes = CHOOSABLE_SCOPES.filter((s) => body[`scope_${s}`] === '1') as SsoScope[];
  return { requiresRealname: body.requiresRealname === '1', scopes, idNumberAccess: idNumber };
}

/** The uploaded logo, or undefined when none was chosen (an empty file input sends an empty part). */
function logoOf(request: FastifyRequest): Buffer | undefined {
  const file = (request.body as Record<string, unknown> | undefined)?.logo as UploadedFile | undefined;
  if (!file || !Buffer.isBuffer(file.data) || file.data.length === 0) return undefined;
  if (file.truncated) throw new AppError('sso.platform_logo_too_big', { field: 'logo', status: 413, params: { max: MAX_LOGO_BYTES / 1024 } });
  return file.data;
}

const ID_ACCESS: readonly IdNumberAccess[] = ['none', 'masked', 'full'];

/** A single-use token for each form whose answer shows a secret once (128 random bits, base64url). */
const newFormToken = () => randomToken(16);
const FORM_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The form's token, or the form is refused: without one a resubmission could not be told apart. */
function formTokenOf(body: Record<string, string>): string {
  const token = body.formToken ?? '';
  if (!FORM_TOKEN.test(token)) throw new AppError('console.platform_form_token_missing', { status: 400 });
  return token;
}

const NOTICES: Record<string, MessageKey> = {
  saved: 'console.platform_saved',
  logo: 'console.platform_logo_done',
  disabled: 'console.platform_disabled_done',
  enabled: 'console.platform_enabled_done',
};

/** A resubmitted form (its token spent): what was done the first time, and that the secret is not shown again. */
const ALREADY_DONE: Record<string, MessageKey> = { added_before: 'console.platform_add_already_done', rotated_before: 'console.platform_rotate_already_done' };

/** The add form carries a logo and up to seven scope boxes: more parts than the site-wide multipart limit. */
const UPLOAD = { multipartOptions: { limits: { fileSize: MAX_LOGO_BYTES + 1, files: 1, fields: 20, fieldSize: 8_000, parts: 22 } } };

export function registerPlatformPages(app: FastifyInstance, deps: AccountDeps, allowLoopbackHttp: boolean): void {
  const casDeps = { ...deps, allowLoopbackHttp };
  const guard = { onRequest: requireStaff('platforms') };
  const title = (request: FastifyRequest) => request.t('console.platforms_title');

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<Parameters<typeof PlatformsPage>[0], 'platforms' | 'formToken' | 'casFormToken'> & { status?: number } = {},
  ) =>
    // One token per form: both add forms record the same action, so one shared token would make
    // the second form's first submission look like a resubmission of the first.
    renderConsole(request, reply, <PlatformsPage platforms={await platformList(deps)} formToken={newFormToken()} casFormToken={newFormToken()} {...extra} />, {
      title: title(request),
      ...(extra.status ? { status: extra.status } : {}),
    });

  const showOne = async (
    request: FastifyRequest,
    reply: FastifyReply,
    clientId: string,
    extra: Omit<Parameters<typeof PlatformPage>[0], 'platform' | 'formToken'> & { status?: number } = {},
  ) => {
    const platform = await platformDetail(deps, clientId);
    return renderConsole(request, reply, <PlatformPage platform={platform} formToken={newFormToken()} {...extra} />, {
      title: `${title(request)} · ${platform.name}`,
      ...(extra.status ? { status: extra.status } : {}),
    });
  };

  app.get(`${CONSOLE}/platforms`, guard, async (request, reply) => showList(request, reply));

  app.post(`${CONSOLE}/platforms`, { ...guard, config: UPLOAD }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const input = { ...changesOf(body), ...policyOf(body) };
      const added = await addPlatform(deps, input, logoOf(request), formTokenOf(body), staffActor(request));
      // Resubmitted (a reload): the platform the first submission added, its secret not shown again.
      if ('alreadyDone' in added) return reply.redirect(`${CONSOLE}/platforms/${added.alreadyDone.clientId}?done=added_before`, 303);
      return await showList(request, reply, { added: { name: input.name.trim(), ...added.done } });
    } catch (error) {
      const f = formFailure(error);
      const { _csrf: _token, formToken: _formToken, ...values } = body;
      return showList(request, reply, { errors: f.errors, error: f.formError?.code, status: f.status, values });
    }
  });

  app.post(`${CONSOLE}/platforms/cas`, { ...guard, config: UPLOAD }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const input = { ...casChangesOf(body), ...policyOf(body) };
      const added = await addCasPlatformByStaff(casDeps, input, logoOf(request), formTokenOf(body), staffActor(request));
      if ('alreadyDone' in added) return reply.redirect(`${CONSOLE}/platforms/${added.alreadyDone.clientId}?done=added_before`, 303);
      return await showList(request, reply, { addedCas: { name: input.name.trim(), ...added.done } });
    } catch (error) {
      const f = formFailure(error);
      const { _csrf: _token, formToken: _formToken, ...values } = body;
      return showList(request, reply, { casErrors: f.errors, error: f.formError?.code, status: f.status, casValues: values });
    }
  });

  app.get<{ Params: { clientId: string }; Querystring: { done?: string } }>(`${CONSOLE}/platforms/:clientId`, guard, async (request, reply) =>
    showOne(request, reply, clientParam(request.params.clientId), {
      notice: own(NOTICES, request.query.done),
      alreadyDone: own(ALREADY_DONE, request.query.done),
    }),
  );

  app.post<{ Params: { clientId: string } }>(`${CONSOLE}/platforms/:clientId/edit`, guard, async (request, reply) => {
    const clientId = clientParam(request.params.clientId);
    const body = formBody(request.body);
    try {
      const platform = await platformDetail(deps, clientId);
      if (platform.protocol === 'cas') await editCasPlatform(casDeps, clientId, casChangesOf(body), staffActor(request));
      else await editPlatform(deps, clientId, changesOf(body), staffActor(request));
      return reply.redirect(`${CONSOLE}/platforms/${clientId}?done=saved`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw error;
      const f = formFailure(error);
      const { _csrf: _token, ...values } = body;
      return showOne(request, reply, clientId, { errors: f.errors, error: f.formError?.code, status: f.status, values });
    }
  });

  app.post<{ Params: { clientId: string } }>(`${CONSOLE}/platforms/:clientId/logo`, { ...guard, config: UPLOAD }, async (request, reply) => {
    const clientId = clientParam(request.params.clientId);
    try {
      const remove = formBody(request.body).remove === '1';
      const logo = remove ? undefined : logoOf(request);
      if (!remove && !logo) throw new AppError('console.platform_logo_required', { field: 'logo' });
      await setPlatformLogo(deps, clientId, logo, staffActor(request));
      return reply.redirect(`${CONSOLE}/platforms/${clientId}?done=logo`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw error;
      const f = formFailure(error);
      return showOne(request, reply, clientId, { errors: f.errors, error: f.formError?.code, status: f.status });
    }
  });

  app.post<{ Params: { clientId: string; action: string } }>(`${CONSOLE}/platforms/:clientId/:action`, guard, async (request, reply) => {
    const clientId = clientParam(request.params.clientId);
    const action = request.params.action;
    if (action !== 'rotate-secret' && action !== 'disable' && action !== 'enable') throw new AppError('console.not_found', { status: 404 });
    // A CAS platform has no secret to rotate.
    if (action === 'rotate-secret' && (await platformDetail(deps, clientId)).protocol === 'cas') throw new AppError('console.not_found', { status: 404 });
    try {
      const body = formBody(request.body);
      const { reason } = parseInput(z.object({ reason: reasonField }), body);
      if (action === 'rotate-secret') {
        const rotated = await rotatePlatformSecret(deps, clientId, reason, formTokenOf(body), staffActor(request));
        // Resubmitted (a reload): rotated once only, so the secret shown the first time still works.
        if ('alreadyDone' in rotated) return reply.redirect(`${CONSOLE}/platforms/${rotated.alreadyDone.clientId}?done=rotated_before`, 303);
        // Shown on this answer only (never in a URL or a redirect), like a new platform's secret.
        return await showOne(request, reply, clientId, { rotatedSecret: rotated.done });
      }
      await setPlatformDisabled(deps, clientId, action === 'disable', reason, staffActor(request));
      return reply.redirect(`${CONSOLE}/platforms/${clientId}?done=${action}d`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw error;
      return showOne(request, reply, clientId, { error: firstFailureCode(error), status: error instanceof AppError ? error.status : 400 });
    }
  });
}
