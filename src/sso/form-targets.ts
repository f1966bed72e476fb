// The pages whose forms end, through redirects, at a platform: 登录 and the new documents at
// /consent (when they continue a platform's sign-in), the interaction pages (同意并登录, 拒绝,
// 返回平台) and the provider's sign-out confirmation. Browsers apply the CSP's form-action to
// those redirects as well, so these pages allow the origin of the one platform URI the flow will
// end at, taken from the provider's own record of the interaction (or, for sign-out, the URI the
// provider has checked against the platform's registration).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { allowFormTarget } from '../http/security-headers.ts';
import { interactionRedirectUri } from './payload-queries.ts';

async function redirectOriginOfInteraction(db: Db, uid: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(uid)) return undefined;
  const uri = await interactionRedirectUri(db, uid);
  try {
    return uri ? new URL(uri).origin : undefined;
  } catch {
    return undefined;
  }
}

/** The origin of the redirect URI an interaction the page has read will end at. */
export function redirectOriginOf(interaction: { params: Record<string, unknown> }): string | undefined {
  const uri = interaction.params.redirect_uri;
  try {
    return typeof uri === 'string' ? new URL(uri).origin : undefined;
  } catch {
    return undefined;
  }
}

export function installFormTargets(app: FastifyInstance, db: Db): void {
  app.addHook('onRequest', async (request, reply) => {
    // Every request passes here: only the page concerned is parsed. The interaction pages
    // (/sso/interaction/…) read the interaction themselves and allow its origin from what they
    // read (sso/routes.tsx), rather than this hook reading it once more.
    if (!request.url.startsWith('/login?') && !request.url.startsWith('/consent?')) return;
    const url = new URL(request.url, 'http://local');
    const uid =
      url.pathname === '/login' || url.pathname === '/consent' ? /^\/sso\/interaction\/([^/?]+)/.exec(url.searchParams.get('next') ?? '')?.[1] : undefined;
    if (uid) allowFormTarget(reply, await redirectOriginOfInteraction(db, uid));
  });
}
