// Sensitive personal information (PIPL art. 28–29) that Tongxing collects, each asked for with its
// own consent where it is collected, its purpose stated in the words of `purpose`. `version`
// names the wording: a change of purpose is a new version, and the consent record keeps which one
// the person ticked.
import type { MessageKey } from '../i18n/index.ts';

export const SENSITIVE_PURPOSES = {
  /** The ID number of 基本信息 (registration, 帐号管理, the API). */
  id_number: { version: '1', purpose: 'consent.sensitive.id_number' },
  /** Photos of an ID sent for staff review (途径2 of a duplicate-ID case). */
  id_photo: { version: '1', purpose: 'consent.sensitive.id_photo' },
  /**
   * A face check by the liveness provider (途径1, app verification). Version 2 names the provider
   * (LIVENESS_OPERATOR) and says that the name and ID number go to it.
   */
  liveness: { version: '2', purpose: 'consent.sensitive.liveness' },
} as const satisfies Record<string, { version: string; purpose: MessageKey }>;

export type SensitiveKind = keyof typeof SENSITIVE_PURPOSES;

/** Wordings no longer shown, kept so that a consent given under them reads as it was ticked. */
const EARLIER_PURPOSES: Partial<Record<SensitiveKind, Record<string, MessageKey>>> = { liveness: { '1': 'consent.sensitive.liveness_v1' } };

/** The wording of `kind` at `version` (undefined: a version this release never shipped). */
export function purposeAt(kind: SensitiveKind, version: string): MessageKey | undefined {
  return SENSITIVE_PURPOSES[kind].version === version ? SENSITIVE_PURPOSES[kind].purpose : EARLIER_PURPOSES[kind]?.[version];
}
