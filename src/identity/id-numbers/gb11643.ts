// The parts of GB 11643-1999 (公民身份号码) shared by the documents built on it: the resident
// ID number itself, the 港澳台居民居住证 number (2018) and the 2023 外国人永久居留身份证 number.
// Layout: 6-digit address code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd last digit
// = male), 1 check character computed with ISO 7064 MOD 11-2.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character for 17 digits. It detects every single-digit error and
 *  every transposition of two adjacent digits, which is why a typo is caught by it alone. */
export function mod11_2(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 17 digits and a check character 0-9 or X. */
export const GB11643_SHAPE = /^\d{17}[\dX]$/;

export const hasValidCheck = (number18: string) => mod11_2(number18.slice(0, 17)) === number18[17];

/** Odd 17th digit = male (GB 11643-1999 §5.3). */
export const sexOf = (number18: string): 'M' | 'F' => (Number(number18[16]) % 2 === 1 ? 'M' : 'F');

/**
 * Earliest birth date accepted. Not 1900: the standard's own worked example (440524188001010014)
 * was born 1880-01-01, and the first resident cards (1984) went to people alive then, some of
 * them born in the 1880s. Anything earlier than 1880 cannot belong to a card holder and is a
 * mistyped century. A plausibility check on age is not this module's business.
 */
export const EARLIEST_BIRTH = '1880-01-01';

/** The calendar date in China (UTC+8 all year, no daylight saving since 1991) at `now`. */
export function chinaToday(now: Date): string {
  // Remembered for the last instant asked: a bulk import checks millions of numbers at one `now`.
  const ms = now.getTime();
  if (ms !== lastTodayFor) {
    lastTodayFor = ms;
    lastToday = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  }
  return lastToday;
}
let lastTodayFor = Number.NaN;
let lastToday = '';

export type BirthCheck = { ok: true; date: string } | { ok: false; problem: 'birth_date' | 'birth_future' };

/** YYYYMMDD must be a real calendar date (no 0230, no month 00), not before EARLIEST_BIRTH and
 *  not after today's date in China. */
export function checkBirthDate(yyyymmdd: string, today: Date): BirthCheck {
  if (!/^\d{8}$/.test(yyyymmdd)) return { ok: false, problem: 'birth_date' };
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls 02-30 over to 03-02; a real date survives the round trip unchanged.
  if (m < 1 || m > 12 || d < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, problem: 'birth_date' };
  }
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (iso < EARLIEST_BIRTH) return { ok: false, problem: 'birth_date' };
  if (iso > chinaToday(today)) return { ok: false, problem: 'birth_future' };
  return { ok: true, date: iso };
}
