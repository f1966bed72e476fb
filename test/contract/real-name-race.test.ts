// One account saving its 基本信息 twice at the same moment (a double click, two tabs), on PGlite
// and PostgreSQL: one save is kept and the other is told the information is already saved (409),
// never a server error; the account holds one identity and its number one claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { insertAccount } from '../../src/accounts/queries.ts';
import { checkIdentity } from '../../src/identity/service.ts';
import { saveRealName } from '../../src/accounts/real-name.ts';
import { AppError } from '../../src/lib/errors.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

for (const storage of storageKinds()) {
  test(`two saves of one account's real name at once: one kept, the other 409 (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = t.services.accounts;
      const now = t.clock.now();
      const id = await insertAccount(t.db, {
        phone: '13900000011',
        email: null,
        phoneVerifiedAt: now,
        passwordHash: 'h',
        state: 'active',
        registeredVia: 'phone',
        now,
      });
      const checked = await checkIdentity(deps.identity, {
        name: '李四',
        idType: 'resident_id',
        idNumber: `11010519491231003${mod11_2('11010519491231003')}`,
        reRegister: false,
      });
      const save = () => t.db.transaction().execute((tx) => saveRealName(tx, deps, id, checked, { ip: null, provedPhone: true }));
      for (let round = 0; round < 5; round++) {
        await t.db.deleteFrom('identities').where('account_id', '=', id).execute();
        await t.db.deleteFrom('id_claims').execute();
        const results = await Promise.allSettled([save(), save(), save()]);
        const kept = results.filter((r) => r.status === 'fulfilled');
        assert.equal(kept.length, 1, 'one save is kept');
        for (const r of results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]) {
          assert.ok(r.reason instanceof AppError, `a refusal, not ${String(r.reason)}`);
          assert.equal(r.reason.code, 'identity.already_saved');
          assert.equal(r.reason.status, 409);
        }
        const identities = await t.db.selectFrom('identities').select('account_id').where('account_id', '=', id).execute();
        assert.equal(identities.length, 1);
      }
    } finally {
      await t.close();
    }
  });
}
