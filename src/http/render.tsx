// Renders a page component inside the layout, with the request's language and CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { I18nContext } from '../views/i18n-context.ts';
import { Layout } from '../views/layout.tsx';
import { FormContext } from '../views/form-context.ts';
import { NO_PAGE_SETTINGS, PageContext, type PageSettings } from '../views/page-context.ts';

declare module 'fastify' {
  interface FastifyInstance {
    pageSettings: PageSettings;
  }
  interface FastifyRequest {
    /** Shown beside the page (the account menu on signed-in account pages), set by a hook. */
    pageAside?: ComponentChildren;
    /** Help articles for the page, set by the help module's hook. */
    pageHelp?: ReadonlyArray<{ href: string; title: string }>;
  }
}

/** What every page may show from the configuration (customer service), decorated once by buildApp. */
export function installPageSettings(app: FastifyInstance, settings: PageSettings): void {
  app.decorate('pageSettings', settings);
}

export interface PageOptions {
  title: string;
  status?: number;
}

/**
 * The address of the page being shown, for the language switch to come back to. A page shown
 * in answer to a form (POST /register/phone/code) has no address of its own: use the page the
 * form was on, as the same-origin Referer tells, or the start page.
 */
export function pagePath(request: FastifyRequest): string {
  if (request.method === 'GET') return request.url;
  const referer = request.headers.referer;
  if (referer) {
    try {
      const from = new URL(referer);
      // Parse our own Host the same way, so default ports (":80") compare equal.
      if (from.host === new URL(`${from.protocol}//${request.headers.host}`).host) return from.pathname + from.search;
    } catch {
      // not a URL: fall through
    }
  }
  return '/';
}

export function renderPage(request: FastifyRequest, reply: FastifyReply, body: ComponentChildren, options: PageOptions) {
  return renderDocument(
    request,
    reply,
    options.status,
    <Layout
      title={options.title}
      signedIn={Boolean(request.session)}
      inboxUnread={request.session?.account.inboxUnread ?? 0}
      path={pagePath(request)}
      aside={request.pageAside}
      help={request.pageHelp}
    >
      {body}
    </Layout>,
  );
}

/** A whole document (any layout) with the request's language and a CSRF token for its forms. */
export function renderDocument(request: FastifyRequest, reply: FastifyReply, status: number | undefined, document: ComponentChildren) {
  // A page for a request that failed before its cookies were read (an error page) has no form to protect.
  const csrf = request.cookies ? reply.generateCsrf() : '';
  const html = renderToString(
    <I18nContext.Provider value={{ lang: request.lang, t: request.t }}>
      <PageContext.Provider value={reply.server.pageSettings ?? NO_PAGE_SETTINGS}>
        <FormContext.Provider value={{ csrf, signedIn: Boolean(request.session) }}>{document}</FormContext.Provider>
      </PageContext.Provider>
    </I18nContext.Provider>,
  );
  return reply
    .status(status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('<!doctype html>' + html);
}
