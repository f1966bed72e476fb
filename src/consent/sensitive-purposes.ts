// Sensitive personal information (PIPL art. 28–29) that Tongxing collects, each asked for with its
// own consent where it is collected, its purpose stated in the words of `purpose`. `version`
// names the wording: a change of purpose is a new version, and the consent record keeps which one
// the person ticked, with the names its wording was shown with (purpose_params).
import type { MessageKey } from '../i18n/index.ts';

export const SENSITIVE_PURPOSES = {
  /**
   * The ID number of 基本信息 (registration, 帐号管理, the API). Version 2 names the registry
   * check's operator (IDENTITY_VERIFIER_OPERATOR), to whom the name and number go; without a
   * registry check configured nothing goes anywhere, and the wording (`unnamed`) says so.
   */
  id_number: { version: '2', purpose: 'consent.sensitive.id_number', unnamed: 'consent.sensitive.id_number_unchecked' },
  /** Photos of an ID sent for staff review (途径2 of a duplicate-ID case). */
  id_photo: { version: '1', purpose: 'consent.sensitive.id_photo' },
  /**
   * A face check by the liveness provider (途径1, app verification). Version 2 names the provider
   * (LIVENESS_OPERATOR) and says that the name and ID number go to it.
   */
  liveness: { version: '2', purpose: 'consent.sensitive.liveness' },
} as const satisfies Record<string, { version: string; purpose: MessageKey; unnamed?: MessageKey }>;

export type SensitiveKind = keyof typeof SENSITIVE_PURPOSES;

/** Wordings no longer shown, kept so that a consent given under them reads as it was ticked. */
const EARLIER_PURPOSES: Partial<Record<SensitiveKind, Record<string, MessageKey>>> = {
  id_number: { '1': 'consent.sensitive.id_number_v1' },
  liveness: { '1': 'consent.sensitive.liveness_v1' },
};

/**
 * The wording of `kind` at `version` (undefined: a version this release never shipped). `params`
 * are the names it was shown with: none, for a wording that can name no one (`unnamed`).
 */
export function purposeAt(kind: SensitiveKind, version: string, params?: Record<string, string> | undefined): MessageKey | undefined {
  const current: { version: string; purpose: MessageKey; unnamed?: MessageKey } = SENSITIVE_PURPOSES[kind];
  if (current.version !== version) return EARLIER_PURPOSES[kind]?.[version];
  return current.unnamed && !params?.operator ? current.unnamed : current.purpose;
}

/** The wording a consent field shows now, with the names it will be recorded with. */
export const currentPurpose = (kind: SensitiveKind, params?: Record<string, string> | undefined): MessageKey =>
  purposeAt(kind, SENSITIVE_PURPOSES[kind].version, params)!;
