// The three single sign-on flows of the bench, written once for any OpenID Provider, so Tongxing
// and the bare oidc-provider reference (bench/bare-provider.ts) are driven by the same code:
//   - a full login: the authorization-code flow with PKCE, a browserless person answering the
//     provider's pages (the form with a password field; the consent form the first time), and
//     the code exchanged at the token endpoint with openid-client;
//   - a refresh-token grant (openid-client);
//   - a userinfo call with an access token (plain fetch: openid-client's response checks would
//     load the generator, not the provider).
// The person knows nothing of either provider's URLs: they fill in the form that asks for a
// password, or else the one with id="consent-allow", as a browser user would.
import * as oidc from 'openid-client';
import { Browserless } from '../test/helpers/browserless.ts';

export interface SsoSite {
  /** Who is measured, for messages. */
  name: string;
  /** The provider's pages are followed while they stay on this origin. */
  origin: string;
  config: oidc.Configuration;
  redirectUri: string;
  password: string;
}

/** The provider's metadata (discovery at `issuer`) and the client's credentials. */
export async function connect(site: {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  password: string;
}): Promise<SsoSite> {
  const config = await oidc.discovery(new URL(site.issuer), site.clientId, undefined, oidc.ClientSecretBasic(site.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  return { name: site.name, origin: new URL(site.issuer).origin, config, redirectUri: site.redirectUri, password: site.password };
}

interface PageForm {
  id: string | undefined;
  action: string;
  method: string;
  fields: Record<string, string>;
  asksPassword: boolean;
}

const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
const decode = (text: string) =>
  text.replace(/&(amp|quot|#39|lt|gt);/g, (_, entity: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[entity]!);

function formsOf(html: string): PageForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const form = attributes(m[1]!);
    const inputs = [...m[2]!.matchAll(/<input\b[^>]*>/g)].map((i) => attributes(i[0]));
    return {
      id: form.id,
      action: form.action ?? '',
      method: (form.method ?? 'get').toUpperCase(),
      fields: Object.fromEntries(inputs.filter((i) => i.type === 'hidden' && i.name).map((i) => [i.name!, i.value ?? ''])),
      asksPassword: inputs.some((i) => i.name === 'password'),
    };
  });
}

/** The form a person signing in submits on this page: the password one, else the consent. */
function formToSubmit(html: string): PageForm | undefined {
  const forms = formsOf(html);
  return forms.find((f) => f.asksPassword) ?? forms.find((f) => f.id === 'consent-allow');
}

/**
 * One full login of `username`. With `offline` it asks for a refresh token, which needs
 * prompt=consent (OpenID Connect Core 11): the first login of each person, which also consents.
 */
export async function fullLogin(site: SsoSite, username: string, offline = false) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(site.config, {
    redirect_uri: site.redirectUri,
    scope: offline ? 'openid profile offline_access' : 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 's',
    ...(offline ? { prompt: 'consent' } : {}),
  });
  const browser = new Browserless();
  let step = await browser.follow(url.href, site.origin);
  for (let pages = 0; new URL(step.url).origin === site.origin; pages++) {
    const form = pages < 4 ? formToSubmit(browser.lastBody) : undefined;
    if (!form) throw new Error(`${site.name}: stuck at ${step.url} (${step.response.status}): ${browser.lastBody.slice(0, 300)}`);
    const fields = form.asksPassword ? { ...form.fields, username, password: site.password } : form.fields;
    step = await browser.follow(new URL(form.action, step.url).href, site.origin, { method: form.method, form: fields });
  }
  return oidc.authorizationCodeGrant(site.config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: 's' });
}

/** A refresh-token grant; returns the rotated token, which the next grant of this chain uses. */
export async function refreshGrant(site: SsoSite, refreshToken: string): Promise<string> {
  const next = await oidc.refreshTokenGrant(site.config, refreshToken);
  if (!next.refresh_token) throw new Error(`${site.name}: the refresh grant returned no new refresh token`);
  return next.refresh_token;
}

/** One userinfo call with an access token. */
export async function userinfo(site: SsoSite, accessToken: string): Promise<void> {
  const res = await fetch(site.config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } });
  if (res.status !== 200) throw new Error(`${site.name}: userinfo answered ${res.status}`);
  await res.arrayBuffer();
}
