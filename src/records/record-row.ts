// One line of a records file, checked and reduced to what the table keeps. The file's columns:
//   kind,school,number,year,level,name,id_type,id_number
// kind: 学籍 / enrolment (number = student number, year = enrolment year) or 学历 / degree
// (number = certificate number, year = graduation year). id_type defaults to resident_id.
import type { RecordKind } from '../db/schema.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import type { MessageKey } from '../i18n/index.ts';
import { isIdType, validateIdNumber } from '../identity/id-numbers/index.ts';
import { indexOf } from '../identity/service.ts';
import { nameProblem } from '../identity/names.ts';
import { normalizeLevel, normalizeNumber, normalizeRecordName, normalizeYear, schoolDisplay, schoolKey, type Level } from './normalize.ts';

export const RECORD_COLUMNS = ['kind', 'school', 'number', 'year', 'level', 'name', 'id_type', 'id_number'] as const;

export interface RecordRow {
  kind: RecordKind;
  schoolKey: string;
  number: string;
  school: string;
  level: Level;
  year: number;
  name: string;
  idIndex: Buffer;
}

const KINDS: Record<string, RecordKind> = {
  enrolment: 'enrolment',
  学籍: 'enrolment',
  在校: 'enrolment',
  在校生: 'enrolment',
  degree: 'degree',
  学历: 'degree',
  毕业: 'degree',
  毕业生: 'degree',
};

/** Schools, levels and years repeat across millions of rows: each distinct text is normalised once. */
function memo<T>(limit: number, compute: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined && !cache.has(text)) {
      value = compute(text);
      if (cache.size >= limit) cache.clear();
      cache.set(text, value);
    }
    return value as T;
  };
}
const schoolOf = memo(50_000, (text) => ({ display: schoolDisplay(text), key: schoolKey(text) }));
const levelOf = memo(1_000, normalizeLevel);

/** Why a line was rejected: a message key (i18n/zh-CN/records.ts) and its values, so each
 *  reader gets it in their own language. Allocated for rejected lines only. */
export interface RejectReason {
  code: MessageKey;
  params?: Record<string, string | number>;
}

/** The row, or why it was rejected (RecordRow has no `code`, which tells the two apart). */
export function parseRecordRow(fields: string[], keys: FieldKeys, now: Date): RecordRow | RejectReason {
  if (fields.length !== RECORD_COLUMNS.length) return { code: 'records.reject.columns', params: { expected: RECORD_COLUMNS.length, found: fields.length } };
  const [kindText, schoolText, numberText, yearText, levelText, nameText, typeText, idText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const kind = KINDS[kindText.trim().toLowerCase()];
  if (!kind) return { code: 'records.reject.kind', params: { value: kindText.slice(0, 20) } };
  const { display: school, key } = schoolOf(schoolText);
  if (!key || school.length > 100) return { code: 'records.reject.school' };
  const number = normalizeNumber(numberText);
  if (!number || number.length > 40) return { code: 'records.reject.number' };
  const year = normalizeYear(yearText, now);
  if (!year) return { code: 'records.reject.year', params: { value: yearText.slice(0, 10), max: now.getUTCFullYear() + 1 } };
  const level = levelOf(levelText);
  if (!level) return { code: 'records.reject.unknown_level', params: { value: levelText.slice(0, 20) } };
  const idType = typeText.trim() || 'resident_id';
  if (!isIdType(idType)) return { code: 'records.reject.id_type', params: { value: idType.slice(0, 20) } };
  const name = normalizeRecordName(nameText);
  if (nameProblem(name, idType === 'passport' || idType === 'foreign_permanent')) return { code: 'records.reject.name' };
  const id = validateIdNumber(idType, idText, now);
  // id.code is an ID-number message key (e.g. id.resident.checksum): the person-facing text is reused.
  if (!id.ok) return { code: 'records.reject.id_number', params: { message: id.code } };
  return { kind, schoolKey: key, number, school, level, year, name, idIndex: indexOf(keys, id) };
}
