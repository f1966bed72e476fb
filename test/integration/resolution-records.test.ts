// 途径4 (student records) end to end over HTTP, and what deregistration does to the other account:
// it cannot sign in, its sessions are gone, its phone is released, its contacts are told, and the
// claimant owns the ID number. Also: the 3-try limit and two submissions racing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { RealName } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink } from '../../src/records/import-queries.ts';
import { assertPhoneAvailable } from '../../src/contacts/availability.ts';

let t: TestInstance;
const PASSWORD = 'records path password';
const id = (seq: number) => {
  const body = `11010119950505${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
  const file = [
    `学籍,北京大学,2015123401,2015,本科,陈一,,${id(11)}`,
    `学历,北京大学,1000120190001,2019,本科,陈一,,${id(11)}`,
    `学籍,南京大学,161220001,2016,本科,刘二,,${id(12)}`,
    `学籍,武汉大学,2017301,2017,硕士,吴三,,${id(13)}`,
  ].join('\n');
  await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
});
after(() => t.close());

/** Real-name information given on the registration form itself. */
const register = (identity: RealName) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...identity } });

const accountByPhone = (phone: string) => t.db.selectFrom('accounts').selectAll().where('phone', '=', phone).executeTakeFirst();

test('a claimant passes with their student record; the old account is deregistered', async () => {
  const owner = await register({ name: '陈一', idNumber: id(11) });
  const ownerRow = (await accountByPhone(owner.phone))!;
  const claimant = await register({ name: '陈一', idNumber: id(11), reRegister: '1' });

  const home = await claimant.agent.get('/account');
  assert.match(home.text, /您的证件号码与其他帐号重复/);
  const centre = await claimant.agent.get('/account/resolution');
  assert.match(centre.text, /当前注册的帐号因身份证号重复，需要验证身份信息/);
  assert.match(centre.text, /途径1 APP自助验证.*途径2 客服协助验证.*途径3 大学同班同学协助.*途径4 提供学籍或学历信息 推荐/);
  assert.match(centre.text, new RegExp(`将被注销的帐号：${owner.phone.slice(0, 3)}\\*{4}${owner.phone.slice(7)}`));
  assert.match(centre.text, /未发现这些帐号在各平台的使用记录/);

  const form = await claimant.agent.get('/account/resolution/records');
  assert.match(form.text, /已请求 0 次/);
  const noTick = await claimant.agent.submit('/account/resolution/records', {
    kind: 'enrolment',
    school: '北京大学',
    number: '2015123401',
    year: '2015',
    level: 'bachelor',
  });
  assert.equal(noTick.status, 400);
  assert.match(noTick.text, /请先阅读重要提示并勾选确认/);
  const wrong = await claimant.agent.submit('/account/resolution/records', {
    kind: 'enrolment',
    school: '北京大学',
    number: '2015123409',
    year: '2015',
    level: 'bachelor',
    acknowledge: '1',
  });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /学籍或学历信息核对不一致（已请求 1 次，最多 3 次）/);
  assert.match(wrong.text, /已请求 1 次/);

  t.clock.advance(1_000);
  const passed = await claimant.agent.submit('/account/resolution/records', {
    kind: 'degree',
    school: ' 北京大学 ',
    number: '10001 2019 0001',
    year: '２０１９',
    level: 'bachelor',
    acknowledge: '1',
  });
  assert.equal(passed.status, 303);
  const done = await claimant.agent.get(passed.location!);
  assert.match(done.text, /身份核验已通过，使用该证件号码的其他 1 个帐号已注销/);
  assert.match(done.text, /身份核验已于 .* 通过（学籍或学历信息）/);

  const claimantRow = (await accountByPhone(claimant.phone))!;
  assert.equal(claimantRow.state, 'active');
  assert.ok(claimantRow.realname_bound_at, 'the claimant with a proved phone is bound now');
  const old = await t.db.selectFrom('accounts').selectAll().where('id', '=', ownerRow.id).executeTakeFirstOrThrow();
  assert.equal(old.state, 'deregistered');
  assert.equal(old.phone, null, 'the phone left the deregistered account');
  const released = await t.db.selectFrom('released_contacts').selectAll().where('account_id', '=', ownerRow.id).execute();
  assert.deepEqual(
    released.map((r) => [r.channel, r.value]),
    [['phone', owner.phone]],
    'staff can still see what it was',
  );
  const claim = await t.db.selectFrom('id_claims').selectAll().executeTakeFirstOrThrow();
  assert.equal(claim.state, 'registered');
  const events = await t.db.selectFrom('account_events').select(['account_id', 'type']).execute();
  assert.deepEqual(events.map((e) => e.type).sort(), ['account.deregistered', 'identity.verified']);
  assert.equal(events.find((e) => e.type === 'account.deregistered')!.account_id, ownerRow.id);

  assert.equal((await owner.agent.get('/account')).status, 303, "the old account's session is gone");
  const signIn = (await t.signIn(owner.phone, PASSWORD)).page;
  assert.equal(signIn.status, 403, 'the old account cannot sign in');
  assert.match(signIn.text, /注销，不能再登录/, 'and its owner is told why');
  const notice = await t.latestMessageTo(owner.phone);
  assert.match(notice!.text, /该帐号已注销，不能再登录/);
  assert.doesNotMatch(notice!.text, /找回密码/, 'a deregistered account is not told to reset its password');
  const byId = (await t.signIn(id(11), PASSWORD)).page;
  assert.equal(byId.location, '/account', 'the ID number now signs the claimant in');

  await assert.doesNotReject(assertPhoneAvailable(t.db, owner.phone), 'the released phone can register again');
});

test('three tries per ID number, then the path is closed (已请求 3 次)', async () => {
  await register({ name: '刘二', idNumber: id(12) });
  const claimant = await register({ name: '刘二', idNumber: id(12), reRegister: '1' });
  for (let i = 1; i <= 3; i++) {
    const page = await claimant.agent.submit(
      '/account/resolution/records',
      { kind: 'enrolment', school: '南京大学', number: `99999${i}`, year: '2016', level: 'bachelor', acknowledge: '1' },
      { from: '/account/resolution/records' },
    );
    assert.equal(page.status, 422);
    assert.match(page.text, new RegExp(`已请求 ${i} 次`));
  }
  const fourth = await claimant.agent.submit(
    '/account/resolution/records',
    { kind: 'enrolment', school: '南京大学', number: '161220001', year: '2016', level: 'bachelor', acknowledge: '1' },
    { from: '/account/resolution/records' },
  );
  assert.equal(fourth.status, 429);
  assert.match(fourth.text, /此证件号码已请求 3 次，不能再通过学籍或学历信息核验/);
  assert.equal((await accountByPhone(claimant.phone))!.state, 'needs_verification', 'even the right record is too late');
});

test('a record with the right numbers but another name does not pass', async () => {
  await register({ name: '吴三', idNumber: id(13) });
  const claimant = await register({ name: '吴山', idNumber: id(13), reRegister: '1' });
  const page = await claimant.agent.submit(
    '/account/resolution/records',
    { kind: 'enrolment', school: '武汉大学', number: '2017301', year: '2017', level: 'master', acknowledge: '1' },
    { from: '/account/resolution/records' },
  );
  assert.equal(page.status, 422);
});

test('two right submissions racing: one resolution, one deregistration', async () => {
  const file = `学籍,厦门大学,2018001,2018,本科,郑九,,${id(14)}`;
  await importRecords(Readable.from([file]), { keys: t.services.identity.keys, sink: batchSink(t.db), now: t.clock.now() });
  await register({ name: '郑九', idNumber: id(14) });
  const claimant = await register({ name: '郑九', idNumber: id(14), reRegister: '1' });
  await claimant.agent.get('/account/resolution/records');
  const fields = { kind: 'enrolment', school: '厦门大学', number: '2018001', year: '2018', level: 'bachelor', acknowledge: '1' };
  const [a, b] = await Promise.all([
    claimant.agent.submit('/account/resolution/records', fields),
    claimant.agent.submit('/account/resolution/records', fields),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [303, 303], 'the loser finds the case resolved and goes to the centre too');
  const claimantRow = (await accountByPhone(claimant.phone))!;
  const resolutions = await t.db.selectFrom('resolutions').selectAll().where('claimant_account_id', '=', claimantRow.id).execute();
  assert.equal(resolutions.length, 1);
  assert.equal(resolutions[0]!.deregistered_account_ids.length, 1);
});
