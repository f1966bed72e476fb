// School names, levels, numbers and years as records and people write them, reduced to one form
// so that "北京大学 ", "北京大学" and "北京大学（医学部）" vs "北京大学(医学部)" compare equal.
import { normalizeName } from '../identity/names.ts';

/** NFKC (full width → half width), no whitespace, one kind of bracket, Latin in lower case. */
export function schoolKey(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[【〔［\[]/g, '(')
    .replace(/[】〕］\]]/g, ')')
    .toLowerCase();
}

/** The school as shown: trimmed, inner runs of spaces collapsed, full-width letters made plain. */
export function schoolDisplay(input: string): string {
  return input.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

export type Level = 'junior_college' | 'bachelor' | 'master' | 'doctor';
export const LEVELS: readonly Level[] = ['junior_college', 'bachelor', 'master', 'doctor'];

const LEVEL_WORDS: Record<string, Level> = {
  专科: 'junior_college',
  大专: 'junior_college',
  高职: 'junior_college',
  高职专科: 'junior_college',
  专科高职: 'junior_college',
  高职高专: 'junior_college',
  junior_college: 'junior_college',
  juniorcollege: 'junior_college',
  associate: 'junior_college',
  本科: 'bachelor',
  普通本科: 'bachelor',
  本科生: 'bachelor',
  专升本: 'bachelor',
  bachelor: 'bachelor',
  undergraduate: 'bachelor',
  硕士: 'master',
  硕士研究生: 'master',
  研究生硕士: 'master',
  master: 'master',
  博士: 'doctor',
  博士研究生: 'doctor',
  研究生博士: 'doctor',
  doctor: 'doctor',
  phd: 'doctor',
};

/** 本科 / 本 科 / 本科（普通）… → bachelor; undefined when the word is not a level we know. */
export function normalizeLevel(input: string): Level | undefined {
  const word = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s()（）·.'-]/g, '')
    .replace(/(普通|全日制|非全日制)$/, '');
  return LEVEL_WORDS[word];
}

/** Student and certificate numbers: half width, upper case, no spaces or hyphens. */
export function normalizeNumber(input: string): string {
  return input.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

/** A 4-digit year between 1950 and next year, or undefined. */
export function normalizeYear(input: string, now: Date = new Date()): number | undefined {
  const digits = input.normalize('NFKC').trim();
  if (!/^\d{4}$/.test(digits)) return undefined;
  const year = Number(digits);
  return year >= 1950 && year <= now.getUTCFullYear() + 1 ? year : undefined;
}

export const normalizeRecordName = normalizeName;
