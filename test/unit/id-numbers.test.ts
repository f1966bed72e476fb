// 居民身份证 numbers (GB 11643-1999): the standard's examples, the legacy 15-digit form, what
// people type, and the property that every single typing mistake is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mod11_2, toEighteen, validateIdNumber, type Validated } from '../../src/identity/id-numbers/index.ts';

/** A fixed "now": 2025-06-15 12:00 in Beijing. */
const TODAY = new Date('2025-06-15T12:00:00+08:00');
const resident = (input: string, today = TODAY) => validateIdNumber('resident_id', input, today);
const codeOf = (r: Validated) => (r.ok ? 'ok' : r.code);
const withCheck = (body17: string) => body17 + mod11_2(body17);

/** Real GB/T 2260 codes, current and abolished (崇文区 110103, 宣武区 110104 in 2010; 潮阳县
 *  440524 in 1993; Hainan's 1990s 通什市 460001), across provinces and prefecture kinds. */
const REAL_REGIONS = [
  '110101',
  '110103',
  '110104',
  '110105',
  '120101',
  '130102',
  '140105',
  '150102',
  '210102',
  '220102',
  '230102',
  '310104',
  '310115',
  '320102',
  '330106',
  '340102',
  '350102',
  '360102',
  '370102',
  '410102',
  '420102',
  '429004',
  '430102',
  '440305',
  '440524',
  '450102',
  '460001',
  '460105',
  '469027',
  '500101',
  '510107',
  '513401',
  '520102',
  '522601',
  '530102',
  '540102',
  '610102',
  '620102',
  '630102',
  '640104',
  '650102',
  '654301',
  '659001',
];

test('the GB 11643-1999 examples are accepted, with birth date and sex', () => {
  assert.deepEqual(resident('11010519491231002X'), { ok: true, type: 'resident_id', canonical: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' });
  // Born 1880: the floor for birth dates is 1880-01-01, not 1900 (see gb11643.ts).
  assert.deepEqual(resident('440524188001010014'), { ok: true, type: 'resident_id', canonical: '440524188001010014', birthDate: '1880-01-01', sex: 'M' });
  assert.equal(codeOf(resident(withCheck('44052418791231001'))), 'id.resident.birth_date', 'before 1880');
});

test('the check character is ISO 7064 MOD 11-2 as in the standard', () => {
  assert.equal(mod11_2('11010519491231002'), 'X');
  assert.equal(mod11_2('44052418800101001'), '4');
  // Sum of weights × digits ≡ 0 gives 1, ≡ 2 gives X: both ends of the mapping 1 0 X 9 … 2.
  assert.equal(mod11_2('00000000000000000'), '1');
  assert.equal(mod11_2('10000000000000000'), '5', '7 mod 11 = 7 → 5');
});

test('a few generated numbers from real regions are accepted', () => {
  for (const [body, birthDate, sex] of [
    ['31011519850203122', '1985-02-03', 'F'],
    ['51010720000229001', '2000-02-29', 'M'],
    ['65010220250615999', '2025-06-15', 'M'],
    ['11010319600101004', '1960-01-01', 'F'],
  ] as const) {
    const r = resident(withCheck(body));
    assert.deepEqual(r, { ok: true, type: 'resident_id', canonical: withCheck(body), birthDate, sex }, body);
  }
});

test('the legacy 15-digit form canonicalises to its 18-digit form', () => {
  assert.equal(toEighteen('110105491231002'), '11010519491231002X');
  const legacy = resident('110105491231002');
  assert.deepEqual(legacy, resident('11010519491231002X'));
  assert.deepEqual(legacy, { ok: true, type: 'resident_id', canonical: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' });
  assert.equal(codeOf(resident('11010549123100X')), 'id.resident.chars', 'no check character in the 15-digit form');
  assert.equal(codeOf(resident('110105490230002')), 'id.resident.birth_date');
  assert.equal(codeOf(resident('990105491231002')), 'id.resident.region');
});

test('lower-case x, full-width characters, spaces and hyphens are forgiven', () => {
  for (const typed of [
    '11010519491231002x',
    '１１０１０５１９４９１２３１００２Ｘ',
    '１１０１０５１９４９１２３１００２ｘ',
    '110105 19491231 002X',
    '110105\u300019491231\u3000002x',
    ' 110105-19491231-002X ',
    '１１０１０５－１９４９１２３１－００２ｘ',
  ]) {
    const r = resident(typed);
    assert.ok(r.ok, typed);
    assert.equal(r.canonical, '11010519491231002X', typed);
  }
});

test('each failure has its own code', () => {
  const cases: [string, string][] = [
    ['', 'id.required'],
    [' \u3000 ', 'id.required'],
    ['1101051949123100', 'id.resident.length'],
    ['11010519491231002X1', 'id.resident.length'],
    ['1101051949123100XX', 'id.resident.chars'],
    ['11010519491231002Y', 'id.resident.chars'],
    ['110105194912310.2X', 'id.resident.chars'],
    [withCheck('99010519900101001'), 'id.resident.region'],
    [withCheck('10010519900101001'), 'id.resident.region'],
    [withCheck('11998019900101001'), 'id.resident.region'],
    [withCheck('11010519900230001'), 'id.resident.birth_date'],
    [withCheck('11010519000000001'), 'id.resident.birth_date'],
    [withCheck('11010519901301001'), 'id.resident.birth_date'],
    [withCheck('11010519900100001'), 'id.resident.birth_date'],
    [withCheck('11010519000229001'), 'id.resident.birth_date'],
    [withCheck('11010520250616001'), 'id.resident.birth_future'],
    [withCheck('11010530000101001'), 'id.resident.birth_future'],
    ['110105194912310021', 'id.resident.checksum'],
    [withCheck('81000019900101001'), 'id.resident.is_residence_permit'],
    [withCheck('83000019900101001'), 'id.resident.is_residence_permit'],
    [withCheck('81010019900101001'), 'id.resident.region'],
    [withCheck('91115619900101001'), 'id.resident.is_foreign_permanent'],
    [withCheck('99115619900101001'), 'id.resident.region'],
  ];
  for (const [input, code] of cases) assert.equal(codeOf(resident(input)), code, input);
});

test('"today" is the calendar day in China', () => {
  // 2025-06-14 16:30 UTC is already 2025-06-15 00:30 in Beijing: someone born that day is valid.
  const justAfterMidnight = new Date('2025-06-14T16:30:00Z');
  assert.ok(resident(withCheck('11010520250615001'), justAfterMidnight).ok);
  assert.equal(codeOf(resident(withCheck('11010520250616001'), justAfterMidnight)), 'id.resident.birth_future');
});

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoDay = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
const validNumber = fc
  .record({
    region: fc.constantFrom(...REAL_REGIONS),
    birth: fc.date({ min: new Date('1880-01-01T00:00:00Z'), max: new Date('2025-06-14T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => withCheck(region + isoDay(birth) + pad(sequence, 3)));

test('property: generated numbers are valid and canonical as typed', () => {
  fc.assert(
    fc.property(validNumber, (id) => {
      const r = resident(id);
      assert.ok(r.ok, `${id}: ${codeOf(r)}`);
      assert.equal(r.canonical, id);
      assert.equal(r.birthDate?.replaceAll('-', ''), id.slice(6, 14));
      assert.equal(r.sex, Number(id[16]) % 2 === 1 ? 'M' : 'F');
      assert.deepEqual(resident(id.toLowerCase()), r);
    }),
    { numRuns: 300 },
  );
});

test('property: every single-character substitution is rejected', () => {
  fc.assert(
    fc.property(validNumber, (id) => {
      for (let i = 0; i < id.length; i++) {
        for (const c of '0123456789X') {
          if (c === id[i]) continue;
          const typo = id.slice(0, i) + c + id.slice(i + 1);
          assert.equal(resident(typo).ok, false, `${id} → ${typo}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('property: every adjacent transposition of two different characters is rejected', () => {
  fc.assert(
    fc.property(validNumber, (id) => {
      for (let i = 0; i + 1 < id.length; i++) {
        if (id[i] === id[i + 1]) continue;
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        assert.equal(resident(swapped).ok, false, `${id} → ${swapped}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a legacy 15-digit number and its 18-digit form are one canonical string', () => {
  const legacy = fc
    .record({
      region: fc.constantFrom(...REAL_REGIONS),
      birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ region, birth, sequence }) => region + isoDay(birth).slice(2) + pad(sequence, 3));
  fc.assert(
    fc.property(legacy, (old) => {
      const r = resident(old);
      assert.ok(r.ok, `${old}: ${codeOf(r)}`);
      assert.equal(r.canonical, toEighteen(old));
      assert.deepEqual(resident(r.canonical), r);
    }),
    { numRuns: 200 },
  );
});
