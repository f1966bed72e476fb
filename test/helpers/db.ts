// Databases for tests: in-memory PGlite loaded from the run's migrated template, or a clone of
// the PostgreSQL template. `storageKinds()` lists what this run can test against.
import { readFileSync } from 'node:fs';
import { openPglite, openPostgres, type OpenedDb } from '../../src/db/client.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { clonePostgresDatabase } from './postgres.ts';

export type StorageKind = 'pglite' | 'postgres';

export function storageKinds(): StorageKind[] {
  return process.env.TONGXING_PG_TEMPLATE ? ['pglite', 'postgres'] : ['pglite'];
}

let templateBlob: Blob | undefined;

/** `url` is set for PostgreSQL, for what needs its own connection (COPY). */
export async function openTestDb(kind: StorageKind = 'pglite'): Promise<OpenedDb & { url?: string }> {
  if (kind === 'postgres') {
    const clone = await clonePostgresDatabase();
    if (!clone) throw new Error('no PostgreSQL template: run the suite through `npm test`');
    const opened = await openPostgres(clone.url, 5);
    return {
      ...opened,
      url: clone.url,
      async close() {
        await opened.close();
        await clone.drop();
      },
    };
  }
  const file = process.env.TONGXING_PGLITE_TEMPLATE;
  if (file) {
    templateBlob ??= new Blob([readFileSync(file)]);
    return openPglite({ loadDataDir: templateBlob });
  }
  // Run directly with `node --test` (not through npm test): migrate a fresh one.
  const opened = await openPglite({});
  await migrateToLatest(opened.db);
  return opened;
}
