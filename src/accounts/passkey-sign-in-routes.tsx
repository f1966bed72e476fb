// 使用通行密钥登录: the sign-in page's passkey button (and the username field's autofill) asks
// here for a challenge, then posts the browser's answer with `next`; a verified answer ends as
// every sign-in does (replySignedIn: 帐号管理, or the platform whose sign-in this continues). A
// refused one shows the sign-in page again with the reason. HTTP only.
import type { FastifyInstance } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { signInOptions } from '../passkeys/authentication.ts';
import { passkeyBrowser, passkeyBrowserOf } from '../passkeys/browser-cookie.ts';
import { jsonFailure } from '../passkeys/routes.tsx';
import type { AccountDeps } from './deps.ts';
import { signInWithPasskey } from './passkey-sign-in.ts';
import { replySignedIn } from './sign-in-reply.ts';
import { platformFor } from './sign-in-platform.ts';
import { LoginPage } from './views/login.tsx';

export function registerPasskeySignIn(app: FastifyInstance, deps: AccountDeps, passkeys: PasskeyDeps): void {
  app.post('/login/passkey/options', async (request, reply) => {
    try {
      return reply.send({ options: await signInOptions(passkeys, passkeyBrowser(request, reply), requestMeta(request)) });
    } catch (error) {
      return jsonFailure(request, reply, error);
    }
  });

  app.post('/login/passkey', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const signedIn = await signInWithPasskey(deps, passkeys, passkeyBrowserOf(request), body.credential, requestMeta(request));
      return replySignedIn(reply, signedIn, body.next);
    } catch (error) {
      const f = formFailure(error);
      return renderPage(
        request,
        reply,
        <LoginPage error={f.formError ?? Object.values(f.errors)[0]} next={body.next} platform={await platformFor(deps.db, body.next)} passkeyRefused />,
        { title: request.t('login.title'), status: f.status },
      );
    }
  });
}
