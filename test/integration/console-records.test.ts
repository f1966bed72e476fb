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
  ].join('\n');
  const page = await upload(records, csv);
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /共 4 行：导入 2 条，拒绝 2 行/);
  assert.match(page.body, /<td>4<\/td><td>[^<]*year[^<]*<\/td>/);
  assert.match(page.body, /<td>5<\/td><td>[^<]+<\/td>/);
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
  const count = await t.db.selectFrom('student_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 2, 'nothing imported');
});
