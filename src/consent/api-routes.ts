// Consent over the JSON API, for apps that sign in with POST /api/v1/sessions (whose answer says
// `consentDue` when a document has a newer version than the account agreed to):
//   GET  /api/v1/legal                  the current documents: kind, title, version, where to read them
//   GET  /api/v1/account/consents       what this account agreed to, and what is due
//   POST /api/v1/account/consents       agrees to the versions the app showed (a newer one since: 409)
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiDoc } from '../http/openapi.ts';
import { parseInput } from '../http/forms.ts';
import { requireApiSession } from '../http/session-hooks.ts';
import { AppError } from '../lib/errors.ts';
import { LEGAL_DOCUMENTS } from './documents.ts';
import { consentHistory, documentsToAsk, renewAgreement } from './service.ts';
import type { ConsentDeps } from './routes.tsx';

const documentAnswer = z.object({
  kind: z.enum(LEGAL_DOCUMENTS),
  title: z.string(),
  version: z.string(),
  url: z.string().describe('The page that shows it, in the Accept-Language'),
});
const legalAnswer = z.object({ documents: z.array(documentAnswer) });
const consentsAnswer = z.object({
  due: z.array(z.object({ kind: z.enum(LEGAL_DOCUMENTS), version: z.string(), agreed: z.string().nullable().describe('The version agreed before, if any') })),
  agreed: z.array(z.object({ document: z.string(), version: z.string(), agreedAt: z.iso.datetime() })),
});
const agreeBody = z.object({
  terms: z.string({ error: 'consent.required' }).max(32, { error: 'consent.required' }).describe('The version of the user agreement shown'),
  privacy: z.string({ error: 'consent.required' }).max(32, { error: 'consent.required' }).describe('The version of the personal information policy shown'),
});

export function registerConsentApi(app: FastifyInstance, deps: ConsentDeps): void {
  app.get(
    '/api/v1/legal',
    apiDoc({ summary: 'The current user agreement and personal information policy', security: 'none', responses: { 200: legalAnswer } }),
    async (request) => ({
      documents: LEGAL_DOCUMENTS.map((kind) => {
        const document = deps.legal.document(kind, request.lang);
        return { kind, title: document.title, version: document.version, url: `/legal/${kind}` };
      }),
    }),
  );

  const consentsOf = async (accountId: string, sessionHeld: boolean) => {
    const due = await documentsToAsk(deps.db, deps.legal, accountId, sessionHeld);
    const history = await consentHistory(deps.db, accountId);
    return {
      due: due.map(({ kind, agreed }) => ({ kind, version: deps.legal.versions[kind], agreed: agreed ?? null })),
      agreed: history.map((c) => ({ document: c.document, version: c.version, agreedAt: c.accepted_at })),
    };
  };

  app.get(
    '/api/v1/account/consents',
    { preHandler: requireApiSession, ...apiDoc({ summary: 'What I agreed to, and what is due', security: 'session', responses: { 200: consentsAnswer } }) },
    async (request) => consentsOf(request.session!.accountId, request.session!.consentDue),
  );

  app.post(
    '/api/v1/account/consents',
    {
      preHandler: requireApiSession,
      ...apiDoc({ summary: 'Agree to the current documents', security: 'session', body: agreeBody, responses: { 200: consentsAnswer }, errors: [409] }),
    },
    async (request) => {
      const shown = parseInput(agreeBody, request.body);
      const recorded = await renewAgreement(deps.db, deps.legal, request.session!.accountId, shown, { ip: request.ip, at: deps.clock.now() });
      if (!recorded) throw new AppError('consent.version_changed', { status: 409 });
      return consentsOf(request.session!.accountId, false);
    },
  );
}
