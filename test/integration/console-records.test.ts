// Records in the console: a file uploaded through the browser form is checked line by line and
// imported, with a validation report of what was rejected and why; records are found by ID number
// (blind index) or by school and number. Only the records role (and admin) may do this.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';

let t: TestInstance;
let records: Agent;
const id = (seq: number) => {
  const body = `51010719970707${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance();
  records = await signInStaff(t, await createStaff(t, 'records.he', ['records']));
});
after(() => t.close());

const upload = async (agent: Agent, csv: string) => {
  await agent.get('/console/records');
  return agent.submitMultipart('/console/records/import', {}, { file: { filename: 'records.csv', contentType: 'text/csv', data: Buffer.from(csv, 'utf8') } });
};

test('an uploaded file is imported with a report of the rejected lines; records are found by ID number and by school + number', async () => {
  const csv = [
    'kind,school,number,year,level,name,id_type,id_number',
    `学籍,四川大学,2016141001,2016,本科,何一,,${id(1)}`,
    `学历,四川大学,106101202000001,2020,本科,何一,,${id(1)}`,
    `学籍,四川大学,2016141002,20x6,本科,何二,,${id(2)}`,
    `学籍,电子科技大学,2017001,2017,硕士,何三,,110101199001011234`,
    `学籍,成都七中,2013001,2013,中学,何四,,${id(4)}`,
  ].join('\n');
  const page = await upload(records, csv);
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /共 5 行：导入 2 条，拒绝 3 行/);
  // Each reason is a sentence in the staff member's language (zh-CN by default), not a code.
  assert.match(page.body, /<td>4<\/td><td>年份“20x6”无效，应为 1950 至 \d{4} 之间的 4 位数字<\/td>/);
  assert.match(page.body, /<td>5<\/td><td>证件号码有误：身份证号码校验位不正确，请检查是否输错<\/td>/, 'the ID-number messages are reused');
  assert.match(page.body, /<td>6<\/td><td>学历层次“中学”无法识别，应为专科、本科、硕士或博士<\/td>/);
  assert.doesNotMatch(page.body, /records\.reject|id\.resident|unknown level/);
  const audit = await t.db.selectFrom('audit_events').select(['actor_id', 'detail']).where('action', '=', 'records.imported').executeTakeFirstOrThrow();
  assert.equal(audit.actor_id, 'records.he');
  const detail = audit.detail as { accepted: number; file: string; sha256: string };
  assert.equal(detail.accepted, 2);
  assert.equal(detail.file, 'records.csv');
  assert.equal(detail.sha256, createHash('sha256').update(csv).digest('hex'), 'the audit names the exact file');
  const rows = await t.db.selectFrom('student_records').select('imported_by').execute();
  assert.deepEqual([...new Set(rows.map((r) => r.imported_by))], ['records.he'], 'each record keeps who put it there');

  await records.get('/console/records');
  const byId = await records.submit('/console/records/search', { idNumber: id(1) });
  assert.match(byId.text, /学籍 四川大学 2016141001 2016 本科 何一/);
  assert.match(byId.text, /学历 四川大学 106101202000001 2020 本科 何一/);
  const bySchool = await records.submit('/console/records/search', { school: ' 四川大学 ', number: '2016141001' });
  assert.match(bySchool.text, /何一/);
  assert.doesNotMatch(bySchool.text, /106101202000001/);
  const nothing = await records.submit('/console/records/search', {});
  assert.match(nothing.text, /请输入证件号码，或院校名称加学号/);
});

test('an empty upload is refused; a reviewer cannot upload records', async () => {
  await records.get('/console/records');
  const empty = await records.submitMultipart('/console/records/import', {}, {});
  assert.equal(empty.status, 400);
  assert.match(empty.text, /请选择要导入的文件/);
  const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.he', ['reviewer']), '192.0.2.70');
  const refused = await upload(reviewer, `学籍,四川大学,2016141009,2016,本科,何九,,${id(9)}`);
  assert.equal(refused.status, 403);
  const count = await t.db
    .selectFrom('student_records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 2, 'nothing imported');
});

test('the report is in English for a staff member who reads English; a UTF-8 BOM is fine', async () => {
  const english = await signInStaff(t, await createStaff(t, 'records.li', ['records']), '192.0.2.71');
  await english.get('/lang/en?next=/console/records');
  const csv = [
    'kind,school,number,year,level,name,id_type,id_number',
    `学籍,四川大学,2016141011,2016,本科,李一,,${id(11)}`,
    `学籍,成都七中,2013002,2013,中学,李二,,${id(12)}`,
    `学籍,四川大学,2016141013,2016,本科,李三,,110101199001011234`,
  ].join('\r\n');
  const page = await english.submitMultipart(
    '/console/records/import',
    {},
    { file: { filename: 'excel.csv', contentType: 'text/csv', data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]) } },
  );
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /3 lines: 1 imported, 2 rejected\./, 'the BOM does not spoil the header line');
  assert.match(page.text, /3 Unknown level “中学”: use 专科, 本科, 硕士 or 博士/);
  assert.match(page.text, /4 ID number: The check digit is wrong; please check the number/);
});

test('a file that is not UTF-8 (GBK from Excel) is refused whole, with how to save it, and nothing is imported', async () => {
  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('student_records')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  const audits = (await t.db.selectFrom('audit_events').select('id').where('action', '=', 'records.imported').execute()).length;
  // 学籍,四川大学,2016141020,2016,本科,何二十 in GBK: its lines would all be mojibake.
  const gbk = Buffer.concat([
    Buffer.from('kind,school,number,year,level,name,id_type,id_number\n'),
    Buffer.from([0xd1, 0xa7, 0xbc, 0xae]),
    Buffer.from(','),
    Buffer.from([0xcb, 0xc4, 0xb4, 0xa8, 0xb4, 0xf3, 0xd1, 0xa7]),
    Buffer.from(',2016141020,2016,'),
    Buffer.from([0xb1, 0xbe, 0xbf, 0xc6]),
    Buffer.from(','),
    Buffer.from([0xba, 0xce, 0xb6, 0xfe, 0xca, 0xae]),
    Buffer.from(`,,${id(20)}\n`),
  ]);
  await records.get('/console/records');
  const zh = await records.submitMultipart('/console/records/import', {}, { file: { filename: 'gbk.csv', contentType: 'text/csv', data: gbk } });
  assert.equal(zh.status, 400);
  assert.match(zh.text, /文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再上传。/);
  assert.doesNotMatch(zh.body, /id="import-report"/);
  const english = await signInStaff(t, await createStaff(t, 'records.gbk', ['records']), '192.0.2.72');
  await english.get('/lang/en?next=/console/records');
  const en = await english.submitMultipart('/console/records/import', {}, { file: { filename: 'gbk.csv', contentType: 'text/csv', data: gbk } });
  assert.equal(en.status, 400);
  assert.match(en.text, /The file is not UTF-8 encoded\. In Excel, use “Save As → CSV UTF-8 \(Comma delimited\)”/);
  assert.equal(await count(), before, 'nothing imported');
  assert.equal((await t.db.selectFrom('audit_events').select('id').where('action', '=', 'records.imported').execute()).length, audits, 'no import happened');
});
