// The database the configuration names: a PostgreSQL server when DATABASE_URL is set, otherwise
// the embedded one in DATA_DIR. The service, every command and the benchmarks open it here.
import type { Config } from '../config.ts';
import { openPglite, openPostgres, type OpenedDb } from './client.ts';

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'dataDir' | 'databasePooler' | 'databaseMigrationUrl'>,
): Promise<OpenedDb> {
  if (!config.databaseUrl) return openPglite({ dataDir: config.dataDir });
  return openPostgres(
    config.databaseUrl,
    config.databasePoolSize,
    (error) => console.error(JSON.stringify({ level: 40, time: Date.now(), msg: 'a PostgreSQL connection failed; it will be replaced', err: error.message })),
    { pooler: config.databasePooler, migrationUrl: config.databaseMigrationUrl },
  );
}
