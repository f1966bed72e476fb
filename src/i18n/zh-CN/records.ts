// Student-status and degree records files and their rejected lines.
export const records = {
  'records.reject.columns': '应有 {expected} 列，实际为 {found} 列',
  'records.reject.kind': '类别“{value}”无法识别，应为“学籍”或“学历”',
  'records.reject.school': '院校名称为空或超过 100 个字',
  'records.reject.number': '学号/证书编号为空或超过 40 个字符',
  'records.reject.year': '年份“{value}”无效，应为 1950 至 {max} 之间的 4 位数字',
  'records.reject.unknown_level': '学历层次“{value}”无法识别，应为专科、本科、硕士或博士',
  'records.reject.id_type':
    '证件类型“{value}”无法识别，应为 resident_id、hmt_residence、hk_macao_permit、taiwan_permit、foreign_permanent、passport 之一，留空即居民身份证',
  'records.reject.name': '姓名无效',

  // {message} is the ID-number module's own message (see rejectionText).
  'records.reject.id_number': '证件号码有误：{message}',
  'records.not_utf8': '文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再上传。',
} as const;
