// Single sign-on over HTTP: the provider mounted at /oidc (its own body parsing: Fastify leaves
// those bodies unread), the interactions on Tongxing's pages (sign in with the Tongxing session,
// consent, the real-name requirement), and 已授权的平台 in the account.
import { JWKS_MAX_AGE_SECONDS, publishedJwks, type KeyDeps } from './signing-keys.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { errors as oidcErrors } from 'oidc-provider';
import { renderPage } from '../http/render.tsx';
import { requirePageSession } from '../http/session-hooks.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { Notice } from '../views/components.tsx';
import { SSO_MOUNT } from './provider.ts';
import type { LiveProvider } from './live-provider.ts';
import { withRequestReads } from './adapter.ts';
import { allowFormTarget } from '../http/security-headers.ts';
import { redirectOriginOf } from './form-targets.ts';
import { subjectOf } from './claims.ts';
import { realnameShortfall } from './policy.ts';
import { consentsOf, endProviderSession, rememberConsent, rememberedGrant, withdrawConsent } from './consents.ts';
import { clientLogo, idNumberAccess, isRegisteredPostLogoutUri, platformName } from './clients.ts';
import { ConsentPage, PlatformsPage, RealnameRequiredPage } from './views/consent.tsx';
import { requestMeta } from '../http/request-meta.ts';
import { acrOf, amrOf } from '../sessions/auth-methods.ts';

/** Only a URI some platform registered widens form-action on the sign-out page. */
export async function mountProvider(app: FastifyInstance, live: LiveProvider, db: Db, publicUrl: string, signingKeys: KeyDeps): Promise<void> {
  // Koa composes its middleware in callback(): once per provider instance, not per request.
  const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const callbackOf = (provider: Provider) => {
    let callback = callbacks.get(provider);
    if (!callback) callbacks.set(provider, (callback = provider.callback()));
    return callback;
  };
  const issuerOrigin = new URL(publicUrl);
  await app.register(async (child) => {
    // The provider reads its own request bodies (forms and JSON at /oidc/token and others).
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      // The sign-out confirmation's form ends at the platform's post-logout URI (which the
      // provider checks against the registration before showing the page).
      const target = new URL(request.url, 'http://local');
      if (target.pathname === `${SSO_MOUNT}/session/end`) {
        const to = target.searchParams.get('post_logout_redirect_uri');
        if (to && (await isRegisteredPostLogoutUri(db, to))) allowFormTarget(reply, new URL(to).origin);
      }
      reply.hijack();
      // A hijacked reply skips Fastify's header handling: the security headers are set here.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value as string);
      const raw = request.raw as typeof request.raw & { originalUrl?: string };
      raw.originalUrl = raw.url;
      // The provider builds its own URLs (discovery, jwks_uri, endpoints) from the request's host
      // and scheme, and Koa believes X-Forwarded-Host/-Proto from anyone once proxied. What it sees
      // is PUBLIC_URL's, and the client address Fastify resolved under TRUST_PROXY's rules: a client
      // that writes its own X-Forwarded-Host cannot point platforms at another JWKS or token URL.
      raw.headers.host = issuerOrigin.host;
      raw.headers['x-forwarded-proto'] = issuerOrigin.protocol.slice(0, -1);
      raw.headers['x-forwarded-for'] = request.ip;
      delete raw.headers['x-forwarded-host'];
      delete raw.headers['x-forwarded-port'];
      delete raw.headers.forwarded;
      // /oidc?x becomes /?x for the provider (its router wants a path that starts with a slash).
      const rest = raw.url!.slice(SSO_MOUNT.length);
      raw.url = rest.startsWith('/') ? rest : `/${rest}`;
      const callback = callbackOf(await live.current());
      await withRequestReads(() => callback(raw, reply.raw));
    };
    // The key set from the database at each request (signing-keys.ts publishedJwks says why).
    child.get(`${SSO_MOUNT}/jwks`, async (_request, reply) =>
      reply
        .header('content-type', 'application/jwk-set+json; charset=utf-8')
        .header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
        .send(JSON.stringify(await publishedJwks(signingKeys))),
    );
    child.all(SSO_MOUNT, handler);
    child.all(`${SSO_MOUNT}/*`, handler);
  });
}

/**
 * Whether the session's last proof (sign-in or 确认密码) satisfies the platform's request: with
 * prompt=login it must have come during this interaction; with max_age, within that many seconds
 * or during this interaction (max_age=0 is then prompt=login).
 */
export function provedRecentlyEnough(
  interaction: { iat?: number; prompt: { reasons: string[] }; params: Record<string, unknown> },
  provedAt: Date,
  now: Date,
): boolean {
  // The provider dates the interaction to the second: only a proof from the next second on is
  // surely after it began (typing a password takes longer than that).
  const started = (interaction.iat ?? Math.floor(now.getTime() / 1000)) * 1000;
  const duringThis = provedAt.getTime() >= started + 1_000;
  if (interaction.prompt.reasons.includes('login_prompt')) return duringThis;
  const maxAge = Number(interaction.params.max_age);
  if (interaction.params.max_age !== undefined && Number.isFinite(maxAge)) return duringThis || now.getTime() - provedAt.getTime() <= maxAge * 1000;
  return true;
}

/** Shows the sign-in page leading to `next` (accounts/routes.tsx signInPage), at the request's own address. */
export type SignInHere = (request: FastifyRequest, reply: FastifyReply, next: string) => Promise<unknown>;

export interface InteractionDeps {
  db: Db;
  clock: Clock;
  /** Signs the browser out of Tongxing (accounts' sign-out): declining new documents is not using the account. */
  signOut: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  signInHere: SignInHere;
}

/** What the platform is told when the sign-in ends without it (its error_description). */
const ABORT_REASONS = {
  declined: 'the person declined',
  realname_required: 'the platform requires a verified real name',
  consent_declined: 'the person did not agree to the updated user agreement or personal information policy',
} as const;

export function registerInteractionPages(app: FastifyInstance, deps: InteractionDeps, live: LiveProvider): void {
  const expired = (request: FastifyRequest, reply: FastifyReply) =>
    renderPage(request, reply, <Notice kind="error">{request.t('sso.expired')}</Notice>, { title: request.t('sso.consent_title'), status: 400 });

  const details = async (provider: Provider, request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await provider.interactionDetails(request.raw, reply.raw);
    } catch (error) {
      if (error instanceof oidcErrors.SessionNotFound || error instanceof oidcErrors.InvalidRequest) return undefined;
      throw error;
    }
  };

  /** The Tongxing session must be the person the platform's session is about. */
  const sameAccount = async (request: FastifyRequest, sub: string | undefined) =>
    Boolean(request.session && sub && (await subjectOf(deps.db, request.session.accountId)) === sub);

  app.get<{ Params: { uid: string } }>('/sso/interaction/:uid', async (request, reply) => {
    const provider = await live.current();
    const interaction = await details(provider, request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return expired(request, reply);
    const returnHere = `/login?next=${encodeURIComponent(request.url)}`;
    if (interaction.prompt.name === 'login') {
      if (!request.session) {
        // The sign-in page right here rather than a redirect to /login: one round trip less on
        // every platform sign-in. Its forms post to the sign-in routes with this page as `next`,
        // and the redirects after them end at the platform, which form-action must allow.
        allowFormTarget(reply, redirectOriginOf(interaction));
        return deps.signInHere(request, reply, request.url);
      }
      const sub = await subjectOf(deps.db, request.session.accountId);
      // The browser's provider session is someone else's (they signed out of Tongxing, or were
      // signed out): it ends here, quietly, instead of the provider's own sign-out page.
      // The request then starts over, now without that session, for the person signed in here.
      const previous = interaction.session as { accountId?: string; cookie?: string } | undefined;
      if (previous?.accountId && previous.accountId !== sub && previous.cookie) {
        await endProviderSession(deps.db, previous.cookie);
        const params = new URLSearchParams(Object.entries(interaction.params).filter((e): e is [string, string] => typeof e[1] === 'string'));
        return reply.redirect(`${SSO_MOUNT}/auth?${params}`, 303);
      }
      // prompt=login, or max_age passed: the platform wants the person to prove it again now, so
      // the existing session is not enough — 确认密码 first, then back here.
      const provedAt = request.session.authenticatedAt;
      if (!provedRecentlyEnough(interaction, provedAt, deps.clock.now())) {
        return reply.redirect(`/account/confirm-password?next=${encodeURIComponent(request.url)}`, 303);
      }
      await recordAudit(deps.db, {
        action: 'sso.signed_in',
        actor: { kind: 'account', id: request.session.accountId },
        accountId: request.session.accountId,
        ip: request.ip,
        detail: { clientId: interaction.params.client_id },
        at: deps.clock.now(),
      });
      // auth_time is when the person last proved who they are, not this silent step; amr says how.
      const methods = request.session.methods;
      const login = { accountId: sub, ts: Math.floor(provedAt.getTime() / 1000), amr: amrOf(methods), acr: acrOf(methods) };
      const to = await provider.interactionResult(request.raw, reply.raw, { login }, { mergeWithLastSubmission: false });
      return reply.redirect(to, 303);
    }
    if (!(await sameAccount(request, interaction.session?.accountId))) return reply.redirect(returnHere, 303);
    const client = await provider.Client.find(String(interaction.params.client_id));
    if (!client) return expired(request, reply);
    // The page's forms (同意并登录, 拒绝, 返回平台) end at the platform's redirect URI.
    allowFormTarget(reply, redirectOriginOf(interaction));
    const platform = client.clientName ?? client.clientId;
    const shortfall = realnameShortfall(interaction.prompt);
    if (shortfall) {
      return renderPage(request, reply, <RealnameRequiredPage uid={interaction.uid} platform={platform} status={shortfall} />, {
        title: request.t('sso.realname_title'),
        status: 403,
      });
    }
    const requested = String(interaction.params.scope ?? 'openid').split(' ');
    const allowed = new Set(String(client.scope ?? 'openid').split(' '));
    const scopes = requested.filter((s) => allowed.has(s));
    return renderPage(request, reply, <ConsentPage uid={interaction.uid} platform={platform} scopes={scopes} idNumberAccess={idNumberAccess(client)} />, {
      title: request.t('sso.consent_title'),
    });
  });

  app.post<{ Params: { uid: string } }>('/sso/interaction/:uid/confirm', { preHandler: requirePageSession }, async (request, reply) => {
    const provider = await live.current();
    const interaction = await details(provider, request, reply);
    if (!interaction || interaction.uid !== request.params.uid || interaction.prompt.name !== 'consent') return expired(request, reply);
    const sub = interaction.session?.accountId;
    if (!(await sameAccount(request, sub))) return expired(request, reply);
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId);
    if (!client) return expired(request, reply);
    // The real name is still missing: the interaction page says so (the policy asked for this).
    if (realnameShortfall(interaction.prompt)) return reply.redirect(`/sso/interaction/${interaction.uid}`, 303);
    // One grant per person and platform: a consent given in a second browser extends the remembered one.
    const existingId = interaction.grantId ?? (await rememberedGrant(deps.db, sub!, clientId));
    const existing = existingId ? await provider.Grant.find(existingId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId: sub!, clientId });
    const missing = (interaction.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    const allowed = new Set(String(client.scope ?? 'openid').split(' '));
    const scopes = missing.filter((s) => allowed.has(s));
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    const claims = (interaction.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
    if (claims.length) grant.addOIDCClaims(claims);
    const grantId = await grant.save();
    await rememberConsent(deps.db, deps.clock, {
      accountId: request.session!.accountId,
      clientId,
      grantId,
      scopes: [
        ...new Set([
          ...String(interaction.params.scope ?? '')
            .split(' ')
            .filter((s) => allowed.has(s)),
        ]),
      ].join(' '),
    });
    await recordAudit(deps.db, {
      action: 'sso.consented',
      actor: { kind: 'account', id: request.session!.accountId },
      accountId: request.session!.accountId,
      ip: request.ip,
      detail: { clientId, scopes },
      at: deps.clock.now(),
    });
    const to = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return reply.redirect(to, 303);
  });

  app.post<{ Params: { uid: string } }>('/sso/interaction/:uid/abort', async (request, reply) => {
    const provider = await live.current();
    const interaction = await details(provider, request, reply);
    if (!interaction || interaction.uid !== request.params.uid) return expired(request, reply);
    const asked = (request.body as Record<string, unknown> | undefined)?.reason;
    const reason = typeof asked === 'string' && Object.hasOwn(ABORT_REASONS, asked) ? (asked as keyof typeof ABORT_REASONS) : 'declined';
    // Declined at /consent (its form posts here while a platform waits): signed out, as declining
    // there always is, and the platform is told no. The provider's resume then finds no session.
    if (reason === 'consent_declined' && request.session?.consentDue) await deps.signOut(request, reply);
    const to = await provider.interactionResult(
      request.raw,
      reply.raw,
      { error: 'access_denied', error_description: ABORT_REASONS[reason] },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(to, 303);
  });

  // A platform's logo on the sign-in page, from Tongxing's own origin (img-src 'self'): the
  // platform's servers never see who is signing in. Cleaned at upload; sent only as an image.
  app.get<{ Params: { clientId: string } }>('/sso/platforms/:clientId/logo', async (request, reply) => {
    const logo = await clientLogo(deps.db, request.params.clientId);
    if (!logo) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('not found');
    return reply
      .header('content-type', logo.mediaType)
      .header('cache-control', 'public, max-age=300')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .send(logo.data);
  });

  // ---- 已授权的平台
  app.get('/account/platforms', { preHandler: requirePageSession }, async (request, reply) => {
    const platforms = await consentsOf(deps.db, request.session!.accountId);
    // The notice names the platform from its registration, never from the URL: the query only
    // says which one (a crafted link cannot put words on this page).
    const withdrawn = (request.query as Record<string, unknown>).withdrawn;
    const name = typeof withdrawn === 'string' && !platforms.some((p) => p.client_id === withdrawn) ? await platformName(deps.db, withdrawn) : undefined;
    const notice = name ? request.t('sso.withdrawn', { platform: name }) : undefined;
    return renderPage(request, reply, <PlatformsPage platforms={platforms} notice={notice} />, { title: request.t('sso.platforms_title') });
  });

  app.post<{ Params: { clientId: string } }>('/account/platforms/:clientId/withdraw', { preHandler: requirePageSession }, async (request, reply) => {
    const platforms = await consentsOf(deps.db, request.session!.accountId);
    const platform = platforms.find((p) => p.client_id === request.params.clientId);
    if (platform) await withdrawConsent({ ...deps, provider: await live.current() }, request.session!.accountId, platform.client_id, requestMeta(request).ip);
    return reply.redirect(`/account/platforms${platform ? `?withdrawn=${encodeURIComponent(platform.client_id)}` : ''}`, 303);
  });
}
