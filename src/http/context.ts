// Per-request facts every route needs: the person's language, who is signed in, where the
// request comes from. Set by hooks in app.ts, read through these accessors.
import type { FastifyRequest } from 'fastify';
import type { CurrentSession } from '../sessions/service.ts';
import { translator, type Lang, type Translate } from '../i18n/index.ts';

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
