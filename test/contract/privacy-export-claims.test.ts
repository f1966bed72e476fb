// The export worker on several nodes, on PGlite and PostgreSQL (where the two passes really run
// at once): two workers over the same due copies build each exactly once (one claim each, one
// "ready", one link per contact); a node that claimed copies and died leaves leases that run out,
// and the next worker builds them while the dead claim can no longer mark anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { requestExport } from '../../src/privacy-export/service.ts';
import { createExportWorker } from '../../src/privacy-export/worker.ts';
import { claimDueExports, markReady } from '../../src/privacy-export/queries.ts';
import { MINUTE } from '../../src/lib/clock.ts';

const quietLog = { warn() {}, error() {} };
const meta = { ip: '198.51.100.40', userAgent: null };

for (const storage of storageKinds()) {
  test(`${storage}: two workers build each export once; a dead node's claim lapses and cannot mark`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = t.services.accounts;
      const people = await Promise.all([t.registerPhone(), t.registerPhone(), t.registerPhone()]);
      for (const person of people) for (let i = 0; i < 2; i++) await requestExport(deps, person.accountId, { lang: 'zh-CN' }, meta);

      const one = createExportWorker({ accounts: deps, pollMs: 60_000, log: quietLog });
      const two = createExportWorker({ accounts: deps, pollMs: 60_000, log: quietLog });
      const [builtByOne, builtByTwo] = await Promise.all([one.runOnce(), two.runOnce()]);
      assert.equal(builtByOne + builtByTwo, 6, 'every copy built, between them');

      const rows = await t.db.selectFrom('data_exports').select(['id', 'state', 'attempts', 'claim_token']).execute();
      assert.equal(rows.length, 6);
      for (const row of rows) {
        assert.equal(row.state, 'ready');
        assert.equal(row.attempts, 1, 'claimed once: built once');
        assert.equal(row.claim_token, null);
      }
      const ready = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'export.ready').execute();
      assert.deepEqual(ready.map((r) => (r.detail as { export_id: string }).export_id).sort(), rows.map((r) => r.id).sort());
      for (const person of people) {
        const links = (await t.messagesTo(person.phone)).filter((m) => m.text.includes('/account/export/'));
        assert.equal(links.length, 2, 'one link per copy');
      }

      // A node claims a copy and dies before building it.
      const orphan = await requestExport(deps, people[0]!.accountId, { lang: 'en' }, meta);
      const deadToken = randomUUID();
      const claimed = await claimDueExports(t.db, { now: t.clock.now(), lockMs: 10 * MINUTE, limit: 5, token: deadToken });
      assert.deepEqual(
        claimed.map((c) => c.id),
        [orphan],
      );
      assert.equal(await one.runOnce(), 0, 'held by its lease');
      t.clock.advance(10 * MINUTE + 1_000);
      assert.equal(await two.runOnce(), 1, 'the lapsed lease is taken over');
      const row = await t.db.selectFrom('data_exports').select(['state', 'attempts']).where('id', '=', orphan).executeTakeFirstOrThrow();
      assert.deepEqual(row, { state: 'ready', attempts: 2 });
      const late = await markReady(t.db, orphan, deadToken, {
        keyId: 'x',
        cipher: Buffer.from('late'),
        bytes: 4,
        tokenHash: Buffer.alloc(32),
        at: t.clock.now(),
        expiresAt: t.clock.now(),
      });
      assert.equal(late, false, 'the dead claim marks nothing');
      await Promise.all([one.stop(), two.stop()]);
    } finally {
      await t.close();
    }
  });
}
