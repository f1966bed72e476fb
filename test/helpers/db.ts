// Databases for tests: in-memory PGlite loaded from the run's migrated template, or a clone of
// the PostgreSQL template. `storageKinds()` lists what this run can test against.
import { readFileSync } from 'node:fs';
import { openPglite, openPostgres, type OpenedDb } from '../../src/db/client.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { clonePostgresDatabase } from './postgres.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export type StorageKind = 'pglite' | 'postgres';

export function storageKinds(): StorageKind[] {
  return process.env.TONGXING_PG_TEMPLATE ? ['pglite', 'postgres'] : ['pglite'];
}

let templateBlob: Blob | undefined;

/**
 * `url` is set for PostgreSQL, for what needs its own connection (COPY). With `throughProxy` the
 * handle reaches PostgreSQL through a TCP proxy (`proxy`) the test can stop or freeze, while `url`
 * stays the server's own.
 */
export async function openTestDb(
  kind: StorageKind = 'pglite',
  options: { throughProxy?: boolean } = {},
): Promise<OpenedDb & { url?: string; proxy?: TcpProxy }> {
  if (kind === 'postgres') {
    const clone = await clonePostgresDatabase();
    if (!clone) throw new Error('no PostgreSQL template: run the suite through `npm test`');
    const server = new URL(clone.url);
    const proxy = options.throughProxy ? await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) }) : undefined;
    const reached = new URL(clone.url);
    if (proxy) reached.port = String(proxy.port);
    const opened = await openPostgres(reached.toString(), 5);
    return {
      ...opened,
      url: clone.url,
      ...(proxy ? { proxy } : {}),
      async close() {
        await opened.close();
        await proxy?.close();
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
