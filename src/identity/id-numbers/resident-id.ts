// 居民身份证 (GB 11643-1999) and 港澳台居民居住证 (2018), whose numbers share one layout.
// Input is already normalised (normalize.ts): half-width, no spaces or hyphens, X upper case.
import { checkBirthDate, GB11643_SHAPE, hasValidCheck, mod11_2, sexOf } from './gb11643.ts';
import { isPlausibleRegion, MAINLAND_PROVINCES } from './region-codes.ts';
import { fail, type Validated } from './types.ts';

/** The address codes of 港澳台居民居住证: 810000 Hong Kong, 820000 Macao, 830000 Taiwan. */
const RESIDENCE_PREFIXES = ['810000', '820000', '830000'];

/**
 * A resident ID number, 18 characters, or the legacy 15-digit form (numbers given out from 1984
 * until the 18-digit form replaced it on 1999-10-01: region + YYMMDD born 19YY + 3-digit
 * sequence, no check digit). The 15-digit form
 * is converted to the 18-digit one the card would carry today (insert "19", add the check
 * digit), so both canonicalise to the same string and the blind index finds the same person.
 *
 * Checks run from the coarse to the fine so that the message names the first real problem:
 * length, characters, other document types, region, birth date, check digit.
 */
export function validateResidentId(value: string, today: Date): Validated {
  if (value.length !== 18 && value.length !== 15) return fail('id.resident.length');
  if (value.length === 15) return validateLegacy(value);
  if (!GB11643_SHAPE.test(value)) return fail('id.resident.chars');
  // A person who picked the wrong type gets told which one the number belongs to.
  if (RESIDENCE_PREFIXES.includes(value.slice(0, 6))) return fail('id.resident.is_residence_permit');
  // 9 + a province code: a 2023 外国人永久居留身份证 (no resident code starts with 9).
  if (value[0] === '9' && MAINLAND_PROVINCES.has(value.slice(1, 3))) return fail('id.resident.is_foreign_permanent');
  if (!isPlausibleRegion(value.slice(0, 6))) return fail('id.resident.region');
  const birth = checkBirthDate(value.slice(6, 14), today);
  if (!birth.ok) return fail(`id.resident.${birth.problem}`);
  if (!hasValidCheck(value)) return fail('id.resident.checksum');
  return { ok: true, type: 'resident_id', canonical: value, birthDate: birth.date, sex: sexOf(value) };

  function validateLegacy(legacy: string): Validated {
    if (!/^\d{15}$/.test(legacy)) return fail('id.resident.chars');
    if (!isPlausibleRegion(legacy.slice(0, 6))) return fail('id.resident.region');
    // Born 19YY: the 15-digit form was replaced in 1999, before anyone born in 2000 had one.
    const birth = checkBirthDate(`19${legacy.slice(6, 12)}`, today);
    if (!birth.ok) return fail(`id.resident.${birth.problem}`);
    const upgraded = toEighteen(legacy);
    return { ok: true, type: 'resident_id', canonical: upgraded, birthDate: birth.date, sex: sexOf(upgraded) };
  }
}

/** 15-digit legacy number → its 18-digit form. Assumes 15 digits. */
export function toEighteen(legacy: string): string {
  const body = `${legacy.slice(0, 6)}19${legacy.slice(6)}`;
  return body + mod11_2(body);
}

/**
 * 港澳台居民居住证: 18 characters like a resident ID number, with the address code fixed to
 * 810000 / 820000 / 830000 and the same birth-date and check-digit rules.
 */
export function validateResidencePermit(value: string, today: Date): Validated {
  if (value.length !== 18) return fail('id.residence.length');
  if (!GB11643_SHAPE.test(value)) return fail('id.residence.chars');
  if (!RESIDENCE_PREFIXES.includes(value.slice(0, 6))) return fail('id.residence.prefix');
  const birth = checkBirthDate(value.slice(6, 14), today);
  if (!birth.ok) return fail(`id.residence.${birth.problem}`);
  if (!hasValidCheck(value)) return fail('id.residence.checksum');
  return { ok: true, type: 'hmt_residence', canonical: value, birthDate: birth.date, sex: sexOf(value) };
}
