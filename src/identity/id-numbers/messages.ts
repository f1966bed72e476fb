// What a person reads when an ID number is refused, by error code. Each message says what is
// wrong and, where it helps, what the number should look like or which type to pick instead.
// Merge into the page catalogue (src/http/i18n.ts) like the other modules' catalogues.

export const idNumberMessages: Record<string, { 'zh-CN': string; en: string }> = {
  'id.required': { 'zh-CN': '请输入证件号码', en: 'Enter your ID number' },
  'id.type_invalid': { 'zh-CN': '请选择证件类型', en: 'Choose the type of your ID document' },

  // 居民身份证
  'id.resident.length': {
    'zh-CN': '身份证号码应为 18 位（旧版为 15 位），请检查是否漏输或多输',
    en: 'A resident ID number has 18 characters (15 on old cards); please check for missing or extra characters',
  },
  'id.resident.chars': {
    'zh-CN': '身份证号码只能包含数字，最后一位可以是 X',
    en: 'A resident ID number contains only digits; only the last character may be X',
  },
  'id.resident.region': {
    'zh-CN': '身份证号码前 6 位（地区码）不正确，请检查是否输错',
    en: 'The first 6 digits (the region code) are not valid; please check the number',
  },
  'id.resident.birth_date': {
    'zh-CN': '身份证号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
    en: 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  },
  'id.resident.birth_future': {
    'zh-CN': '身份证号码中的出生日期晚于今天，请检查是否输错',
    en: 'The date of birth in the number is after today; please check the number',
  },
  'id.resident.checksum': { 'zh-CN': '身份证号码校验位不正确，请检查是否输错', en: 'The check digit is wrong; please check the number' },
  'id.resident.is_residence_permit': {
    'zh-CN': '这是港澳台居民居住证号码，请将证件类型选择为“港澳台居民居住证”',
    en: 'This is a Residence Permit for Hong Kong, Macao and Taiwan Residents number; please choose that document type',
  },
  'id.resident.is_foreign_permanent': {
    'zh-CN': '以 9 开头的是外国人永久居留身份证号码，请将证件类型选择为“外国人永久居留身份证”',
    en: 'Numbers starting with 9 belong to the Foreign Permanent Resident ID Card; please choose that document type',
  },

  // 港澳台居民居住证
  'id.residence.length': { 'zh-CN': '港澳台居民居住证号码应为 18 位', en: 'A residence permit number has 18 characters' },
  'id.residence.chars': {
    'zh-CN': '港澳台居民居住证号码只能包含数字，最后一位可以是 X',
    en: 'A residence permit number contains only digits; only the last character may be X',
  },
  'id.residence.prefix': {
    'zh-CN': '港澳台居民居住证号码以 810000、820000 或 830000 开头；如果是居民身份证，请将证件类型选择为“居民身份证”',
    en: 'A residence permit number starts with 810000, 820000 or 830000; for a resident ID card, choose “Resident Identity Card”',
  },
  'id.residence.birth_date': {
    'zh-CN': '居住证号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
    en: 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  },
  'id.residence.birth_future': {
    'zh-CN': '居住证号码中的出生日期晚于今天，请检查是否输错',
    en: 'The date of birth in the number is after today; please check the number',
  },
  'id.residence.checksum': { 'zh-CN': '居住证号码校验位不正确，请检查是否输错', en: 'The check digit is wrong; please check the number' },

  // 港澳居民来往内地通行证
  'id.hk_macao.prefix': {
    'zh-CN': '港澳居民来往内地通行证号码以字母 H（香港）或 M（澳门）开头',
    en: 'The permit number starts with H (Hong Kong) or M (Macao)',
  },
  'id.hk_macao.format': {
    'zh-CN': '港澳居民来往内地通行证号码为 H 或 M 加 8 位数字（旧版为 10 位数字），请检查是否输错',
    en: 'The permit number is H or M followed by 8 digits (10 on older permits); please check the number',
  },

  // 台湾居民来往大陆通行证
  'id.taiwan.format': {
    'zh-CN': '台湾居民来往大陆通行证号码为 8 位数字（旧版为 7–10 位数字，可带括号内的校验字母），请检查是否输错',
    en: 'The permit number has 8 digits (older permits: 7–10 digits, possibly with a check letter in brackets); please check the number',
  },

  // 外国人永久居留身份证
  'id.foreign.length': {
    'zh-CN': '外国人永久居留身份证号码应为 18 位（2023 年前签发的为 15 位）',
    en: 'The card number has 18 characters (15 on cards issued before December 2023)',
  },
  'id.foreign.format_2017': {
    'zh-CN': '15 位的外国人永久居留身份证号码由 3 个字母（国籍代码）和 12 位数字组成',
    en: 'A 15-character card number is 3 letters (the nationality code) followed by 12 digits',
  },
  'id.foreign.format_2023': {
    'zh-CN': '18 位的外国人永久居留身份证号码以 9 开头，由数字组成，最后一位可以是 X',
    en: 'An 18-character card number starts with 9 and contains only digits; only the last character may be X',
  },
  'id.foreign.region': {
    'zh-CN': '证件号码第 2–3 位（受理地代码）不正确，请检查是否输错',
    en: 'Digits 2–3 (the place of issue) are not valid; please check the number',
  },
  'id.foreign.birth_date': {
    'zh-CN': '证件号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
    en: 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  },
  'id.foreign.birth_future': {
    'zh-CN': '证件号码中的出生日期晚于今天，请检查是否输错',
    en: 'The date of birth in the number is after today; please check the number',
  },
  'id.foreign.checksum': { 'zh-CN': '证件号码校验位不正确，请检查是否输错', en: 'The check digit is wrong; please check the number' },

  // 护照
  'id.passport.length': { 'zh-CN': '护照号码应为 5 至 17 位', en: 'A passport number has 5 to 17 characters' },
  'id.passport.chars': { 'zh-CN': '护照号码只能包含字母和数字', en: 'A passport number contains only letters and digits' },
  'id.passport.digit': {
    'zh-CN': '护照号码中应包含数字，请检查是否输入了姓名等其他信息',
    en: 'A passport number contains digits; please check that you entered the number, not a name',
  },
};
