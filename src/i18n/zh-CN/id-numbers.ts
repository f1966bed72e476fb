// Why an ID number is refused, by document type, and what it should look like.
export const idNumbers = {
  'id.required': '请输入证件号码',
  'id.type_invalid': '请选择证件类型',

  // 居民身份证
  'id.resident.length': '身份证号码应为 18 位（旧版为 15 位），请检查是否漏输或多输',
  'id.resident.chars': '身份证号码只能包含数字，最后一位可以是 X',
  'id.resident.region': '身份证号码前 6 位（地区码）不正确，请检查是否输错',
  'id.resident.birth_date': '身份证号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
  'id.resident.birth_future': '身份证号码中的出生日期晚于今天，请检查是否输错',
  'id.resident.checksum': '身份证号码校验位不正确，请检查是否输错',
  'id.resident.is_residence_permit': '这是港澳台居民居住证号码，请将证件类型选择为“港澳台居民居住证”',
  'id.resident.is_foreign_permanent': '以 9 开头的是外国人永久居留身份证号码，请将证件类型选择为“外国人永久居留身份证”',

  // 港澳台居民居住证
  'id.residence.length': '港澳台居民居住证号码应为 18 位',
  'id.residence.chars': '港澳台居民居住证号码只能包含数字，最后一位可以是 X',
  'id.residence.prefix': '港澳台居民居住证号码以 810000、820000 或 830000 开头；如果是居民身份证，请将证件类型选择为“居民身份证”',
  'id.residence.birth_date': '居住证号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
  'id.residence.birth_future': '居住证号码中的出生日期晚于今天，请检查是否输错',
  'id.residence.checksum': '居住证号码校验位不正确，请检查是否输错',

  // 港澳居民来往内地通行证
  'id.hk_macao.prefix': '港澳居民来往内地通行证号码以字母 H（香港）或 M（澳门）开头',
  'id.hk_macao.format': '港澳居民来往内地通行证号码为 H 或 M 加 8 位数字（旧版为 10 位数字），请检查是否输错',

  // 台湾居民来往大陆通行证
  'id.taiwan.format': '台湾居民来往大陆通行证号码为 8 位数字（旧版为 7–10 位数字，可带括号内的校验字母），请检查是否输错',

  // 外国人永久居留身份证
  'id.foreign.length': '外国人永久居留身份证号码应为 18 位（2023 年前签发的为 15 位）',
  'id.foreign.format_2017': '15 位的外国人永久居留身份证号码由 3 个字母（国籍代码）和 12 位数字组成',
  'id.foreign.format_2023': '18 位的外国人永久居留身份证号码以 9 开头，由数字组成，最后一位可以是 X',
  'id.foreign.region': '证件号码第 2–3 位（受理地代码）不正确，请检查是否输错',
  'id.foreign.birth_date': '证件号码中的出生日期（第 7–14 位）不是有效日期，请检查是否输错',
  'id.foreign.birth_future': '证件号码中的出生日期晚于今天，请检查是否输错',
  'id.foreign.checksum': '证件号码校验位不正确，请检查是否输错',

  // 护照
  'id.passport.length': '护照号码应为 5 至 17 位',
  'id.passport.chars': '护照号码只能包含字母和数字',
  'id.passport.digit': '护照号码中应包含数字，请检查是否输入了姓名等其他信息',
  'id.passport.is_resident_id': '这是居民身份证号码（旧版 15 位），请在证件类型中选择“居民身份证”',
} as const;
