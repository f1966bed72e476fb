// The records import on both storages: every good line lands once, bad lines are reported with
// their line numbers and reasons, school names and levels are normalised, and importing the same
// file again (or a corrected one) updates rows instead of duplicating them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { importRecords } from '../../src/records/import.ts';
import type { RejectReason } from '../../src/records/record-row.ts';
import { batchSink, postgresCopySink } from '../../src/records/import-queries.ts';
import { findRecord, countRecords } from '../../src/records/queries.ts';
import { schoolKey } from '../../src/records/normalize.ts';
import { indexOf } from '../../src/identity/service.ts';
import { validateIdNumber, mod11_2 } from '../../src/identity/id-numbers/index.ts';
import type { FieldKeys } from '../../src/lib/field-crypto.ts';

const keys: FieldKeys = { activeKeyId: 't', keys: new Map([['t', randomBytes(32)]]), indexKey: randomBytes(32) };
const id = (seq: number) => {
  const body = `11010820000101${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

const FILE = [
  'kind,school,number,year,level,name,id_type,id_number',
  `学籍,北京大学,2020123456,2020,本科,张三,resident_id,${id(1)}`,
  `degree,"清华大学 （深圳）",1000320240001,2024,硕士研究生,李四,,${id(2)}`,
  `学籍,北京大学,2020123457,2020,本 科,王五,resident_id,${id(3).slice(0, 17)}0`,
  `毕业,复旦大学,x1,1888,本科,赵六,resident_id,${id(4)}`,
  `学籍,浙江大学,3190000001,2019,学前班,孙七,resident_id,${id(5)}`,
  `学籍,浙江大学,3190000002,2019`,
  `在校生,ＺＪＵ 浙江大学,3190000003,2019,大专,周八,,${id(6)}`,
  '',
].join('\n');

for (const kind of storageKinds()) {
  test(`records import: good lines land, bad lines are reported, re-import updates (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const sink = () => (kind === 'postgres' ? postgresCopySink(opened.url!) : Promise.resolve(batchSink(opened.db)));
      const rejected: Array<[number, RejectReason]> = [];
      const first = await sink();
      const report = await importRecords(Readable.from([FILE]), {
        keys,
        sink: first,
        now: new Date('2026-11-22T00:00:00Z'),
        chunkRows: 2,
        onRejected: (line, reason) => rejected.push([line, reason]),
      });
      await first.close();
      assert.equal(report.accepted, 3);
      assert.equal(report.rejected, 4);
      assert.deepEqual(
        rejected.map(([line]) => line),
        [4, 5, 6, 7],
      );
      // Reasons are message keys with their values (the console and the CLI put them in words).
      assert.deepEqual(
        rejected.map(([, reason]) => reason),
        [
          { code: 'records.reject.id_number', params: { message: 'id.resident.checksum' } },
          { code: 'records.reject.year', params: { value: '1888', max: 2027 } },
          { code: 'records.reject.unknown_level', params: { value: '学前班' } },
          { code: 'records.reject.columns', params: { expected: 8, found: 4 } },
        ],
      );

      const pku = await findRecord(opened.db, 'enrolment', schoolKey('北京大学'), '2020123456');
      assert.ok(pku);
      assert.equal(pku.level, 'bachelor');
      assert.equal(pku.year, 2020);
      assert.equal(pku.name, '张三');
      const valid = validateIdNumber('resident_id', id(1));
      assert.ok(valid.ok);
      assert.deepEqual(Buffer.from(pku.id_index), indexOf(keys, valid));
      const thu = await findRecord(opened.db, 'degree', schoolKey('清华大学(深圳)'), '1000320240001');
      assert.equal(thu?.level, 'master', 'full-width brackets and spaces in the school name are normalised');
      const zju = await findRecord(opened.db, 'enrolment', schoolKey('zju浙江大学'), '3190000003');
      assert.equal(zju?.level, 'junior_college', 'full-width Latin letters are normalised');

      const corrected = FILE.replace('2020123456,2020,本科,张三', '2020123456,2021,本科,张三');
      const second = await sink();
      const again = await importRecords(Readable.from([corrected]), { keys, sink: second, now: new Date('2026-11-23T00:00:00Z') });
      await second.close();
      assert.equal(again.accepted, 3);
      assert.equal(await countRecords(opened.db), 3, 'a re-import updates rows, it never duplicates them');
      assert.equal((await findRecord(opened.db, 'enrolment', schoolKey('北京大学'), '2020123456'))?.year, 2021);
    } finally {
      await opened.close();
    }
  });
}
