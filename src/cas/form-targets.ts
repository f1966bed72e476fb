// The pages whose forms end, through redirects, at a CAS platform: 登录, 确认密码 and the new
// documents at /consent when they continue a /cas/login (the consent /cas/login shows is widened
// by its route, which has already found the platform). Browsers apply the CSP's form-action to
// the redirects after a form too, so these pages allow the origin of the service the login will
// return to — only when that service is registered (sso/form-targets.ts does the same for OIDC
// interactions).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { allowFormTarget } from '../http/security-headers.ts';
import { platformForService } from './service.ts';

/** The service a /cas/login URL (a path with its query) returns to, when it is a registered one. */
async function registeredServiceOrigin(db: Db, casLogin: URL): Promise<string | undefined> {
  const service = casLogin.searchParams.get('service');
  if (!service || !(await platformForService(db, service))) return undefined;
  return new URL(service).origin;
}

export function installCasFormTargets(app: FastifyInstance, db: Db): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return;
    const url = request.url;
    if (!url.startsWith('/login?') && !url.startsWith('/account/confirm-password?') && !url.startsWith('/consent?')) return;
    const next = new URL(url, 'http://local').searchParams.get('next');
    if (!next?.startsWith('/cas/login?')) return;
    allowFormTarget(reply, await registeredServiceOrigin(db, new URL(next, 'http://local')));
  });
}
