// Per-request facts every route needs: the person's language, who is signed in, where the
// request comes from. Set by hooks in app.ts, read through these accessors.
import type { FastifyRequest } from 'fastify';
import type { CurrentSession } from '../sessions/service.ts';
import { translator, type Lang, type Translate } from '../i18n/index.ts';
import type { RequestMeta } from '../accounts/deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: Translate;
    session: CurrentSession | undefined;
  }
}

export function setLang(request: FastifyRequest, lang: Lang): void {
  request.lang = lang;
  request.t = translator(lang);
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : null };
}
