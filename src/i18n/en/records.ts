// Student-status and degree records files and their rejected lines.
import type { records as zh } from '../zh-CN/records.ts';

export const records: Record<keyof typeof zh, string> = {
  'records.reject.columns': 'Expected {expected} columns, found {found}',
  'records.reject.kind': 'Unknown kind “{value}”: use 学籍 (enrolment) or 学历 (degree)',
  'records.reject.school': 'The school is missing or longer than 100 characters',
  'records.reject.number': 'The student or certificate number is missing or longer than 40 characters',
  'records.reject.year': 'Year “{value}” is not a 4-digit year from 1950 to {max}',
  'records.reject.unknown_level': 'Unknown level “{value}”: use 专科, 本科, 硕士 or 博士 (junior college, bachelor, master, doctor)',
  'records.reject.id_type':
    'Unknown id_type “{value}”: use resident_id, hmt_residence, hk_macao_permit, taiwan_permit, foreign_permanent or passport (empty means resident_id)',
  'records.reject.name': 'The name is not a valid name',

  // {message} is the ID-number module's own message (see rejectionText).
  'records.reject.id_number': 'ID number: {message}',
  'records.not_utf8': 'The file is not UTF-8 encoded. In Excel, use “Save As → CSV UTF-8 (Comma delimited)” and upload it again.',
};
