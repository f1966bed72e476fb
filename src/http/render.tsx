// Renders a page component inside the layout, with the request's language and CSRF token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { I18nContext } from './i18n.ts';
import { Layout } from '../views/layout.tsx';
import { FormContext } from '../views/form-context.ts';

export interface PageOptions {
  title: string;
  status?: number;
}


export function renderPage(request: FastifyRequest, reply: FastifyReply, body: ComponentChildren, options: PageOptions) {
  const csrf = reply.generateCsrf();
  const html = renderToString(
    <I18nContext.Provider value={{ lang: request.lang, t: request.t }}>
      <FormContext.Provider value={{ csrf }}>
        <Layout title={options.title} signedIn={Boolean(request.session)} path={request.url}>
          {body}
        </Layout>
      </FormContext.Provider>
    </I18nContext.Provider>,
  );
  return reply
    .status(options.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('<!doctype html>' + html);
}
