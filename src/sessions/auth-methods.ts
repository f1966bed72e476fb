// How a session's person proved who they are: the methods of its sign-in, in the order used.
// Stored on the session (and copied onto CAS tickets) so platforms can be told: OIDC `amr`
// (RFC 8176 values) and `acr`, CAS `authenticationMethod`. One table, so a new method is one row.

import type { AuthMethod } from '../db/schema.ts';

export type { AuthMethod };

/** RFC 8176 values for each method. Social sign-ins have none registered: `fed` (federated) is the common use. */
const AMR: Record<AuthMethod, readonly string[]> = {
  password: ['pwd'],
  sms_code: ['sms'],
  wechat: ['fed'],
  alipay: ['fed'],
  // A passkey is a key held by the device, unlocked by the person (user verification).
  passkey: ['hwk', 'user'],
  totp: ['otp'],
  recovery_code: ['kba'],
};

/** The `amr` claim: each method's values once, and `mfa` when more than one factor was used. */
export function amrOf(methods: readonly AuthMethod[]): string[] {
  const values = [...new Set(methods.flatMap((m) => AMR[m]))];
  return methods.length > 1 || methods.includes('passkey') ? [...values, 'mfa'] : values;
}

/** Assurance levels Tongxing states in `acr`: one factor, or more than one (a passkey counts as two). */
export const ACR_ONE_FACTOR = 'urn:tongxing:acr:1fa';
export const ACR_MULTI_FACTOR = 'urn:tongxing:acr:mfa';

export function acrOf(methods: readonly AuthMethod[]): string {
  return amrOf(methods).includes('mfa') ? ACR_MULTI_FACTOR : ACR_ONE_FACTOR;
}
