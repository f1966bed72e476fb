// What the account services need, passed in explicitly (tests build the same from real parts).
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { PasswordHasher } from '../lib/passwords.ts';
import type { RateLimits } from '../security/rate-limits.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { VerificationDeps } from '../verification/service.ts';
import type { SessionDeps } from '../sessions/service.ts';
import type { CaptchaDeps } from '../captcha/service.ts';
import type { IdentityDeps } from '../identity/service.ts';
import type { SecondFactorSettings } from '../mfa/deps.ts';
import type { LegalLibrary } from '../consent/documents.ts';

export interface AccountDeps {
  /** Real-name information: registration may carry it, and sign-in accepts an ID number. */
  identity: IdentityDeps;
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  limits: RateLimits;
  outbox: Outbox;
  verification: VerificationDeps;
  sessions: SessionDeps;
  captcha: CaptchaDeps;
  /** Origin for links in emails, e.g. https://account.example.edu.cn */
  publicUrl: string;
  /** A person's second factor (mfa/): the waiting period of a removal through recovery. */
  secondFactor: SecondFactorSettings;
  /** The user agreement and policy: registration records their versions, a sign-in asks for new ones. */
  legal: LegalLibrary;
}
