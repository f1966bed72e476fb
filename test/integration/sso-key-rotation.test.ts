// A signing key added while the service runs (`tongxing sso rotate-key` on any node) is published
// at once and signs ID tokens on every running node once it has been published longer than a
// platform may cache the key set, without a restart; tokens signed by the old key keep verifying
// against the published set. Before this, a node signed with the key it started with until it
// was restarted, and then at once, before platforms holding a cached key set could verify it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { start, registerPerson, platform, authUrl, signInThroughTongxing, Browserless, oidc } from '../helpers/sso-flow.ts';
import type { ServedInstance } from '../helpers/browser.ts';
import { addSigningKey, PUBLISH_AHEAD_MS } from '../../src/sso/signing-keys.ts';
import { KEY_CHECK_MS } from '../../src/sso/live-provider.ts';

let t: ServedInstance;
before(async () => {
  t = await start();
});
after(() => t.close());

/** The ID token's key id, after checking its signature against /oidc/jwks as a platform would. */
async function verifiedKid(idToken: string): Promise<string> {
  const [header, payload, signature] = idToken.split('.') as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
  assert.equal(alg, 'RS256');
  const jwks = (await (await fetch(`${t.baseURL}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  assert.ok(jwk, `the key ${kid} is published`);
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  assert.ok(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')), 'the signature verifies');
  return kid;
}

async function signInAtPlatform(p: Awaited<ReturnType<typeof platform>>, phone: string): Promise<string> {
  const a = await authUrl(p, 'openid profile');
  const back = await signInThroughTongxing(t, new Browserless(), a.url, phone);
  const tokens = await oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: a.verifier, expectedState: a.state });
  return verifiedKid(tokens.id_token!);
}

test('a key added while running signs once every cached key set has it, and the old key still verifies', async () => {
  const phone = await registerPerson(t);
  const p = await platform(t);
  const before = await signInAtPlatform(p, phone);

  t.clock.advance(1000); // the operator rotates a moment later (the newest key signs)
  const rotated = await addSigningKey({ db: t.db, clock: t.clock, keys: t.services.identity.keys });
  // Until the node looks again it signs with the key it has; both are published meanwhile.
  assert.equal(await signInAtPlatform(p, phone), before);
  const published = (await (await fetch(`${t.baseURL}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
  assert.deepEqual(new Set(published.keys.map((k) => k.kid)), new Set([before, rotated]));

  // Not yet: a platform may hold the key set without it for JWKS_MAX_AGE_SECONDS.
  t.clock.advance(KEY_CHECK_MS);
  assert.equal(await signInAtPlatform(p, phone), before, 'the new key waits until every cached key set has it');
  t.clock.advance(PUBLISH_AHEAD_MS);
  assert.equal(await signInAtPlatform(p, phone), rotated, 'the running node signs with the new key');
  assert.equal(await signInAtPlatform(p, phone), rotated);
});
