import type { MessageKey } from '../i18n/index.ts';
// Names as written on the document: Chinese names (minority names keep their middle dot, as in
// 买买提·艾力), or names in Latin script for foreign documents.

const CJK = '\\p{Script=Han}';
/** Middle-dot look-alikes typed on various keyboards, all read as U+00B7. */
const DOTS = /[•・．.·﹒‧]/g;

export function normalizeName(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/(\p{Script=Han})\s*[•・．.·﹒‧]\s*(?=\p{Script=Han})/gu, '$1·');
}

const chineseName = new RegExp(`^${CJK}+(·${CJK}+)*$`, 'u');
const latinName = /^[\p{Script=Latin}][\p{Script=Latin}' .-]*[\p{Script=Latin}.]$/u;

/** Returns the i18n key of the problem, or undefined. */
export function nameProblem(name: string, documentIsForeign: boolean): MessageKey | undefined {
  if (!name) return 'name.required';
  const length = [...name].length;
  if (chineseName.test(name)) {
    if (length < 2) return 'name.too_short';
    if (length > 30) return 'name.too_long';
    return undefined;
  }
  if (latinName.test(name)) {
    if (!documentIsForeign) return 'name.chinese_expected';
    if (length > 80) return 'name.too_long';
    return undefined;
  }
  return DOTS.test(name) ? 'name.dot_misplaced' : 'name.chars';
}
