// Why an ID number is refused, by document type, and what it should look like.
import type { idNumbers as zh } from '../zh-CN/id-numbers.ts';

export const idNumbers: Record<keyof typeof zh, string> = {
  'id.required': 'Enter your ID number',
  'id.type_invalid': 'Choose the type of your ID document',

  // 居民身份证
  'id.resident.length': 'A resident ID number has 18 characters (15 on old cards); please check for missing or extra characters',
  'id.resident.chars': 'A resident ID number contains only digits; only the last character may be X',
  'id.resident.region': 'The first 6 digits (the region code) are not valid; please check the number',
  'id.resident.birth_date': 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  'id.resident.birth_future': 'The date of birth in the number is after today; please check the number',
  'id.resident.checksum': 'The check digit is wrong; please check the number',
  'id.resident.is_residence_permit': 'This is a Residence Permit for Hong Kong, Macao and Taiwan Residents number; please choose that document type',
  'id.resident.is_foreign_permanent': 'Numbers starting with 9 belong to the Foreign Permanent Resident ID Card; please choose that document type',

  // 港澳台居民居住证
  'id.residence.length': 'A residence permit number has 18 characters',
  'id.residence.chars': 'A residence permit number contains only digits; only the last character may be X',
  'id.residence.prefix': 'A residence permit number starts with 810000, 820000 or 830000; for a resident ID card, choose “Resident Identity Card”',
  'id.residence.birth_date': 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  'id.residence.birth_future': 'The date of birth in the number is after today; please check the number',
  'id.residence.checksum': 'The check digit is wrong; please check the number',

  // 港澳居民来往内地通行证
  'id.hk_macao.prefix': 'The permit number starts with H (Hong Kong) or M (Macao)',
  'id.hk_macao.format': 'The permit number is H or M followed by 8 digits (10 on older permits); please check the number',

  // 台湾居民来往大陆通行证
  'id.taiwan.format': 'The permit number has 8 digits (older permits: 7–10 digits, possibly with a check letter in brackets); please check the number',

  // 外国人永久居留身份证
  'id.foreign.length': 'The card number has 18 characters (15 on cards issued before December 2023)',
  'id.foreign.format_2017': 'A 15-character card number is 3 letters (the nationality code) followed by 12 digits',
  'id.foreign.format_2023': 'An 18-character card number starts with 9 and contains only digits; only the last character may be X',
  'id.foreign.region': 'Digits 2–3 (the place of issue) are not valid; please check the number',
  'id.foreign.birth_date': 'The date of birth in the number (digits 7–14) is not a valid date; please check the number',
  'id.foreign.birth_future': 'The date of birth in the number is after today; please check the number',
  'id.foreign.checksum': 'The check digit is wrong; please check the number',

  // 护照
  'id.passport.length': 'A passport number has 5 to 17 characters',
  'id.passport.chars': 'A passport number contains only letters and digits',
  'id.passport.digit': 'A passport number contains digits; please check that you entered the number, not a name',
  'id.passport.is_resident_id': 'This is a resident ID number (the old 15-digit form); choose Resident Identity Card as the document type',
};
