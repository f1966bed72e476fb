// Two people claiming one ID number at the same moment, on PGlite and on PostgreSQL: exactly
// one owner; the other hears 情况二 (or becomes the one claimant when they ticked 我要重新注册).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { insertAccount } from '../../src/accounts/queries.ts';
import { checkIdentity, type IdentityDeps } from '../../src/identity/service.ts';
import { saveRealName } from '../../src/accounts/real-name.ts';
import { formatOnlyVerifier } from '../../src/identity/verifier.ts';
import { AppError } from '../../src/lib/errors.ts';

for (const kind of storageKinds()) {
  test(`concurrent claims of one ID number leave one owner (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const clock = new ManualClock();
      const deps: IdentityDeps = {
        db: opened.db,
        clock,
        keys: { activeKeyId: 'k', keys: new Map([['k', randomBytes(32)]]), indexKey: randomBytes(32) },
        verifier: formatOnlyVerifier,
      };
      const accounts = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          insertAccount(opened.db, {
            phone: `1390000000${i}`,
            email: null,
            phoneVerifiedAt: clock.now(),
            passwordHash: 'h',
            state: 'active',
            registeredVia: 'phone',
            now: clock.now(),
          }),
        ),
      );
      // Variant spellings of one number: x/X, full width, the 15-digit form.
      const spellings = ['11010519491231002X', '11010519491231002x', '１１０１０５１９４９１２３１００２Ｘ', '110105491231002'];
      const attempts = await Promise.allSettled(
        accounts.map(async (accountId, i) => {
          const checked = await checkIdentity(deps, { name: '张三', idType: 'resident_id', idNumber: spellings[i]!, reRegister: false });
          return opened.db
            .transaction()
            .execute((tx) => saveRealName(tx, { identity: deps, clock: deps.clock }, accountId, checked, { ip: null, provedPhone: true }));
        }),
      );
      const owners = attempts.filter((a) => a.status === 'fulfilled' && a.value === 'owner');
      const refused = attempts.filter((a) => a.status === 'rejected' && (a.reason as AppError).code === 'identity.case2_registered');
      assert.equal(owners.length, 1);
      assert.equal(refused.length, 3);

      // Two of the refused tick 我要重新注册 at the same moment: one claimant, one 情况一.
      const losers = accounts.filter((_, i) => attempts[i]!.status === 'rejected').slice(0, 2);
      const claims = await Promise.allSettled(
        losers.map(async (accountId) => {
          const checked = await checkIdentity(deps, { name: '张三', idType: 'resident_id', idNumber: '11010519491231002X', reRegister: true });
          return opened.db
            .transaction()
            .execute((tx) => saveRealName(tx, { identity: deps, clock: deps.clock }, accountId, checked, { ip: null, provedPhone: true }));
        }),
      );
      assert.equal(claims.filter((c) => c.status === 'fulfilled' && c.value === 'claimant').length, 1);
      assert.equal(claims.filter((c) => c.status === 'rejected' && (c.reason as AppError).code === 'identity.case1_pending').length, 1);
      const claimRows = await opened.db.selectFrom('id_claims').selectAll().execute();
      assert.equal(claimRows.length, 1);
      assert.equal(claimRows[0]!.state, 'disputed');
      const states = await opened.db.selectFrom('accounts').select('state').where('state', '=', 'needs_verification').execute();
      assert.equal(states.length, 1);
    } finally {
      await opened.close();
    }
  });
}
