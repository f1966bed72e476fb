// The OpenID Provider (oidc-provider) as Tongxing configures it: issuer {PUBLIC_URL}/oidc, its
// storage through Kysely, authorization code with PKCE required of every client, refresh tokens
// (offline_access) rotated on use, RP-initiated and back-channel logout, revocation, and the
// interactions (sign-in, consent) on Tongxing's own pages under /sso/interaction/:uid.
import { ACR_MULTI_FACTOR, ACR_ONE_FACTOR } from '../sessions/auth-methods.ts';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import { deriveKey } from '../lib/crypto.ts';
import type { IdentityDeps } from '../identity/service.ts';
import { kyselyAdapterFactory } from './adapter.ts';
import { SSO_SCOPES, CLIENT_PROPERTIES } from './clients.ts';
import { SCOPE_CLAIMS, findAccountFor } from './claims.ts';
import { signingJwks } from './signing-keys.ts';
import { enforceRegisteredClientAuthMethod } from './client-authentication.ts';
import { interactionPolicyFor } from './policy.ts';
import { recordPlatformUseOfSubject } from './platform-queries.ts';
import { rememberedConsent, rememberedGrant, rememberConsentGrant } from './consents.ts';
import { logoutSource, postLogoutSuccessSource, renderError } from './provider-pages.ts';
import { answerDatabaseUnavailableAs503 } from './database-unavailable.ts';

export interface SsoDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
  identity: IdentityDeps;
  /** Keys the provider's cookies (derived from the service secret). */
  cookieSecret: Buffer;
  publicUrl: string;
  secureCookies: boolean;
  /**
   * Outside production, platforms on 127.0.0.1 or a private network may receive back-channel
   * logout; in production the provider's SSRF protection refuses such addresses.
   */
  allowPrivateNetworkCallbacks: boolean;
  /** Ends the Tongxing session behind a session cookie's token (single sign-out). */
  endTongxingSession?: (token: string) => Promise<void>;
  /** The session signed in to Tongxing in this browser (its session cookie's token), if any: its account, and whether it is held at /consent. */
  tongxingSessionOf?: (token: string) => Promise<{ accountId: string; consentDue: boolean } | undefined>;
  sessionCookieName?: string;
}

export const SSO_MOUNT = '/oidc';

export const interactionPath = (uid: string) => `/sso/interaction/${uid}`;

/**
 * With secure cookies (production): the provider's session cookie is __Host- (Secure, Path=/, no
 * Domain: no subdomain can set or overwrite it). The provider scopes the interaction and resume
 * cookies to their own paths, which __Host- forbids, so those are __Secure-.
 */
export function providerCookieNames(secure: boolean) {
  return secure
    ? { session: '__Host-tx_oidc_session', interaction: '__Secure-tx_oidc_interaction', resume: '__Secure-tx_oidc_resume' }
    : { session: 'tx_oidc_session', interaction: 'tx_oidc_interaction', resume: 'tx_oidc_resume' };
}

export async function createSsoProvider(deps: SsoDeps): Promise<Provider> {
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };
  const configuration: Configuration = {
    adapter: kyselyAdapterFactory(deps),
    jwks: { keys: await signingJwks(deps) },
    cookies: {
      keys: [deriveKey(deps.cookieSecret, 'oidc-cookies').toString('base64')],
      names: providerCookieNames(deps.secureCookies),
      // The session cookie is site-wide (Path=/, as __Host- requires); the short ones keep the
      // provider's per-interaction paths, so two sign-ins in two tabs don't overwrite each other.
      long: { ...cookie, path: '/' },
      short: cookie,
    },
    findAccount: findAccountFor(deps),
    claims: SCOPE_CLAIMS,
    // The assurance levels a sign-in can reach (sessions/auth-methods.ts); each ID token says which.
    acrValues: [ACR_ONE_FACTOR, ACR_MULTI_FACTOR],
    scopes: [...SSO_SCOPES],
    extraClientMetadata: { properties: CLIENT_PROPERTIES },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    // Every platform proves it started the flow (PKCE, S256 only), confidential or not.
    pkce: { required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    clientBasedCORS: () => false,
    renderError,
    // (`fetch` is a provider option its type definitions do not list yet.)
    ...((deps.allowPrivateNetworkCallbacks
      ? {
          fetch: (url: string | URL, options: RequestInit & { dispatcher?: unknown }) =>
            globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
        }
      : {}) as Partial<Configuration>),
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 14 * 86_400, Interaction: 3600, Session: 12 * 3600, Grant: 365 * 86_400 },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid), policy: interactionPolicyFor(deps) },
    // A consent given once is remembered until withdrawn in the account (whether the platform may
    // have a code now is the interaction policy's to say: policy.ts).
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client!.clientId;
      const accountId = ctx.oidc.session!.accountId!;
      // Only while the person's consent stands: a grant left in a browser's session after the
      // consent was withdrawn is not one.
      const remembered = await rememberedGrant(deps.db, accountId, clientId);
      const grantId = ctx.oidc.result?.consent?.grantId ?? (remembered ? (ctx.oidc.session!.grantIdFor(clientId) ?? remembered) : undefined);
      if (!grantId) return undefined;
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
      // The provider ends a session's grants at sign-out; the person's consent stands until they
      // withdraw it, so the grant is made again from what they consented to.
      return restoreGrant(ctx, deps, accountId, clientId);
    },
  };
  const provider = new Provider(`${deps.publicUrl}${SSO_MOUNT}`, configuration);
  // The provider sees only forwarding headers the mount rewrote from PUBLIC_URL and the client
  // address Fastify resolved (sso/routes.tsx), so it may read the scheme from them: behind a
  // TLS-terminating proxy its cookies are still Secure.
  provider.proxy = true;
  enforceRegisteredClientAuthMethod(provider);
  answerDatabaseUnavailableAs503(provider);
  if (deps.endTongxingSession && deps.sessionCookieName) {
    const end = deps.endTongxingSession;
    const name = deps.sessionCookieName;
    provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
      const token = ctx.cookies.get(name);
      if (token) end(token).catch(() => {});
    });
  }
  // Which platforms an account has used: the resolution centre names them before a path passes,
  // and they hear of the account's changes (platform-events.ts).
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const sub = ctx.oidc.session?.accountId;
    const client = ctx.oidc.client;
    if (sub && client) recordPlatformUseOfSubject(deps.db, sub, client.clientName ?? client.clientId, client.clientId, deps.clock.now()).catch(() => {});
  });
  return provider;
}

async function restoreGrant(ctx: KoaContextWithOIDC, deps: SsoDeps, sub: string, clientId: string) {
  const consent = await rememberedConsent(deps.db, sub, clientId);
  if (!consent) return undefined;
  const grant = new ctx.oidc.provider.Grant({ accountId: sub, clientId });
  grant.addOIDCScope(consent.scopes);
  const grantId = await grant.save();
  await rememberConsentGrant(deps.db, consent.accountId, clientId, grantId);
  return grant;
}
