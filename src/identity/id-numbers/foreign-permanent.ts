// 外国人永久居留身份证. Two numbering schemes are in use side by side: cards issued before
// 2023-12-01 stay valid until they expire.
import { checkBirthDate, GB11643_SHAPE, hasValidCheck, sexOf } from './gb11643.ts';
import { MAINLAND_PROVINCES } from './region-codes.ts';
import { fail, type Validated } from './types.ts';

/**
 * 2017 card (and the 2004 one before it): 15 characters, 3 Latin letters for the nationality
 * + 12 digits. Only the shape is checked. The letters are not matched against ISO 3166-1
 * alpha-3: nationality codes on travel and residence documents follow ICAO 9303, which adds
 * codes outside ISO (UNO, XXA stateless, XXB refugee…), and a list kept here could refuse a real
 * holder. The digits' inner layout (place of application, birth date, sequence) is not
 * published precisely enough to check, and no check digit is documented for it.
 *
 * 2023 card: 18 characters built like a resident ID number (National Immigration
 * Administration, machine-readable rules for the 2023 card): '9' (foreigner) + 2-digit
 * province code of the place of application + 3-digit nationality code + 8-digit birth date
 * YYYYMMDD + 3-digit sequence (odd last digit = male) + MOD 11-2 check character, 0-9 or X.
 * Province, birth date and check character are verified.
 */
export function validateForeignPermanent(value: string, today: Date): Validated {
  if (value.length === 15) {
    if (!/^[A-Z]{3}\d{12}$/.test(value)) return fail('id.foreign.format_2017');
    return { ok: true, type: 'foreign_permanent', canonical: value };
  }
  if (value.length !== 18) return fail('id.foreign.length');
  if (!GB11643_SHAPE.test(value) || value[0] !== '9') return fail('id.foreign.format_2023');
  if (!MAINLAND_PROVINCES.has(value.slice(1, 3))) return fail('id.foreign.region');
  const birth = checkBirthDate(value.slice(6, 14), today);
  if (!birth.ok) return fail(`id.foreign.${birth.problem}`);
  if (!hasValidCheck(value)) return fail('id.foreign.checksum');
  return { ok: true, type: 'foreign_permanent', canonical: value, birthDate: birth.date, sex: sexOf(value) };
}
