// 注销帐号's completion beside a classmate answering a request, on PostgreSQL (PGlite has one
// connection, so nothing runs beside anything there). The answer locks its inbox item first and
// then the claimant's number (inbox/service.ts decide → resolution/classmate-path.ts onAccept);
// the completion holds that number's claim and lapses the requests of the account it settles
// (resolution/number-handover.ts). Neither may wait for the other: both finish, no deadlock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { completeDueDeregistrations } from '../../src/leaving/completion.ts';
import { findForRecipientForUpdate, insertItem } from '../../src/inbox/queries.ts';
import { claimNumber, lockClaimOfAccount } from '../../src/identity/claims.ts';
import { insertIdentity } from '../../src/identity/queries.ts';
import { lockAccount } from '../../src/accounts/lifecycle.ts';
import { randomBytes } from 'node:crypto';
import { CLASSMATE_VOUCH } from '../../src/resolution/classmate-path.ts';
import { DAY } from '../../src/lib/clock.ts';

const PASSWORD = 'leaving concurrency password';
const id = (seq: number) => {
  const body = `11010519900101${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

if (storageKinds().includes('postgres')) {
  let t: TestInstance;
  before(async () => {
    t = await getTestInstance({
      storage: 'postgres',
      limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
    });
  });
  after(() => t.close());

  test('a classmate answering while the owner’s deregistration settles the claimant: both finish', async () => {
    const register = (fields: Record<string, string>) => t.registerPhone({ password: PASSWORD, fields: { idType: 'resident_id', ...fields } });
    const owner = await register({ name: '孔同学', idNumber: id(1) });
    const claimant = await register({ name: '孔同学', idNumber: id(1), reRegister: '1' });
    const classmate = await register({ name: '曹同学', idNumber: id(2) });
    const asked = await owner.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
    assert.equal(asked.status, 200, asked.text);
    // The claimant's request to the classmate, as classmate-path.ts sends it.
    const itemId = await insertItem(t.db, {
      recipientId: classmate.accountId,
      senderId: claimant.accountId,
      kind: CLASSMATE_VOUCH,
      payload: { requesterName: '孔同学', school: '南京大学' },
      state: 'pending',
      now: t.clock.now(),
      expiresAt: new Date(t.clock.now().getTime() + 7 * DAY),
    });
    t.clock.advance(16 * DAY);

    let itemLocked!: () => void;
    const locked = new Promise<void>((resolve) => (itemLocked = resolve));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    // The classmate's answer, in the order decide and onAccept take their locks.
    const answering = t.db.transaction().execute(async (tx) => {
      assert.ok(await findForRecipientForUpdate(tx, itemId, classmate.accountId));
      itemLocked();
      await gate;
      await lockClaimOfAccount(tx, claimant.accountId);
    });
    await locked;
    const completing = completeDueDeregistrations(t.services.leaving);
    // Long enough for the completion to reach the item had it waited for it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    letGo();
    const [answered, completed] = await Promise.allSettled([answering, completing]);
    assert.equal(answered.status, 'fulfilled', answered.status === 'rejected' ? String(answered.reason) : '');
    assert.equal(completed.status, 'fulfilled', completed.status === 'rejected' ? String(completed.reason) : '');
    assert.equal(completed.value, 1);
    const states = await t.db.selectFrom('accounts').select(['id', 'state']).where('id', 'in', [owner.accountId, claimant.accountId]).execute();
    assert.deepEqual(Object.fromEntries(states.map((s) => [s.id, s.state])), { [owner.accountId]: 'deregistered', [claimant.accountId]: 'active' });
    // The item being answered was left to its answer (which now finds nothing to confirm).
    const item = await t.db.selectFrom('inbox_items').select('state').where('id', '=', itemId).executeTakeFirstOrThrow();
    assert.equal(item.state, 'pending');
  });

  test('real-name information saved while the completion reads the account: the number is not left with a deregistered account', async () => {
    const person = await t.registerPhone({ password: PASSWORD });
    const asked = await person.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
    assert.equal(asked.status, 200, asked.text);
    t.clock.advance(16 * DAY);
    const index = randomBytes(32);

    let saving!: () => void;
    const saved = new Promise<void>((resolve) => (saving = resolve));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    // 基本信息 saved in the order real-name saving takes its locks: the number's claim, the account.
    const save = t.db.transaction().execute(async (tx) => {
      await claimNumber(tx, index, person.accountId, t.clock.now());
      await lockAccount(tx, person.accountId);
      await insertIdentity(tx, {
        accountId: person.accountId,
        name: '严同学',
        idType: 'resident_id',
        keyId: 'test',
        cipher: Buffer.from([1]),
        index,
        masked: '1101**********0011',
        verifier: 'format',
        verifierResult: 'ok',
        now: t.clock.now(),
      });
      saving();
      await gate;
    });
    await saved;
    const completing = completeDueDeregistrations(t.services.leaving);
    // The completion has read "no number" and waits on the account.
    await new Promise((resolve) => setTimeout(resolve, 300));
    letGo();
    await save;
    assert.equal(await completing, 0, 'it starts over rather than going on without the number');
    assert.equal(await completeDueDeregistrations(t.services.leaving), 1);
    const claim = await t.db.selectFrom('id_claims').select('id_index').where('id_index', '=', index).executeTakeFirst();
    assert.equal(claim, undefined, 'the number is free again, not held by the deregistered account');
  });
}
