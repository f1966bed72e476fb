// Were two people at one school at the same time, on the same level? A student-status record
// (学籍) gives the year study began, a degree record (学历) the year it ended; the other end is
// the usual length of that level's programme. Two people overlap when their years of study
// share at least one year (a class that began together always does).
import type { Level } from '../records/normalize.ts';

/** Usual programme lengths in years: 专科 3, 本科 4, 硕士 3, 博士 4. */
const YEARS: Record<Level, number> = { junior_college: 3, bachelor: 4, master: 3, doctor: 4 };

export interface StudyRecord {
  kind: 'enrolment' | 'degree';
  level: string;
  year: number;
}

/** The years of study a record stands for, [from, to). */
export function studySpan(record: StudyRecord): { from: number; to: number } | undefined {
  const length = YEARS[record.level as Level];
  if (!length) return undefined;
  return record.kind === 'enrolment' ? { from: record.year, to: record.year + length } : { from: record.year - length, to: record.year };
}

/** True when some record of each is on the same level with years of study that overlap. */
export function studiedTogether(a: readonly StudyRecord[], b: readonly StudyRecord[]): boolean {
  return a.some((x) =>
    b.some((y) => {
      if (x.level !== y.level) return false;
      if (x.kind === 'enrolment' && y.kind === 'enrolment' && x.year === y.year) return true;
      const sx = studySpan(x);
      const sy = studySpan(y);
      return sx !== undefined && sy !== undefined && sx.from < sy.to && sy.from < sx.to;
    }),
  );
}
