// The person's language: what they chose with the language switch (a cookie, or ?lang= for one
// request) wins; until they choose, what their browser or app asks for (Accept-Language); else zh-CN.
import type { FastifyInstance } from 'fastify';
import { parseLang } from '../i18n/index.ts';
import { negotiateLang } from '../i18n/accept-language.ts';
import { setLang } from './context.ts';
import { safeLocalPath } from './safe-path.ts';

export function registerLanguage(app: FastifyInstance): void {
  app.decorateRequest('lang', 'zh-CN');
  app.decorateRequest('t', null as never);
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const fromQuery = typeof query?.lang === 'string' ? parseLang(query.lang) : undefined;
    const chosen = fromQuery ?? parseLang(request.cookies[app.cookiePolicy.langName]);
    setLang(request, chosen ?? negotiateLang(request.headers['accept-language']) ?? 'zh-CN');
  });
  // What a page or an API answer says depends on both headers: caches must keep one copy per pair.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/static/')) return;
    const vary = reply.getHeader('vary');
    const have = new Set(
      String(vary ?? '')
        .split(',')
        .map((v) => v.trim().toLowerCase())
        .filter(Boolean),
    );
    const add = ['Accept-Language', 'Cookie'].filter((h) => !have.has(h.toLowerCase()) && !have.has('*'));
    if (add.length) reply.header('vary', [vary, ...add].filter(Boolean).join(', '));
  });
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', async (request, reply) => {
    const lang = parseLang(request.params.lang) ?? 'zh-CN';
    reply.setCookie(app.cookiePolicy.langName, lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: app.cookiePolicy.secure, maxAge: 31_536_000 });
    return reply.redirect(safeLocalPath(request.query.next, '/'), 303);
  });
}
