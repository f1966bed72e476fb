// 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and 23 capital letters (no I, O, Z,
// S, V); the last is a check character computed MOD 31 over the first 17 with fixed weights.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return ALPHABET[check === 31 ? 0 : check]!;
}

/** The canonical code (upper case, no spaces), or undefined when it is not a valid code. */
export function parseCreditCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return undefined;
  return checkCharacter(code.slice(0, 17)) === code[17] ? code : undefined;
}
