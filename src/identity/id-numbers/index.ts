// ID numbers of the six accepted document types: one entry point that normalises what was
// typed, checks it by the rules of its type and returns the canonical form (stored encrypted and
// blind-indexed) or an i18n error code. Pure: no I/O; `today` is a parameter so tests can fix it.
import { validateForeignPermanent } from './foreign-permanent.ts';
import { normalizeIdInput } from './normalize.ts';
import { validatePassport } from './passport.ts';
import { validateHkMacaoPermit, validateTaiwanPermit } from './permits.ts';
import { validateResidencePermit, validateResidentId } from './resident-id.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { fail, isIdType, type IdType, type Validated } from './types.ts';

export { ID_TYPES, ID_TYPE_CODES, isIdType, type IdType, type Valid, type Validated } from './types.ts';
export { normalizeIdInput } from './normalize.ts';
export { mod11_2 } from './gb11643.ts';
export { toEighteen } from './resident-id.ts';

/** Longer than anything valid; bounds the work done on hostile input before any rule runs. */
const MAX_INPUT = 64;

export function validateIdNumber(type: IdType, input: string, today: Date = new Date()): Validated {
  // Types come from forms at run time; a value outside the list must not fall through a switch.
  if (!isIdType(type)) return fail('id.type_invalid');
  if (typeof input !== 'string') return fail('id.required');
  if (input.length > MAX_INPUT * 4) return fail(lengthCode(type));
  const value = normalizeIdInput(input);
  if (value.length === 0) return fail('id.required');
  if (value.length > MAX_INPUT) return fail(lengthCode(type));
  switch (type) {
    case 'resident_id':
      return validateResidentId(value, today);
    case 'hmt_residence':
      return validateResidencePermit(value, today);
    case 'hk_macao_permit':
      return validateHkMacaoPermit(value);
    case 'taiwan_permit':
      return validateTaiwanPermit(value);
    case 'foreign_permanent':
      return validateForeignPermanent(value, today);
    case 'passport':
      return validatePassport(value, today);
  }
}

function lengthCode(type: IdType): MessageKey {
  const codes: Record<IdType, MessageKey> = {
    resident_id: 'id.resident.length',
    hmt_residence: 'id.residence.length',
    hk_macao_permit: 'id.hk_macao.format',
    taiwan_permit: 'id.taiwan.format',
    foreign_permanent: 'id.foreign.length',
    passport: 'id.passport.length',
  };
  return codes[type];
}

/**
 * What anyone but the owner sees: 110105199003070020 → 110***********0020. Numbers of 15
 * characters or more show the first 3 and the last 4; shorter ones (permits, passports) the
 * first 1 and the last 2, and the first and last 1 below 6 characters, so that never more than
 * half is visible. The length is kept.
 */
export function maskIdNumber(canonical: string): string {
  const n = canonical.length;
  const [head, tail] = n >= 15 ? [3, 4] : n >= 6 ? [1, 2] : n >= 4 ? [1, 1] : [0, 0];
  return canonical.slice(0, head) + '*'.repeat(n - head - tail) + canonical.slice(n - tail);
}
