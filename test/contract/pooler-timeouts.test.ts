// Through a transaction pooler the service's server-side timeouts come from the database role (or
// the database), not from its connections (src/db/pooler.ts). The start reads what a server
// connection really has: each missing one is named with the statement that sets it; none once set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openPostgres } from '../../src/db/client.ts';
import { roleTimeoutWarnings } from '../../src/db/pooler.ts';
import { createScratchDatabase, postgresTestUrl } from '../helpers/postgres.ts';
import { storageKinds } from '../helpers/db.ts';

if (storageKinds().includes('postgres')) {
  test('pooler mode: the missing server-side timeouts are named with their ALTER ROLE; only a limit still too long once the database sets them', async () => {
    const scratch = await createScratchDatabase(postgresTestUrl(), 'tongxing_pooler_timeouts');
    assert.ok(scratch, 'PostgreSQL answers');
    try {
      const before = await openPostgres(scratch.url, 1, () => {}, { pooler: 'transaction' });
      try {
        const warnings = await roleTimeoutWarnings(before.db);
        assert.equal(warnings.length, 2, warnings.join('\n'));
        assert.match(warnings[0]!, /statement_timeout is off for role \S+.*ALTER ROLE \S+ SET statement_timeout = '10s';$/);
        assert.match(warnings[1]!, /idle_in_transaction_session_timeout is off .*SET idle_in_transaction_session_timeout = '30s';$/);
      } finally {
        await before.close();
      }
      // Set on this scratch database rather than the machine's shared role: a server connection
      // starts with either, and the check reads what it started with.
      const admin = new pg.Client({ connectionString: scratch.url });
      await admin.connect();
      await admin.query(`alter database ${scratch.name} set statement_timeout = '5s'`);
      await admin.query(`alter database ${scratch.name} set idle_in_transaction_session_timeout = '2min'`);
      await admin.end();
      const after = await openPostgres(scratch.url, 1, () => {}, { pooler: 'transaction' });
      try {
        const warnings = await roleTimeoutWarnings(after.db);
        assert.equal(warnings.length, 1, 'a limit longer than a request is given is named too');
        assert.match(warnings[0]!, /idle_in_transaction_session_timeout is 120000 ms for role/);
      } finally {
        await after.close();
      }
    } finally {
      await scratch.drop();
    }
  });
}
