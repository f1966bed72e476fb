// 护照. Passports of every country are accepted, so the rule is deliberately loose: ICAO 9303
// document numbers are letters and digits only (up to 9 in the machine-readable zone, longer on
// some national documents). Chinese ordinary passports are E + 8 digits or E + a letter + 7
// digits, but a stricter rule here would turn away foreign students. No checksum is printed in
// the number itself (the MRZ check digit is separate), so none is checked. A number that is a
// 居民身份证 number (the 15-digit legacy form fits the passport rule) is refused: one person would
// otherwise hold two identities, one of them dodging the duplicate-ID rules.
import { validateResidentId } from './resident-id.ts';
import { fail, type Validated } from './types.ts';

export const PASSPORT_MIN = 5;
export const PASSPORT_MAX = 17;

export function validatePassport(value: string, today: Date): Validated {
  if (value.length < PASSPORT_MIN || value.length > PASSPORT_MAX) return fail('id.passport.length');
  if (!/^[A-Z0-9]+$/.test(value)) return fail('id.passport.chars');
  // Every passport numbering scheme we know of has digits; all letters is a name typed by mistake.
  if (!/\d/.test(value)) return fail('id.passport.digit');
  if (/^\d{15}$/.test(value) && validateResidentId(value, today).ok) return fail('id.passport.is_resident_id');
  return { ok: true, type: 'passport', canonical: value };
}
