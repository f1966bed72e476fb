// Several nodes starting together on one fresh PostgreSQL database: every start succeeds and the
// migrations are applied once (one starter applies the set, the others find it applied). A
// starter that finds the lock held waits for it rather than failing. On PGlite one process owns
// the data directory; migrating again applies nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { openPglite, openPostgres, MIGRATION_LOCK_KEY, type OpenedDb } from '../../src/db/client.ts';
import { migrateOpened, migrationsApplied } from '../../src/db/migrate.ts';
import { createScratchDatabase, postgresTestUrl } from '../helpers/postgres.ts';
import { storageKinds } from '../helpers/db.ts';

const STARTERS = 4;

if (storageKinds().includes('postgres')) {
  test('four nodes migrating one fresh PostgreSQL database at once: all succeed, the set is applied once', async () => {
    const scratch = await createScratchDatabase(postgresTestUrl(), 'tongxing_migrate_once');
    assert.ok(scratch, 'PostgreSQL answers');
    const nodes: OpenedDb[] = [];
    try {
      for (let i = 0; i < STARTERS; i++) nodes.push(await openPostgres(scratch.url, 2));
      const results = await Promise.all(nodes.map((node) => migrateOpened(node)));
      const applying = results.filter((applied) => applied.length > 0);
      assert.equal(applying.length, 1, `one starter applies the migrations: ${JSON.stringify(results.map((r) => r.length))}`);
      const names = applying[0]!;
      assert.ok(names.includes('0001_foundation'));
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(nodes[0]!.db);
      assert.deepEqual(
        rows.rows.map((r) => r.name),
        [...names].sort(),
        'each migration recorded once',
      );
      for (const node of nodes) assert.equal(await migrationsApplied(node.db), true);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
      await scratch.drop();
    }
  });

  test('a starter that finds the migration lock held waits for it, then finds nothing to apply', async () => {
    const scratch = await createScratchDatabase(postgresTestUrl(), 'tongxing_migrate_wait');
    assert.ok(scratch, 'PostgreSQL answers');
    const first = await openPostgres(scratch.url, 2);
    const second = await openPostgres(scratch.url, 2);
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    try {
      assert.ok((await migrateOpened(first)).length > 0);
      // Another node is "migrating": it holds the lock.
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      let settled = false;
      const waiting = migrateOpened(second).finally(() => (settled = true));
      // Wait until the starter is queued behind the lock, as PostgreSQL reports it.
      for (;;) {
        const { rows } = await holder.query<{ waiting: number }>(
          "select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
        );
        if (rows[0]!.waiting > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(settled, false, 'the starter has not gone past the lock');
      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      assert.deepEqual(await waiting, [], 'nothing left to apply once the lock is free');
    } finally {
      await holder.end();
      await first.close();
      await second.close();
      await scratch.drop();
    }
  });
}

test("embedded storage: migrating twice applies the set once; a newer release's migrations do not stop an older start", async () => {
  const opened = await openPglite({});
  try {
    assert.ok((await migrateOpened(opened)).includes('0001_foundation'));
    assert.deepEqual(await migrateOpened(opened), []);
    assert.equal(await migrationsApplied(opened.db), true);
    // A rolling upgrade: a newer pod has applied a migration this release does not know.
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_release', ${new Date().toISOString()})`.execute(opened.db);
    assert.deepEqual(await migrateOpened(opened), [], 'the older release starts, with nothing to apply');
    assert.equal(await migrationsApplied(opened.db), true, 'and is ready: every migration it knows is there');
  } finally {
    await opened.close();
  }
});
