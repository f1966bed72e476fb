// Consent pages, HTTP only:
//   GET  /legal/terms, /legal/privacy  the documents in the reader's language, with their version
//   GET  /legal/retention              how long each kind of information is kept, as configured
//   GET  /consent                      after a sign-in, the new versions to agree to (keeps `next`)
//   POST /consent                      agrees to what the page showed, then on to `next`
// Declining is signing out (the page's second form posts to /logout): an account cannot be used
// under documents its holder has not agreed to, and nothing else changes. When a platform's
// sign-in waits behind the page, the form posts to that protocol's way of ending it instead
// (views/pages.tsx declineTarget), which signs out as well.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { isLegalDocument, LEGAL_DOCUMENTS, type LegalLibrary } from './documents.ts';
import { documentsToAsk, renewAgreement } from './service.ts';
import { LegalDocumentPage, RenewConsentPage, RetentionPage } from './views/pages.tsx';
import type { RetentionPeriod } from './retention-periods.ts';

export interface ConsentDeps {
  db: Db;
  clock: Clock;
  legal: LegalLibrary;
}

export function registerConsentPages(app: FastifyInstance, deps: ConsentDeps, periods: RetentionPeriod[]): void {
  app.get('/legal/retention', async (request, reply) => renderPage(request, reply, <RetentionPage periods={periods} />, { title: request.t('periods.title') }));

  app.get('/legal/:kind', async (request, reply) => {
    const kind = (request.params as { kind: string }).kind;
    if (!isLegalDocument(kind)) {
      return renderPage(request, reply, <p id="legal-unknown">{request.t('consent.unknown_document')}</p>, {
        title: request.t('consent.unknown_document'),
        status: 404,
      });
    }
    const document = deps.legal.document(kind, request.lang);
    return renderPage(request, reply, <LegalDocumentPage document={document} />, { title: document.title });
  });

  /** `held`: the session still waits (false once this request recorded the agreement, which let it go). */
  async function renewPage(request: FastifyRequest, reply: FastifyReply, next: string, held = request.session!.consentDue) {
    const due = await documentsToAsk(deps.db, deps.legal, request.session!.accountId, held);
    if (due.length === 0) return reply.redirect(next, 303);
    const items = due.map(({ kind, agreed }) => ({ document: deps.legal.document(kind, request.lang), agreed }));
    return renderPage(request, reply, <RenewConsentPage items={items} versions={deps.legal.versions} next={next === '/account' ? undefined : next} />, {
      title: request.t('consent.renew_title'),
    });
  }

  app.get('/consent', { preHandler: requirePageSession }, async (request, reply) =>
    renewPage(request, reply, safeLocalPath((request.query as Record<string, unknown>).next as string | undefined, '/account')),
  );

  app.post('/consent', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const next = safeLocalPath(body.next, '/account');
    const shown = Object.fromEntries(LEGAL_DOCUMENTS.map((kind) => [kind, body[`version_${kind}`]]));
    const recorded = await renewAgreement(deps.db, deps.legal, request.session!.accountId, shown, { ip: request.ip, at: deps.clock.now() });
    // Agreed: on to `next`. Not recorded (a newer version appeared meanwhile): the page asks again.
    return renewPage(request, reply, next, recorded ? false : request.session!.consentDue);
  });
}
