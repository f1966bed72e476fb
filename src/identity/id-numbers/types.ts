// The identity documents a person may register with. The codes are stable (stored with the
// encrypted number and used in forms and the API); the labels are what people read.
import type { MessageKey } from '../../i18n/index.ts';

export const ID_TYPES = [
  { code: 'resident_id', 'zh-CN': '居民身份证', en: 'Resident Identity Card (mainland China)' },
  { code: 'hk_macao_permit', 'zh-CN': '港澳居民来往内地通行证', en: 'Mainland Travel Permit for Hong Kong and Macao Residents' },
  { code: 'taiwan_permit', 'zh-CN': '台湾居民来往大陆通行证', en: 'Mainland Travel Permit for Taiwan Residents' },
  { code: 'hmt_residence', 'zh-CN': '港澳台居民居住证', en: 'Residence Permit for Hong Kong, Macao and Taiwan Residents' },
  { code: 'foreign_permanent', 'zh-CN': '外国人永久居留身份证', en: 'Foreign Permanent Resident ID Card' },
  { code: 'passport', 'zh-CN': '护照', en: 'Passport' },
] as const;

export type IdType = (typeof ID_TYPES)[number]['code'];

export const ID_TYPE_CODES: readonly IdType[] = ID_TYPES.map((t) => t.code);

/** Form and API input arrives as a plain string; this narrows it. */
export function isIdType(value: unknown): value is IdType {
  return typeof value === 'string' && (ID_TYPE_CODES as readonly string[]).includes(value);
}

export type Validated =
  | {
      ok: true;
      type: IdType;
      /** The one normalised form used for storage and the blind index: the same document typed
       *  in any accepted way gives the same string. */
      canonical: string;
      /** YYYY-MM-DD, when the number encodes it. */
      birthDate?: string;
      /** When the number encodes it (odd 17th digit = M). */
      sex?: 'M' | 'F';
    }
  | {
      ok: false;
      /** Why it was refused, e.g. 'id.resident.checksum' (i18n/zh-CN/id-numbers.ts). */
      code: MessageKey;
    };

export type Valid = Extract<Validated, { ok: true }>;

export const fail = (code: MessageKey): Validated => ({ ok: false, code });
