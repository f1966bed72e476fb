// Which platform a sign-in page serves, for its 登录后将进入 line: every sign-in page (password,
// SMS code, WeChat, Alipay, passkey) carries `next` and names the platform the same way.
import { platformOfInteraction } from '../sso/clients.ts';
import { platformOfCasService } from '../sso/cas-registry.ts';
import type { Db } from '../db/client.ts';

/**
 * The platform a sign-in reached from single sign-on leads to: an OIDC interaction, or the service
 * of a /cas/login. Its name as registered, never from the URL.
 */
export async function platformFor(db: Db, next: string | undefined): Promise<{ name: string; logo?: string } | undefined> {
  const uid = next && /^\/sso\/interaction\/([A-Za-z0-9_-]{1,64})(?:[/?]|$)/.exec(next)?.[1];
  const service = !uid && next?.startsWith('/cas/login?') ? new URL(next, 'http://local').searchParams.get('service') : null;
  const platform = uid ? await platformOfInteraction(db, uid) : service ? await platformOfCasService(db, service) : undefined;
  return platform && { name: platform.name, ...(platform.hasLogo ? { logo: `/sso/platforms/${platform.clientId}/logo` } : {}) };
}
