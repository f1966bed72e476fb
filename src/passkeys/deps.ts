// What the passkey services need, passed in explicitly (services.ts builds it; tests do the same).
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { RateLimits } from '../security/rate-limits.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { Executor } from '../db/client.ts';

/** The relying party as WebAuthn sees it: Tongxing's public address. */
export interface RelyingParty {
  /** The RP ID: the host name of PUBLIC_URL (never an IP address: browsers refuse those). */
  id: string;
  /** What authenticators show beside the account name. */
  name: string;
  /** The one origin a ceremony may come from: PUBLIC_URL's. */
  origin: string;
}

export interface PasskeyDeps {
  db: Db;
  clock: Clock;
  limits: RateLimits;
  outbox: Outbox;
  rp: RelyingParty;
  /** Keys the hashes of challenges and of the browser cookie, and the opaque user handles. */
  key: Buffer;
  /**
   * Asked in a removal's transaction (the account locked) with how many passkeys would remain; it
   * throws to refuse (the second factor keeps the last passkey of its passkey way: mfa/passkey-factor.ts).
   */
  beforeRemoving?: (tx: Executor, accountId: string, remaining: number) => Promise<void>;
}

/** The relying party of a public address, e.g. https://account.example.edu.cn → account.example.edu.cn. */
export function relyingPartyOf(publicUrl: string, name = '通行'): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name, origin: url.origin };
}
