// Why a records file or one of its lines was refused, in zh-CN and English: staff read the
// console's report in their language; the CLI writes zh-CN (the operators' language).
import type { Catalogue, Translate } from '../http/i18n.ts';
import type { RejectReason } from './record-row.ts';

export const recordsMessages: Catalogue = {
  'records.reject.columns': { 'zh-CN': '应有 {expected} 列，实际为 {found} 列', en: 'Expected {expected} columns, found {found}' },
  'records.reject.kind': { 'zh-CN': '类别“{value}”无法识别，应为“学籍”或“学历”', en: 'Unknown kind “{value}”: use 学籍 (enrolment) or 学历 (degree)' },
  'records.reject.school': { 'zh-CN': '院校名称为空或超过 100 个字', en: 'The school is missing or longer than 100 characters' },
  'records.reject.number': { 'zh-CN': '学号/证书编号为空或超过 40 个字符', en: 'The student or certificate number is missing or longer than 40 characters' },
  'records.reject.year': { 'zh-CN': '年份“{value}”无效，应为 1950 至 {max} 之间的 4 位数字', en: 'Year “{value}” is not a 4-digit year from 1950 to {max}' },
  'records.reject.unknown_level': {
    'zh-CN': '学历层次“{value}”无法识别，应为专科、本科、硕士或博士',
    en: 'Unknown level “{value}”: use 专科, 本科, 硕士 or 博士 (junior college, bachelor, master, doctor)',
  },
  'records.reject.id_type': {
    'zh-CN': '证件类型“{value}”无法识别，应为 resident_id、hmt_residence、hk_macao_permit、taiwan_permit、foreign_permanent、passport 之一，留空即居民身份证',
    en: 'Unknown id_type “{value}”: use resident_id, hmt_residence, hk_macao_permit, taiwan_permit, foreign_permanent or passport (empty means resident_id)',
  },
  'records.reject.name': { 'zh-CN': '姓名无效', en: 'The name is not a valid name' },
  // {message} is the ID-number module's own message (see rejectionText).
  'records.reject.id_number': { 'zh-CN': '证件号码有误：{message}', en: 'ID number: {message}' },
  'records.not_utf8': {
    'zh-CN': '文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再上传。',
    en: 'The file is not UTF-8 encoded. In Excel, use “Save As → CSV UTF-8 (Comma delimited)” and upload it again.',
  },
};

/** A rejected line's reason in the reader's language. A `message` param is itself a key (the
 *  ID-number messages), so it is translated first; the rejection keeps only keys, not text. */
export function rejectionText(t: Translate, reason: RejectReason): string {
  const params = reason.params;
  return t(reason.code, params && typeof params.message === 'string' ? { ...params, message: t(params.message) } : params);
}
