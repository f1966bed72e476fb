// 基本信息 and the duplicate-ID cases as people meet them: save once, masked everywhere, 情况二
// with 我要重新注册, 情况一 while disputed, 情况四 (an email account adding an ID later), sign-in by
// ID number, and no plain ID number anywhere it could leak.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, codeIn } from '../helpers/agent.ts';
import type { RealName } from '../helpers/people.ts';
import { revealIdNumber, rotateIdKeys } from '../../src/identity/service.ts';
import { randomBytes } from 'node:crypto';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const ID = '11010519491231002X';
const PASSWORD = 'real name please';
const phoneAccount = (fields?: Record<string, string>) => t.registerPhone({ password: PASSWORD, fields });

test('basic information is saved once, shown masked, and cannot be changed', async () => {
  const { agent, phone } = await phoneAccount();
  const home = await agent.get('/account');
  assert.match(home.text, /填写实名信息/);
  const saved = await t.saveRealName(agent, { name: '张三', idNumber: ID });
  assert.equal(saved.status, 200);
  assert.match(saved.text, /基本信息已保存/);
  assert.match(saved.text, /110\*{11}002X/);
  assert.match(saved.text, /已核对格式（未与公安系统联审）/);
  assert.match(saved.text, /实名信息已绑定/);
  assert.doesNotMatch(saved.body, new RegExp(ID));

  const again = await agent.submit('/account/identity', { name: '李四', idType: 'resident_id', idNumber: '440524188001010014' });
  assert.equal(again.status, 409);
  assert.match(again.text, /基本信息已经保存，不能修改/);
  const shown = await agent.get('/account/identity');
  assert.match(shown.text, /张三/);
  assert.match(shown.text, /保存后不能修改/);

  // Sign-in by ID number, any accepted spelling, reaches the owner.
  const { agent: other, page: byId } = await t.signIn('11010519491231002x', PASSWORD);
  assert.equal(byId.status, 303);
  const me = await other.get('/account');
  assert.match(me.text, new RegExp(`${phone.slice(0, 3)}\\*{4}${phone.slice(7)}`));
});

test('情况二: a registered number offers the ways out; 我要重新注册 makes a claimant; then 情况一', async () => {
  const claimant = await phoneAccount();
  // The legacy 15-digit form is the same identity.
  const refused = await t.saveRealName(claimant.agent, { name: '张三', idNumber: '110105491231002' });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /证件号码已被注册，查看【解决方法】/);
  assert.match(refused.text, /管理员审核后证件号码关联的旧帐号将被注销/);
  assert.match(refused.body, /href="\/help\/duplicate-id"/);
  assert.match(refused.body, /name="reRegister"/);

  const claimed = await t.saveRealName(claimant.agent, { name: '张三', idNumber: '110105491231002', reRegister: '1' });
  assert.equal(claimed.status, 200);
  assert.match(claimed.text, /需要验证身份信息/);
  const home = await claimant.agent.get('/account');
  assert.match(home.text, /待身份核验/);
  assert.match(home.text, /您的证件号码与其他帐号重复，需要验证身份信息/);
  const row = await t.db.selectFrom('accounts').select('state').where('phone', '=', claimant.phone).executeTakeFirstOrThrow();
  assert.equal(row.state, 'needs_verification');

  const third = await phoneAccount();
  const pending = await t.saveRealName(third.agent, { name: '张三', idNumber: '１１０１０５１９４９１２３１００２ｘ', reRegister: '1' });
  assert.equal(pending.status, 409);
  assert.match(pending.text, /证件号码重复待审核，不能再次注册此证件号码/);
  assert.match(pending.text, /三个工作日内处理完毕/);
});

test('registration can carry the ID; a claimant registering so can sign in but must verify', async () => {
  const owner = await phoneAccount({ name: '王五', idType: 'resident_id', idNumber: '440524188001010014' });
  assert.equal(owner.page.status, 303);
  // A second registration with the number is what this test is about: walked here, as it is refused.
  const dupPhone = t.nextPhone();
  const dupAgent = new Agent(t.app, { ip: t.nextIp() });
  await dupAgent.submit('/register/phone/code', { phone: dupPhone }, { from: '/register/phone' });
  const dup = await dupAgent.submit('/register/phone', {
    phone: dupPhone,
    code: codeIn((await t.latestMessageTo(dupPhone))!.text),
    password: PASSWORD,
    name: '王五',
    idType: 'resident_id',
    idNumber: '440524188001010014',
  });
  assert.equal(dup.status, 409);
  assert.match(dup.text, /证件号码已被注册，查看【解决方法】/);
  assert.equal(await t.db.selectFrom('accounts').select('id').where('phone', '=', dupPhone).executeTakeFirst(), undefined, 'nothing was created');
  const claimant = await phoneAccount({ name: '王五', idType: 'resident_id', idNumber: '440524188001010014', reRegister: '1' });
  assert.equal(claimant.page.status, 303);
  const home = await claimant.agent.get('/account');
  assert.match(home.text, /待身份核验/);
});

test('情况四: an email account adds its ID later and meets the same rules', async () => {
  const { agent } = await t.registerEmail('case4@example.com', { password: PASSWORD });
  const holder = await phoneAccount();
  await t.saveRealName(holder.agent, { name: '赵六', idNumber: '310104198511032013' });
  const page = await t.saveRealName(agent, { name: '赵六', idNumber: '310104198511032013' });
  assert.match(page.text, /证件号码已被注册，查看【解决方法】/);
  const claimed = await t.saveRealName(agent, { name: '赵六', idNumber: '310104198511032013', reRegister: '1' });
  assert.match(claimed.text, /需要验证身份信息/);
});

test('bad names and numbers are explained and change nothing', async () => {
  const { agent, phone } = await phoneAccount();
  const cases: Array<[RealName, RegExp]> = [
    [{ name: '', idNumber: ID }, /请输入姓名/],
    [{ name: '张', idNumber: ID }, /姓名至少 2 个字/],
    [{ name: 'Zhang San', idNumber: ID }, /该证件类型请填写中文姓名/],
    [{ name: '张三', idNumber: '110105194912310021' }, /校验/],
    [{ name: '张三', idNumber: '' }, /请输入证件号码/],
  ];
  for (const [fields, message] of cases) {
    const page = await t.saveRealName(agent, fields);
    assert.equal(page.status, 400, JSON.stringify(fields));
    assert.match(page.text, message);
  }
  const accepted = await t.saveRealName(agent, { name: '买买提·艾力', idType: 'passport', idNumber: 'E12345678' });
  assert.equal(accepted.status, 200);
  const row = await t.db
    .selectFrom('accounts')
    .innerJoin('identities', 'identities.account_id', 'accounts.id')
    .select('identities.name')
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
  assert.equal(row.name, '买买提·艾力');
});

test('no plain ID number in any table; decrypting is audited; keys rotate without loss', async () => {
  const tables = [
    'accounts',
    'identities',
    'id_claims',
    'audit_events',
    'outbox',
    'verification_codes',
    'sessions',
    'rate_limits',
    'email_usages',
    'link_tokens',
  ];
  for (const table of tables) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(t.db);
    for (const r of rows.rows) assert.ok(!r.row.includes(ID) && !r.row.includes('440524188001010014'), `${table} holds a plain ID number`);
  }
  const owner = await t.db
    .selectFrom('identities')
    .select('account_id')
    .where('id_masked', '=', '110***********002X')
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  assert.equal(await revealIdNumber(t.services.identity, owner.account_id, { kind: 'system' }, 'test'), ID);
  const audit = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'identity.decrypted').execute();
  assert.deepEqual(audit.at(-1)!.detail, { purpose: 'test' });

  const rotatedKeys = { ...t.services.identity.keys, activeKeyId: 'next', keys: new Map([...t.services.identity.keys.keys, ['next', randomBytes(32)]]) };
  const count = await rotateIdKeys({ db: t.db, keys: rotatedKeys });
  assert.ok(count >= 3);
  const left = await t.db.selectFrom('identities').select('id_key_id').where('id_key_id', '<>', 'next').execute();
  assert.equal(left.length, 0);
  assert.equal(await revealIdNumber({ ...t.services.identity, keys: rotatedKeys }, owner.account_id, { kind: 'system' }, 'test'), ID);
});
