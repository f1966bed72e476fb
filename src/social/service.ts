// Signing in and binding with a provider, as flows (social_flows, migration 0019):
//
//   start ──▶ 'sign_in' | 'bind' row + secret in a signed cookie ──▶ provider (state = MAC of the secret)
//   callback (same browser: the cookie's secret must give the state back) ──▶ row used once, then
//     bind:     the identity is bound to the account that started it (bindings.ts)
//     sign_in:  bound → completeSignIn(…, provider); the platform's `next` kept
//               unbound → a 'pending_bind' row + secret in another cookie: the person signs in
//               with their password (or registers) and confirms; no account is ever made from a
//               provider's identity alone (the seeds' accounts rest on a phone or an email)
//
// The row is keyed by a keyed hash of the secret, which appears in no URL; the provider and the
// browser's history see only the state, useless without the cookie. Flows last ten minutes, as
// the providers' codes do, and each is used once.
import type { AccountDeps } from '../accounts/deps.ts';
import { completeSignIn, type SignedIn } from '../accounts/sign-in-completion.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../lib/errors.ts';
import { constantTimeEqual, hmacSha256, randomToken } from '../lib/crypto.ts';
import { DAY, MINUTE } from '../lib/clock.ts';
import { SocialProviderError, type SocialIdentity, type SocialProvider, type SocialProviderName } from './provider.ts';
import { assertMayBind, bindIdentity, liveBindingOf } from './bindings.ts';
import * as q from './queries.ts';

export type SocialProviders = Partial<Record<SocialProviderName, SocialProvider>>;

export interface SocialDeps extends AccountDeps {
  providers: SocialProviders;
}

export const FLOW_TTL_MS = 10 * MINUTE;
const SIGN_IN_STATES = new Set(['active', 'needs_verification']);

export const isProviderName = (name: string): name is SocialProviderName => name === 'wechat' || name === 'alipay';

const secretHash = (deps: AccountDeps, secret: string) => hmacSha256(deps.verification.codeKey, `social-flow\0${secret}`);
/** The `state` the provider carries: derived from the browser's secret, so it names no row by itself. */
export const stateOf = (deps: AccountDeps, secret: string) => hmacSha256(deps.verification.codeKey, `social-state\0${secret}`).toString('base64url');
export const callbackUri = (deps: AccountDeps, provider: SocialProviderName) => `${deps.publicUrl}/login/${provider}/callback`;

export function providerOf(deps: SocialDeps, name: string): SocialProvider {
  const provider = isProviderName(name) ? deps.providers[name] : undefined;
  if (!provider) throw new AppError('social.unconfigured', { status: 404 });
  return provider;
}

/** The person's message for a provider's failure. */
export function failureError(error: SocialProviderError): AppError {
  return new AppError(`social.failure.${error.failure}`, { status: error.failure === 'unavailable' ? 502 : 400, params: { provider: error.provider } });
}

async function newFlow(
  deps: SocialDeps,
  provider: SocialProvider,
  row: Omit<Parameters<typeof q.insertFlow>[1], 'secretHash' | 'provider' | 'at' | 'expiresAt'>,
): Promise<string> {
  const now = deps.clock.now();
  const secret = randomToken(32);
  await q.deleteEndedFlows(deps.db, new Date(now.getTime() - DAY));
  await q.insertFlow(deps.db, {
    ...row,
    secretHash: secretHash(deps, secret),
    provider: provider.name,
    at: now,
    expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
  });
  return secret;
}

/** 微信扫码登录 (from the sign-in page): the secret for the cookie and where the browser goes. */
export async function startSignIn(deps: SocialDeps, name: string, next: string | undefined, meta: RequestMeta) {
  const provider = providerOf(deps, name);
  await deps.limits.consume('socialSignInStartsPerIp', meta.ip);
  const kept = next && safeLocalPath(next, '') ? next : null;
  const secret = await newFlow(deps, provider, { purpose: 'sign_in', next: kept });
  return { secret, url: provider.authorizationUrl({ state: stateOf(deps, secret), redirectUri: callbackUri(deps, provider.name) }) };
}

/** 绑定微信 (from 帐号管理, on a fresh session): refused before the scan when it would be refused after. */
export async function startBinding(deps: SocialDeps, name: string, accountId: string) {
  const provider = providerOf(deps, name);
  await assertMayBind(deps, accountId, provider.name);
  await deps.limits.consume('socialBindsPerAccount', accountId);
  const secret = await newFlow(deps, provider, { purpose: 'bind', accountId });
  return { secret, url: provider.authorizationUrl({ state: stateOf(deps, secret), redirectUri: callbackUri(deps, provider.name) }) };
}

export type CallbackOutcome =
  /**
   * The identity is bound to a live account: `signIn` starts it (completeSignIn), to be handed to
   * replySignedIn as it is, which asks for the account's second factor when it has one.
   */
  | { kind: 'signed_in'; signIn: () => Promise<SignedIn>; next: string | undefined }
  | { kind: 'bound'; provider: SocialProviderName }
  | { kind: 'unbound'; provider: SocialProviderName; pendingSecret: string; displayName: string | undefined };

export interface CallbackInput {
  /** The secret from this browser's cookie (undefined: no cookie, or its signature failed). */
  secret: string | undefined;
  state: string | undefined;
  /** undefined when the person refused at the provider. */
  code: string | undefined;
  /** Who is signed in in this browser, if anyone (a binding must come back to the account that started it). */
  sessionAccountId: string | undefined;
}

/** The provider sent the browser back: use the flow once, ask the provider who this is, act. */
/**
 * Where a sign-in that failed after its flow was spent was going (a platform's sign-in), so that
 * 重新登录 on the failure page goes there too. Kept beside the error, not in it: AppError is shared.
 */
const failedSignInNext = new WeakMap<AppError, string>();
export const nextOfFailedSignIn = (error: AppError): string | undefined => failedSignInNext.get(error);

export async function finishCallback(deps: SocialDeps, name: string, input: CallbackInput, meta: RequestMeta): Promise<CallbackOutcome> {
  const provider = providerOf(deps, name);
  await deps.limits.consume('socialCallbacksPerIp', meta.ip);
  const invalid = new AppError('social.flow_invalid', { status: 400 });
  if (!input.secret || !input.state) throw invalid;
  if (!constantTimeEqual(Buffer.from(input.state), Buffer.from(stateOf(deps, input.secret)))) throw invalid;
  const flow = await q.consumeFlow(deps.db, secretHash(deps, input.secret), ['sign_in', 'bind'], deps.clock.now());
  if (!flow || flow.provider !== provider.name) throw invalid;
  try {
    return await finishFlow(deps, provider, flow, input, meta);
  } catch (error) {
    if (error instanceof AppError && flow.next) failedSignInNext.set(error, flow.next);
    throw error;
  }
}

async function finishFlow(
  deps: SocialDeps,
  provider: ReturnType<typeof providerOf>,
  flow: NonNullable<Awaited<ReturnType<typeof q.consumeFlow>>>,
  input: CallbackInput,
  meta: RequestMeta,
): Promise<CallbackOutcome> {
  if (!input.code) throw failureError(new SocialProviderError(provider.name, 'denied', 'no code'));

  let identity: SocialIdentity;
  try {
    identity = await provider.identify({ code: input.code, redirectUri: callbackUri(deps, provider.name) });
  } catch (error) {
    if (error instanceof SocialProviderError) throw failureError(error);
    throw error;
  }

  if (flow.purpose === 'bind') {
    // Signed out during the scan (the session ended or expired): say so, not "another account".
    if (!input.sessionAccountId) throw new AppError('social.bind_signed_out', { status: 401 });
    if (!flow.account_id || flow.account_id !== input.sessionAccountId) throw new AppError('social.wrong_account', { status: 403 });
    await bindIdentity(deps, flow.account_id, identity, meta);
    return { kind: 'bound', provider: provider.name };
  }

  const bound = await liveBindingOf(deps, identity);
  if (!bound) {
    const pendingSecret = await newFlow(deps, provider, {
      purpose: 'pending_bind',
      next: flow.next,
      subject: identity.subject,
      displayName: identity.displayName?.slice(0, 64) ?? null,
    });
    return { kind: 'unbound', provider: provider.name, pendingSecret, displayName: identity.displayName };
  }
  // As with a password: a suspended or deregistered account signs in nowhere.
  if (!SIGN_IN_STATES.has(bound.state)) {
    await recordAudit(deps.db, {
      action: 'social.sign_in_refused',
      actor: { kind: 'anonymous' },
      accountId: bound.account_id,
      ip: meta.ip,
      detail: { provider: provider.name, state: bound.state },
      at: deps.clock.now(),
    });
    throw new AppError('login.account_unavailable', { status: 403 });
  }
  const accountId = bound.account_id;
  return { kind: 'signed_in', signIn: () => completeSignIn(deps, accountId, meta, provider.name), next: flow.next ?? undefined };
}

/** The identity waiting in this browser to be bound, for the confirmation page. */
export async function pendingBinding(deps: SocialDeps, secret: string | undefined) {
  if (!secret) return undefined;
  return q.peekFlow(deps.db, secretHash(deps, secret), 'pending_bind', deps.clock.now());
}

/** 确认绑定 after the password sign-in: binds the waiting identity once; answers where to go on. */
export async function confirmPendingBinding(
  deps: SocialDeps,
  accountId: string,
  secret: string | undefined,
  meta: RequestMeta,
): Promise<{ provider: SocialProviderName; next: string | undefined }> {
  const flow = secret ? await q.consumeFlow(deps.db, secretHash(deps, secret), ['pending_bind'], deps.clock.now()) : undefined;
  if (!flow || !flow.subject) throw new AppError('social.flow_invalid', { status: 400 });
  await deps.limits.consume('socialBindsPerAccount', accountId);
  await bindIdentity(deps, accountId, { provider: flow.provider, subject: flow.subject, displayName: flow.display_name ?? undefined }, meta);
  return { provider: flow.provider, next: flow.next ?? undefined };
}
