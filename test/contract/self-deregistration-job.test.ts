// The timers of 注销帐号 run on every node (main.ts), so two may pick the same due requests at
// once (on PostgreSQL they really run at once): each account is deregistered once, told once,
// audited once; a 撤销注销 sent at the moment the period ends leaves one consistent outcome; the
// erasure after retention runs once per account. Run again, the jobs find nothing to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { completeDueDeregistrations } from '../../src/leaving/completion.ts';
import { eraseDueAccounts } from '../../src/leaving/erasure.ts';
import { DAY } from '../../src/lib/clock.ts';

const id = (seq: number) => {
  const body = `11010819850505${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

for (const storage of storageKinds()) {
  test(`${storage}: two runners complete each due deregistration once; a cancel at the same moment wins or loses whole; erasure once`, async () => {
    const t = await getTestInstance({
      storage,
      limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
    });
    try {
      const people = [];
      for (let i = 1; i <= 4; i++) {
        const person = await t.registerPhone({ fields: { idType: 'resident_id', name: `周${'一二三四'[i - 1]}`, idNumber: id(i) } });
        const asked = await person.agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
        assert.equal(asked.status, 200, asked.text);
        people.push(person);
      }
      t.clock.advance(15 * DAY + 1);

      // The last person signs in as the period ends and sends 撤销注销 while the runners start.
      const late = people[3]!;
      const back = await t.signIn(late.phone);
      assert.equal(back.page.location, '/account/deregister');
      await back.agent.get('/account/deregister');
      const [first, second, cancel] = await Promise.all([
        completeDueDeregistrations(t.services.leaving),
        completeDueDeregistrations(t.services.leaving),
        back.agent.submit('/account/deregister/cancel', {}),
      ]);
      const lateState = (await t.db.selectFrom('accounts').select('state').where('id', '=', late.accountId).executeTakeFirstOrThrow()).state;
      const lateRequest = await t.db.selectFrom('self_deregistrations').select('state').where('account_id', '=', late.accountId).executeTakeFirstOrThrow();
      if (cancel.status === 303) {
        assert.equal(lateState, 'active');
        assert.equal(lateRequest.state, 'cancelled');
        assert.equal(first + second, 3);
      } else {
        assert.equal(cancel.status, 409, cancel.text);
        assert.match(cancel.text, /没有可以撤销的注销申请/);
        assert.equal(lateState, 'deregistered');
        assert.equal(lateRequest.state, 'completed');
        assert.equal(first + second, 4);
      }
      const done = people.filter((p, i) => i < 3 || lateState === 'deregistered');

      for (const person of done) {
        const events = await t.db
          .selectFrom('account_events')
          .select('id')
          .where('account_id', '=', person.accountId)
          .where('type', '=', 'account.deregistered')
          .execute();
        assert.equal(events.length, 1, 'deregistered once');
        const audited = await t.db
          .selectFrom('audit_events')
          .select('action')
          .where('account_id', '=', person.accountId)
          .where('action', 'in', ['leaving.completed', 'account.deregistered'])
          .execute();
        assert.equal(audited.length, 2, 'audited once');
        const told = (await t.messagesTo(person.phone)).filter((m) => /冷静期结束后注销/.test(m.text));
        assert.equal(told.length, 1, 'told once');
      }
      assert.equal(await completeDueDeregistrations(t.services.leaving), 0, 'nothing left to do');

      // Each number is free again: a newcomer registers the first one and owns it.
      const newcomer = await t.registerPhone({ password: TEST_PASSWORD, fields: { idType: 'resident_id', name: '周一', idNumber: id(1) } });
      const claim = await t.db
        .selectFrom('id_claims')
        .innerJoin('identities', 'identities.id_index', 'id_claims.id_index')
        .select(['id_claims.state', 'id_claims.owner_account_id'])
        .where('identities.account_id', '=', newcomer.accountId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(claim, { state: 'registered', owner_account_id: newcomer.accountId });

      t.clock.advance(181 * DAY);
      const [a, b] = await Promise.all([eraseDueAccounts(t.services.leaving), eraseDueAccounts(t.services.leaving)]);
      assert.equal(a + b, done.length, 'each account erased by one runner');
      for (const person of done) {
        const erased = await t.db
          .selectFrom('audit_events')
          .select('id')
          .where('account_id', '=', person.accountId)
          .where('action', '=', 'leaving.erased')
          .execute();
        assert.equal(erased.length, 1);
        const identity = await t.db.selectFrom('identities').select(['name', 'id_masked']).where('account_id', '=', person.accountId).executeTakeFirstOrThrow();
        assert.deepEqual(identity, { name: '', id_masked: '' });
      }
      assert.equal(await eraseDueAccounts(t.services.leaving), 0, 'erasure runs once');
    } finally {
      await t.close();
    }
  });
}
