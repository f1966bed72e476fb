// The other five document types, masking, and the message catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { idNumbers as zhIdNumbers } from '../../src/i18n/zh-CN/id-numbers.ts';
import { idNumbers as enIdNumbers } from '../../src/i18n/en/id-numbers.ts';
import { ID_TYPES, isIdType, maskIdNumber, mod11_2, validateIdNumber, type IdType, type Validated } from '../../src/identity/id-numbers/index.ts';

const TODAY = new Date('2025-06-15T12:00:00+08:00');
const codeOf = (r: Validated) => (r.ok ? 'ok' : r.code);
const withCheck = (body17: string) => body17 + mod11_2(body17);

/** [type, typed, canonical or error code] */
const CASES: [IdType, string, string][] = [
  // 港澳台居民居住证: 810000 / 820000 / 830000 + birth date + sequence + MOD 11-2
  ['hmt_residence', withCheck('81000019900101001'), withCheck('81000019900101001')],
  ['hmt_residence', withCheck('82000019851231002').toLowerCase(), withCheck('82000019851231002')],
  ['hmt_residence', `830000 20000229 ${withCheck('83000020000229123').slice(14)}`, withCheck('83000020000229123')],
  ['hmt_residence', withCheck('11010519491231002'), 'id.residence.prefix'],
  ['hmt_residence', withCheck('81010019900101001'), 'id.residence.prefix'],
  ['hmt_residence', '81000019900101001', 'id.residence.length'],
  ['hmt_residence', '8100001990010100X1', 'id.residence.chars'],
  ['hmt_residence', withCheck('81000019900230001'), 'id.residence.birth_date'],
  ['hmt_residence', withCheck('81000020300101001'), 'id.residence.birth_future'],
  ['hmt_residence', '81000019900101001' + (mod11_2('81000019900101001') === '1' ? '2' : '1'), 'id.residence.checksum'],
  // 港澳居民来往内地通行证: H/M + 8 digits (card), H/M + 10 digits (older)
  ['hk_macao_permit', 'H12345678', 'H12345678'],
  ['hk_macao_permit', 'm 1234 5678', 'M12345678'],
  ['hk_macao_permit', 'Ｈ１２３４５６７８', 'H12345678'],
  ['hk_macao_permit', 'H1234567801', 'H1234567801'],
  ['hk_macao_permit', 'A12345678', 'id.hk_macao.prefix'],
  ['hk_macao_permit', '12345678', 'id.hk_macao.prefix'],
  ['hk_macao_permit', 'H1234567', 'id.hk_macao.format'],
  ['hk_macao_permit', 'H123456789', 'id.hk_macao.format'],
  ['hk_macao_permit', 'H1234567X', 'id.hk_macao.format'],
  // 台湾居民来往大陆通行证: 8 digits (card), 7–10 digits + optional (letter) (older)
  ['taiwan_permit', '01234567', '01234567'],
  ['taiwan_permit', '0123 4567', '01234567'],
  ['taiwan_permit', '0123456(B)', '0123456B'],
  ['taiwan_permit', '０１２３４５６（ｂ）', '0123456B'],
  ['taiwan_permit', '0123456B', '0123456B'],
  ['taiwan_permit', '1234567890', '1234567890'],
  ['taiwan_permit', '123456', 'id.taiwan.format'],
  ['taiwan_permit', '12345678901', 'id.taiwan.format'],
  ['taiwan_permit', '0123456(BC)', 'id.taiwan.format'],
  ['taiwan_permit', '0123456(B', 'id.taiwan.format'],
  ['taiwan_permit', 'B0123456', 'id.taiwan.format'],
  // 外国人永久居留身份证: 2017 = 3 letters + 12 digits; 2023 = 9 + province + nationality + date + sequence + check
  ['foreign_permanent', 'USA110085061201', 'USA110085061201'],
  ['foreign_permanent', 'usa 1100 8506 1201', 'USA110085061201'],
  ['foreign_permanent', 'US1110085061201', 'id.foreign.format_2017'],
  ['foreign_permanent', 'USA11008506120X', 'id.foreign.format_2017'],
  ['foreign_permanent', withCheck('91184019850612001'), withCheck('91184019850612001')],
  ['foreign_permanent', withCheck('93182620011130002').toLowerCase(), withCheck('93182620011130002')],
  ['foreign_permanent', withCheck('11010519491231002'), 'id.foreign.format_2023'],
  ['foreign_permanent', '9118401985061200AX', 'id.foreign.format_2023'],
  ['foreign_permanent', withCheck('99984019850612001'), 'id.foreign.region'],
  ['foreign_permanent', withCheck('91184019851312001'), 'id.foreign.birth_date'],
  ['foreign_permanent', withCheck('91184020991231001'), 'id.foreign.birth_future'],
  ['foreign_permanent', '91184019850612001' + (mod11_2('91184019850612001') === '1' ? '2' : '1'), 'id.foreign.checksum'],
  ['foreign_permanent', 'USA1100850612', 'id.foreign.length'],
  // 护照: 5–17 letters and digits, at least one digit
  ['passport', 'E12345678', 'E12345678'],
  ['passport', 'EA1234567', 'EA1234567'],
  ['passport', 'e1234 5678', 'E12345678'],
  ['passport', 'C01X00T47', 'C01X00T47'],
  ['passport', '123456789', '123456789'],
  ['passport', 'AB123', 'AB123'],
  ['passport', 'A1234567890123456', 'A1234567890123456'],
  ['passport', 'AB12', 'id.passport.length'],
  ['passport', 'A12345678901234567', 'id.passport.length'],
  ['passport', 'E1234567.', 'id.passport.chars'],
  ['passport', 'E1234567<', 'id.passport.chars'],
  ['passport', 'ZHANGSAN', 'id.passport.digit'],
  // A legacy 15-digit resident ID number is a resident ID number, not a passport's (one person, one identity).
  ['passport', '110105491231002', 'id.passport.is_resident_id'],
  ['passport', '999999999999999', '999999999999999'],
];

test('each type accepts its own forms and names what is wrong', () => {
  for (const [type, typed, expected] of CASES) {
    const r = validateIdNumber(type, typed, TODAY);
    if (/^id\./.test(expected)) assert.equal(codeOf(r), expected, `${type} ${typed}`);
    else {
      assert.ok(r.ok, `${type} ${typed}: ${codeOf(r)}`);
      assert.equal(r.type, type);
      assert.equal(r.canonical, expected, `${type} ${typed}`);
    }
  }
});

test('numbers built on GB 11643 report birth date and sex', () => {
  assert.deepEqual(validateIdNumber('hmt_residence', withCheck('81000019900101001'), TODAY), {
    ok: true,
    type: 'hmt_residence',
    canonical: withCheck('81000019900101001'),
    birthDate: '1990-01-01',
    sex: 'M',
  });
  assert.deepEqual(validateIdNumber('foreign_permanent', withCheck('91184019850612002'), TODAY), {
    ok: true,
    type: 'foreign_permanent',
    canonical: withCheck('91184019850612002'),
    birthDate: '1985-06-12',
    sex: 'F',
  });
  const permit = validateIdNumber('hk_macao_permit', 'H12345678', TODAY);
  assert.ok(permit.ok && permit.birthDate === undefined && permit.sex === undefined);
});

test('empty input, unknown types and absurd lengths are refused cleanly', () => {
  for (const { code } of ID_TYPES) {
    assert.equal(codeOf(validateIdNumber(code, '', TODAY)), 'id.required', code);
    assert.equal(codeOf(validateIdNumber(code, ' -\u3000', TODAY)), 'id.required', code);
    assert.equal(codeOf(validateIdNumber(code, '1'.repeat(10_000), TODAY)).split('.')[0], 'id', code);
  }
  assert.equal(codeOf(validateIdNumber('driving_licence' as IdType, 'E12345678', TODAY)), 'id.type_invalid');
  assert.ok(isIdType('passport') && !isIdType('PASSPORT') && !isIdType(undefined));
});

test('property: validating a canonical form gives it back unchanged, for every type', () => {
  let accepted = 0;
  const typedChars = fc.constantFrom(...'0123456789HMUSAXhx()（） -\u3000１');
  fc.assert(
    fc.property(fc.constantFrom(...ID_TYPES.map((t) => t.code)), fc.string({ unit: typedChars, maxLength: 20 }), (type, typed) => {
      const first = validateIdNumber(type, typed, TODAY);
      if (!first.ok) return;
      accepted++;
      assert.deepEqual(validateIdNumber(type, first.canonical, TODAY), first);
    }),
    { numRuns: 3000 },
  );
  assert.ok(accepted > 30, `only ${accepted} generated inputs were valid`);
  for (const [type, typed, expected] of CASES) {
    if (expected.startsWith('id.')) continue;
    assert.deepEqual(validateIdNumber(type, expected, TODAY), validateIdNumber(type, typed, TODAY), `${type} ${typed}`);
  }
});

test('maskIdNumber keeps the length and shows little', () => {
  assert.equal(maskIdNumber('110105199003070020'), '110***********0020');
  assert.equal(maskIdNumber('11010519491231002X'), '110***********002X');
  assert.equal(maskIdNumber('USA110085061201'), 'USA********1201');
  assert.equal(maskIdNumber('H12345678'), 'H******78');
  assert.equal(maskIdNumber('H1234567801'), 'H********01');
  assert.equal(maskIdNumber('01234567'), '0*****67');
  assert.equal(maskIdNumber('AB1234'), 'A***34');
  assert.equal(maskIdNumber('AB123'), 'A***3');
  assert.equal(maskIdNumber('ABC'), '***');
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9A-Z]{0,24}$/), (id) => {
      const masked = maskIdNumber(id);
      assert.equal(masked.length, id.length);
      const shown = [...masked].filter((c) => c !== '*').length;
      assert.ok(shown <= id.length / 2, `${id} → ${masked}`);
    }),
  );
});

test('every error code has a polite zh-CN and English message', () => {
  const produced = new Set<string>(['id.required', 'id.type_invalid']);
  for (const [type, typed] of CASES) {
    const r = validateIdNumber(type, typed, TODAY);
    if (!r.ok) produced.add(r.code);
  }
  for (const code of [
    'id.resident.length',
    'id.resident.chars',
    'id.resident.region',
    'id.resident.birth_date',
    'id.resident.birth_future',
    'id.resident.checksum',
    'id.resident.is_residence_permit',
    'id.resident.is_foreign_permanent',
  ]) {
    produced.add(code);
  }
  for (const code of produced) assert.ok(Object.hasOwn(zhIdNumbers, code), `no message for ${code}`);
  for (const [code, zh] of Object.entries(zhIdNumbers)) {
    const en = enIdNumbers[code as keyof typeof enIdNumbers];
    assert.ok(produced.has(code), `${code} is never produced by these tests`);
    assert.ok(zh.length > 0 && /[\u4e00-\u9fff]/.test(zh), code);
    assert.ok(en.length > 0 && /^[A-Z]/.test(en), code);
  }
});
