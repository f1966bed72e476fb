// What the second factor needs. The account services' own dependencies (accounts/deps.ts) have this
// shape, so they are passed as they are; the TOTP secret is sealed under the field keys, the codes
// and tokens hashed under the code key.
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import type { RateLimits } from '../security/rate-limits.ts';
import type { Outbox } from '../notifications/outbox.ts';

export interface SecondFactorSettings {
  /** How long a removal asked through 找回密码 waits before it takes effect (SECOND_FACTOR_REMOVAL_WAIT_DAYS). */
  removalWaitMs: number;
}

export interface MfaDeps {
  db: Db;
  clock: Clock;
  limits: RateLimits;
  outbox: Outbox;
  identity: { keys: FieldKeys };
  verification: { codeKey: Buffer };
  secondFactor: SecondFactorSettings;
}
