// Start: config → database (migrated) → HTTP → outbox worker. SIGTERM/SIGINT: stop accepting,
// finish in-flight requests, let the worker finish its pass, close the database (PGlite flushes
// to disk and releases its lock), exit.
import { Redis } from 'ioredis';
import { loadConfig, type Config } from './config.ts';
import { openPglite, openPostgres, type OpenedDb } from './db/client.ts';
import { migrateToLatest } from './db/migrate.ts';
import { keyringFromSecret, loadMasterSecret } from './lib/keyring.ts';
import { buildApp } from './app.ts';
import { scheduleCleanup } from './maintenance/cleanup.ts';
import { systemClock } from './lib/clock.ts';

export async function openDatabase(config: Config): Promise<OpenedDb> {
  if (!config.databaseUrl) return openPglite({ dataDir: config.dataDir });
  return openPostgres(config.databaseUrl, config.databasePoolSize, (error) =>
    console.error(JSON.stringify({ level: 40, time: Date.now(), msg: 'an idle PostgreSQL connection failed; it will be replaced', err: error.message })),
  );
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop: () => Promise<void> }> {
  const config = loadConfig(env);
  const opened = await openDatabase(config);
  let redis: Redis | undefined;
  try {
    await migrateToLatest(opened.db);
    const secret = loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir, generate: !config.production });
    redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false }) : undefined;
    const { app, worker } = await buildApp({ config, db: opened.db, keyring: keyringFromSecret(secret, config.idKeys), redis });
    const url = await app.listen({ host: config.host, port: config.port });
    worker.start();
    const stopCleanup = scheduleCleanup(opened.db, systemClock, 10 * 60_000, (err) => app.log.warn({ err }, 'clean-up failed'));
    app.log.info({ storage: opened.kind, dataDir: opened.kind === 'pglite' ? config.dataDir : undefined }, 'Tongxing is serving');

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        stopCleanup();
        await app.close(); // stops accepting; waits for in-flight requests
        await worker.stop();
        redis?.disconnect();
        await opened.close();
      })());
    return { url, stop };
  } catch (error) {
    redis?.disconnect();
    await opened.close();
    throw error;
  }
}
