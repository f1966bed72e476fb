// The language switch: a cookie remembers the choice; without one, zh-CN.
import type { FastifyInstance } from 'fastify';
import { parseLang } from '../i18n/index.ts';
import { setLang } from './context.ts';
import { safeLocalPath } from './safe-path.ts';

export function registerLanguage(app: FastifyInstance): void {
  app.decorateRequest('lang', 'zh-CN');
  app.decorateRequest('t', null as never);
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const fromQuery = typeof query?.lang === 'string' ? parseLang(query.lang) : undefined;
    setLang(request, fromQuery ?? parseLang(request.cookies[app.cookiePolicy.langName]) ?? 'zh-CN');
  });
  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', async (request, reply) => {
    const lang = parseLang(request.params.lang) ?? 'zh-CN';
    reply.setCookie(app.cookiePolicy.langName, lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: app.cookiePolicy.secure, maxAge: 31_536_000 });
    return reply.redirect(safeLocalPath(request.query.next, '/'), 303);
  });
}
