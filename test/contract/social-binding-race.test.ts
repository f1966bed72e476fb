// Binding races, on PGlite and PostgreSQL: two accounts binding one WeChat at the same moment, and
// one account binding two WeChats at once. Exactly one binding stands each time; the loser is told
// why (bound elsewhere, naming the winner masked; or already bound), and nothing half-made stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { insertAccount } from '../../src/accounts/queries.ts';
import { bindIdentity } from '../../src/social/bindings.ts';
import { AppError } from '../../src/lib/errors.ts';

const meta = { ip: '198.51.100.7', userAgent: null };

for (const storage of storageKinds()) {
  test(`two accounts binding one WeChat at once: one binding, the other refused naming it masked (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = t.services.accounts;
      const now = t.clock.now();
      const make = (phone: string) =>
        insertAccount(t.db, { phone, email: null, phoneVerifiedAt: now, passwordHash: 'h', state: 'active', registeredVia: 'phone', now });
      const a = await make('13900000011');
      const b = await make('13900000012');
      const identity = { provider: 'wechat' as const, subject: 'oRaceUnionid000000000000000', displayName: '同一个微信' };
      const results = await Promise.allSettled([bindIdentity(deps, a, identity, meta), bindIdentity(deps, b, identity, meta)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.ok(refused.reason instanceof AppError);
      assert.equal(refused.reason.code, 'social.bound_elsewhere');
      const live = await t.db.selectFrom('social_bindings').select('account_id').where('released_at', 'is', null).execute();
      assert.equal(live.length, 1);
      const winner = live[0]!.account_id;
      assert.equal(refused.reason.params.account, winner === a ? '139****0011' : '139****0012');
      // One notice: the winner's.
      const notices = await t.db.selectFrom('outbox').select('recipient').where('body', 'like', '%绑定微信%').execute();
      assert.deepEqual(
        notices.map((n) => n.recipient),
        [winner === a ? '13900000011' : '13900000012'],
      );
    } finally {
      await t.close();
    }
  });

  test(`one account binding two WeChats at once: one binding stands (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = t.services.accounts;
      const now = t.clock.now();
      const a = await insertAccount(t.db, {
        phone: '13900000021',
        email: null,
        phoneVerifiedAt: now,
        passwordHash: 'h',
        state: 'active',
        registeredVia: 'phone',
        now,
      });
      const results = await Promise.allSettled([
        bindIdentity(deps, a, { provider: 'wechat', subject: 'oFirst00000000000000000000000' }, meta),
        bindIdentity(deps, a, { provider: 'wechat', subject: 'oSecond0000000000000000000000' }, meta),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((refused.reason as AppError).code, 'social.already_bound');
      const live = await t.db.selectFrom('social_bindings').select('subject').where('account_id', '=', a).where('released_at', 'is', null).execute();
      assert.equal(live.length, 1);
    } finally {
      await t.close();
    }
  });
}
