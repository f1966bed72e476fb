// The travel permits people from Hong Kong, Macao and Taiwan use on the mainland. Neither number
// has a published check digit, so only the shape is checked. Input is already normalised
// (normalize.ts), so full-width characters, spaces and lower case are forgiven.
import { fail, type Validated } from './types.ts';

/**
 * 港澳居民来往内地通行证 (回乡证). Accepted:
 * - H or M (Hong Kong / Macao) + 8 digits: the card issued since 2013, e.g. H12345678;
 * - H or M + 10 digits: the older booklet form, which also arises when people append the
 *   2-digit renewal count (换证次数) printed beside the card number.
 * The letter is kept in the canonical form: H12345678 and M12345678 are different people.
 */
export function validateHkMacaoPermit(value: string): Validated {
  if (!/^[HM]/.test(value)) return fail('id.hk_macao.prefix');
  if (!/^[HM](?:\d{8}|\d{10})$/.test(value)) return fail('id.hk_macao.format');
  return { ok: true, type: 'hk_macao_permit', canonical: value };
}

/**
 * 台湾居民来往大陆通行证 (台胞证). Accepted:
 * - 8 digits: the card issued since 2015, e.g. 01234567;
 * - the older booklet form: 7–10 digits, optionally followed by a check letter, written in
 *   parentheses on the document ("0123456(B)") or without them ("0123456B").
 * The canonical form drops the parentheses, so both spellings of the letter give one string.
 */
export function validateTaiwanPermit(value: string): Validated {
  const match = /^(\d{7,10})(?:\(([A-Z])\)|([A-Z]))?$/.exec(value);
  if (!match) return fail('id.taiwan.format');
  const letter = match[2] ?? match[3] ?? '';
  return { ok: true, type: 'taiwan_permit', canonical: match[1]! + letter };
}
