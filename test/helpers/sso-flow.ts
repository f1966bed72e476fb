// A platform signing people in over real HTTP (openid-client), for single sign-on tests.
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { getServedInstance, type ServedInstance } from './browser.ts';
import { Browserless } from './browserless.ts';
import { codeIn } from './agent.ts';
import { addClient } from '../../src/sso/clients.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

export { Browserless, oidc };
export const PASSWORD = 'single sign on password';
export const REDIRECT = 'http://127.0.0.1:9/callback';
let n = 500;
export const nextPhone = () => `154${String(20_000_000 + ++n * 15_485_863).slice(-8)}`;
export const idNo = (seq: number) => {
  const body = `21010219930404${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

export async function start(): Promise<ServedInstance> {
  return getServedInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
}

export async function registerPerson(t: ServedInstance, identity?: { name: string; idNumber: string }) {
  const phone = nextPhone();
  const sent = await fetch(`${t.baseURL}/api/v1/registrations/phone/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  assert.equal(sent.status, 200);
  const outbox = (await (await fetch(`${t.baseURL}/dev/outbox.json`)).json()) as Array<{ to: string; text: string }>;
  const code = codeIn(outbox.find((m) => m.to === phone)!.text);
  const body = {
    phone,
    code,
    password: PASSWORD,
    agree: true,
    ...(identity ? { name: identity.name, idType: 'resident_id', idNumber: identity.idNumber, agreeSensitive: true } : {}),
  };
  const done = await fetch(`${t.baseURL}/api/v1/registrations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(done.status, 201, await done.clone().text());
  return phone;
}

export async function platform(
  t: ServedInstance,
  options: {
    name?: string;
    requiresRealname?: boolean;
    scopes?: Array<'profile' | 'phone' | 'email' | 'realname' | 'idnumber' | 'offline_access'>;
    idNumber?: 'none' | 'masked' | 'full';
    postLogout?: string[];
    webhookUrl?: string;
    backchannelLogoutUri?: string;
  } = {},
) {
  const registered = await addClient(
    { db: t.db, clock: t.clock, keys: t.services.identity.keys },
    {
      name: options.name ?? '研招网',
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: options.postLogout ?? [],
      requiresRealname: options.requiresRealname ?? false,
      scopes: options.scopes ?? ['profile', 'phone', 'realname', 'offline_access'],
      idNumberAccess: options.idNumber ?? 'none',
      webhookUrl: options.webhookUrl,
      backchannelLogoutUri: options.backchannelLogoutUri,
    },
  );
  const config = await oidc.discovery(new URL(`${t.baseURL}/oidc`), registered.clientId, undefined, oidc.ClientSecretBasic(registered.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  return { ...registered, config };
}

export async function authUrl(p: { config: oidc.Configuration }, scope: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(p.config, {
    redirect_uri: REDIRECT,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, verifier, state };
}

/** Tongxing sign-in on /login (plain, no next). */
export async function tongxingLogin(t: ServedInstance, browser: Browserless, phone: string) {
  await browser.request(`${t.baseURL}/login`);
  const r = await browser.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD } });
  return r;
}

/**
 * Where a sign-in page the browser landed on leads (its `next`), or undefined when it is not one:
 * /login?next=… (CAS, and every page outside a platform's sign-in), or an OIDC interaction's own
 * address, where the sign-in page is shown in place.
 */
export function signInPageNext(step: { url: string }, body: string): string | undefined {
  const url = new URL(step.url);
  if (url.pathname === '/login') return url.searchParams.get('next') ?? undefined;
  return url.pathname.startsWith('/sso/interaction/') && /<form[^>]*id="login"/.test(body) ? url.pathname : undefined;
}

export async function signInThroughTongxing(
  t: ServedInstance,
  browser: Browserless,
  authorizationUrl: URL,
  phone: string,
  options: { consent?: boolean } = {},
) {
  let step = await browser.follow(authorizationUrl.toString(), t.baseURL);
  // Signed out, the platform's sign-in shows the sign-in page at the interaction's own address.
  const next = signInPageNext(step, browser.lastBody);
  if (next) {
    step = await browser.follow(`${t.baseURL}/login`, t.baseURL, { form: { username: phone, password: PASSWORD, next } });
  }
  if (step.url.includes('/sso/interaction/') && step.response.status === 200 && options.consent !== false) {
    const uid = /\/sso\/interaction\/([^/?]+)/.exec(step.url)![1]!;
    step = await browser.follow(`${t.baseURL}/sso/interaction/${uid}/confirm`, t.baseURL, { form: {} });
  }
  return step;
}
