// Two claimants of one ID number passing a path at the same moment, on PGlite and PostgreSQL:
// exactly one resolution; the winner owns the number; every other holder — the first owner and
// the losing claimant — is deregistered once, with one notice each. (Normally a second claimant is
// refused with 情况一; here the second one is made directly to test the race.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { insertAccount } from '../../src/accounts/queries.ts';
import { checkIdentity } from '../../src/identity/service.ts';
import { saveRealName } from '../../src/accounts/real-name.ts';
import { importRecords } from '../../src/records/import.ts';
import { batchSink, postgresCopySink } from '../../src/records/import-queries.ts';
import { verifyByRecords } from '../../src/resolution/records-path.ts';
import { AppError } from '../../src/lib/errors.ts';

for (const storage of storageKinds()) {
  test(`two claimants racing on one ID number: one resolution, the rest deregistered once (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = t.services.accounts;
      const now = t.clock.now();
      const ID = '11010519491231002X';
      const make = async (phone: string, state: 'active' | 'needs_verification') => {
        const id = await insertAccount(t.db, { phone, email: null, phoneVerifiedAt: now, passwordHash: 'h', state: 'active', registeredVia: 'phone', now });
        const checked = await checkIdentity(deps.identity, { name: '张三', idType: 'resident_id', idNumber: ID, reRegister: state === 'needs_verification' });
        await t.db.transaction().execute((tx) => saveRealName(tx, deps, id, checked, { ip: null, provedPhone: true }));
        return id;
      };
      const owner = await make('13900000001', 'active');
      const claimantB = await make('13900000002', 'needs_verification');
      // A second claimant, made as a race between two registrations could have made one.
      const claimantC = await insertAccount(t.db, {
        phone: '13900000003',
        email: null,
        phoneVerifiedAt: now,
        passwordHash: 'h',
        state: 'needs_verification',
        registeredVia: 'phone',
        now,
      });
      const identityB = await t.db.selectFrom('identities').selectAll().where('account_id', '=', claimantB).executeTakeFirstOrThrow();
      await t.db
        .insertInto('identities')
        .values({ ...identityB, account_id: claimantC })
        .execute();

      const file = `学籍,清华大学,2010011001,2010,本科,张三,,${ID}`;
      const sink = storage === 'postgres' ? await postgresCopySink(t.databaseUrl!) : batchSink(t.db);
      await importRecords(Readable.from([file]), { keys: deps.identity.keys, sink, now });
      await sink.close();

      const claim = { kind: 'enrolment' as const, school: '清华大学', number: '2010011001', year: '2010', level: '本科' };
      const results = await Promise.allSettled([claimantB, claimantC].map((id) => verifyByRecords(deps, id, claim, { ip: '192.0.2.1', userAgent: null })));
      const passed = results.filter((r) => r.status === 'fulfilled');
      assert.equal(passed.length, 1, 'one claimant passes');
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((lost.reason as AppError).code, 'resolution.not_needed', 'the other finds its case closed');
      assert.equal((passed[0] as PromiseFulfilledResult<{ deregistered: string[] }>).value.deregistered.length, 2);

      const states = Object.fromEntries((await t.db.selectFrom('accounts').select(['id', 'state']).execute()).map((a) => [a.id, a.state]));
      const winner = states[claimantB] === 'active' ? claimantB : claimantC;
      const loser = winner === claimantB ? claimantC : claimantB;
      assert.equal(states[winner], 'active');
      assert.equal(states[loser], 'deregistered');
      assert.equal(states[owner], 'deregistered');
      assert.equal((await t.db.selectFrom('resolutions').selectAll().execute()).length, 1);
      const claimRow = await t.db.selectFrom('id_claims').selectAll().executeTakeFirstOrThrow();
      assert.equal(claimRow.owner_account_id, winner);
      const deregistrations = await t.db.selectFrom('account_events').select('account_id').where('type', '=', 'account.deregistered').execute();
      assert.deepEqual(deregistrations.map((d) => d.account_id).sort(), [owner, loser].sort());
    } finally {
      await t.close();
    }
  });
}
