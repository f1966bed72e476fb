// The Alipay simulator over HTTP, under a path prefix: tests run it on its own loopback Fastify
// server; outside production the app mounts it at /dev/alipay so a newcomer can "scan" in a
// browser. The page stands for Alipay's, not Tongxing's, so it has its own plain frame.
//
//   GET  {prefix}/oauth2/publicAppAuthorize.htm   Alipay's authorisation page
//   POST {prefix}/oauth2/publicAppAuthorize.htm   approve (as a test user) or decline → 302 redirect_uri
//   POST {prefix}/gateway.do                      openapi.alipay.com/gateway.do (form or query parameters)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { negotiateLang } from '../i18n/accept-language.ts';
import { translator, type Lang, type MessageKey, type Translate } from '../i18n/index.ts';
import type { AlipaySimulator, AlipayTestUser, AuthorizeRequest } from './alipay-simulator.ts';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A simulator, or one made on first use (its keys are generated then, so an idle one costs nothing). */
export type SimulatorSource = AlipaySimulator | (() => Promise<AlipaySimulator>);

export async function registerAlipaySimulator(app: FastifyInstance, prefix: string, source: SimulatorSource): Promise<void> {
  const simulator = typeof source === 'function' ? source : async () => source;
  await app.register(
    async (scope) => {
      // The app parses forms already; a bare test server does not.
      if (!scope.hasContentTypeParser(FORM_TYPE)) {
        scope.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(body as string)));
        });
      }

      scope.get('/oauth2/publicAppAuthorize.htm', async (request, reply) => {
        const sim = await simulator();
        const reader = readerOf(request);
        const { t } = reader;
        const check = sim.checkAuthorize(strings(request.query));
        if (!check.ok) return page(reply, reader, 400, <Problem t={t} problem={check.problem} />);
        return page(reply, reader, 200, <Authorize t={t} request={check.request} users={sim.users} action={request.url.split('?')[0]!} csrf={csrfOf(reply)} />);
      });

      scope.post('/oauth2/publicAppAuthorize.htm', async (request, reply) => {
        const sim = await simulator();
        const reader = readerOf(request);
        const { t } = reader;
        const form = strings(request.body);
        const check = sim.checkAuthorize(form);
        if (!check.ok) return page(reply, reader, 400, <Problem t={t} problem={check.problem} />);
        if (form.decision !== 'approve') return reply.redirect(sim.decline(check.request), 302);
        const picked = pickUser(sim.users, form);
        if ('error' in picked) {
          const view = (
            <Authorize
              t={t}
              request={check.request}
              users={sim.users}
              action={request.url}
              csrf={csrfOf(reply)}
              error={picked.error}
              typed={{ userId: form.user_id ?? '', nickName: form.nick_name ?? '' }}
            />
          );
          return page(reply, reader, 400, view);
        }
        return reply.redirect(sim.approve(check.request, picked.user), 302);
      });

      scope.post('/gateway.do', async (request, reply) => {
        const sim = await simulator();
        const params = { ...strings(request.query), ...strings(request.body) };
        return reply.type('text/html;charset=utf-8').send(sim.gateway(params));
      });
    },
    { prefix },
  );
}

function pickUser(users: readonly AlipayTestUser[], form: Record<string, string>): { user: AlipayTestUser } | { error: MessageKey } {
  if (form.user && form.user !== 'other') {
    const user = users.find((u) => u.userId === form.user);
    if (user) return { user };
  }
  const userId = (form.user_id ?? '').trim();
  const nickName = (form.nick_name ?? '').trim();
  if (!/^2088\d{12}$/.test(userId)) return { error: 'alipay.sim.bad_user_id' };
  if ([...nickName].length > 20) return { error: 'alipay.sim.bad_nick_name' };
  return { user: { userId, nickName: nickName || `用户${userId.slice(-4)}` } };
}

/** Single text values only: a repeated or odd field counts as absent. */
function strings(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (input && typeof input === 'object') for (const [k, v] of Object.entries(input)) if (typeof v === 'string') out[k] = v;
  return out;
}

interface Reader {
  lang: Lang;
  t: Translate;
}

function readerOf(request: FastifyRequest): Reader {
  // Mounted in the app, the request already has the person's language; on a bare server, ask the browser.
  const chosen: Lang | undefined = request.lang;
  const lang = chosen ?? negotiateLang(request.headers['accept-language']) ?? 'zh-CN';
  return { lang, t: translator(lang) };
}

/** Mounted in the app, every form needs its CSRF token; a bare test server has none. */
function csrfOf(reply: FastifyReply): string | undefined {
  return typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : undefined;
}

function page(reply: FastifyReply, { lang, t }: Reader, status: number, body: ComponentChildren) {
  const html = renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('alipay.sim.title')}</title>
      </head>
      <body>
        <a href="#main">{t('nav.skip')}</a>
        <main id="main">
          <h1>{t('alipay.sim.title')}</h1>
          <p>{t('alipay.sim.notice')}</p>
          {body}
        </main>
      </body>
    </html>,
  );
  return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>${html}`);
}

function Problem(props: { t: Translate; problem: 'app_id' | 'scope' | 'redirect_uri' | 'state' }) {
  return (
    <section role="alert">
      <h2>{props.t('alipay.sim.error_title')}</h2>
      <p>{props.t(`alipay.sim.error.${props.problem}`)}</p>
    </section>
  );
}

function Authorize(props: {
  t: Translate;
  request: AuthorizeRequest;
  users: readonly AlipayTestUser[];
  action: string;
  csrf: string | undefined;
  error?: MessageKey;
  typed?: { userId: string; nickName: string };
}) {
  const { t, request } = props;
  const other = props.typed !== undefined;
  return (
    <form method="post" action={props.action}>
      {props.csrf !== undefined && <input type="hidden" name="_csrf" value={props.csrf} />}
      <input type="hidden" name="app_id" value={request.appId} />
      <input type="hidden" name="scope" value={request.scope} />
      <input type="hidden" name="redirect_uri" value={request.redirectUri} />
      {request.state !== undefined && <input type="hidden" name="state" value={request.state} />}
      <p>{t(request.scope === 'auth_user' ? 'alipay.sim.request' : 'alipay.sim.request_base', { appId: request.appId })}</p>
      <fieldset>
        <legend>{t('alipay.sim.pick_user')}</legend>
        {props.users.map((user, i) => (
          <p>
            <input type="radio" name="user" id={`user-${i}`} value={user.userId} checked={!other && i === 0} />
            <label for={`user-${i}`}>
              {user.nickName} ({user.userId})
            </label>
          </p>
        ))}
        <p>
          <input type="radio" name="user" id="user-other" value="other" checked={other} />
          <label for="user-other">{t('alipay.sim.other_user')}</label>
        </p>
        {props.error && (
          <p id="user-error" role="alert">
            {t(props.error)}
          </p>
        )}
        <p>
          <label for="user_id">{t('alipay.sim.user_id')}</label>
          <input
            id="user_id"
            name="user_id"
            inputMode="numeric"
            autocomplete="off"
            value={props.typed?.userId ?? ''}
            aria-describedby={props.error ? 'user-error' : undefined}
          />
        </p>
        <p>
          <label for="nick_name">{t('alipay.sim.nick_name')}</label>
          <input id="nick_name" name="nick_name" autocomplete="off" value={props.typed?.nickName ?? ''} />
        </p>
      </fieldset>
      <p>
        <button type="submit" name="decision" value="approve">
          {t('alipay.sim.approve')}
        </button>{' '}
        <button type="submit" name="decision" value="decline">
          {t('alipay.sim.decline')}
        </button>
      </p>
    </form>
  );
}
