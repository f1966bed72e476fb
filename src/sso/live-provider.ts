// The provider a node answers with, kept in step with the cluster's signing keys.
//
// oidc-provider signs with the key set it was built with, so a key added by `tongxing sso
// rotate-key` would sign only on nodes started after it. Instead each node looks at which key
// should sign (signing-keys.ts signingKeyAt: a new key once published long enough) at most every
// KEY_CHECK_MS and, when it changed, builds a provider on the new set and swaps it in. A provider keeps nothing between requests (interactions, sessions, grants and
// codes are rows in the database), so a sign-in begun under the old instance ends under the new
// one, as it would on another node. Within KEY_CHECK_MS of a new key coming due every node signs
// with it; the old one stays published (signing-keys.ts) until it is retired.
import type Provider from 'oidc-provider';
import { createSsoProvider, type SsoDeps } from './provider.ts';
import { currentSigningKid } from './signing-keys.ts';

export const KEY_CHECK_MS = 30_000;

export interface LiveProvider {
  /** The provider to answer this request with (rebuilt after a rotation). */
  current(): Promise<Provider>;
}

export async function liveSsoProvider(deps: SsoDeps, checkMs = KEY_CHECK_MS): Promise<LiveProvider> {
  let provider = await createSsoProvider(deps);
  let signingKid = await currentSigningKid(deps);
  let checkedAt = deps.clock.now().getTime();
  // One look at a time; requests arriving meanwhile wait for it (a one-row query, twice a minute).
  let checking: Promise<void> | undefined;

  const check = async () => {
    const newest = await currentSigningKid(deps);
    if (newest !== signingKid) {
      provider = await createSsoProvider(deps);
      signingKid = newest;
    }
    checkedAt = deps.clock.now().getTime();
  };

  return {
    async current() {
      if (!checking && deps.clock.now().getTime() - checkedAt >= checkMs) {
        checking = check().finally(() => (checking = undefined));
      }
      // A failed look (the database away) keeps the provider it has; the next request looks again.
      if (checking) await checking.catch(() => {});
      return provider;
    },
  };
}
