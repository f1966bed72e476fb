// Start: config → database (migrated) → services → HTTP → outbox worker and timed work. SIGTERM or
// SIGINT: stop accepting, finish in-flight requests, let the worker finish its pass, close the
// database (PGlite flushes to disk and releases its lock), exit.
import { Redis } from 'ioredis';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { migrateToLatest } from './db/migrate.ts';
import { keyringFromSecret, loadMasterSecret } from './lib/keyring.ts';
import { createServices } from './services.ts';
import { buildApp } from './app.ts';
import { createLogger } from './http/logging.ts';
import { deleteExpired } from './maintenance/cleanup.ts';
import { every } from './maintenance/schedule.ts';
import { sweepEndedCasSessions } from './cas/service.ts';
import { passDueCases } from './resolution/notice-period.ts';

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop: () => Promise<void> }> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const opened = await openDatabase(config);
  let redis: Redis | undefined;
  try {
    await migrateToLatest(opened.db);
    const secret = loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir, generate: !config.production });
    redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false }) : undefined;
    const services = await createServices(config, opened.db, keyringFromSecret(secret, config.idKeys), { redis, log });
    const app = await buildApp(services, { logger: log });
    const url = await app.listen({ host: config.host, port: config.port });
    services.worker.start();
    const stopTimers = [
      every(
        10 * 60_000,
        () => deleteExpired(opened.db, services.clock),
        (err) => log.warn({ err }, 'clean-up failed'),
      ),
      // CAS single logout for sessions that ended (cas/service.ts): seconds, not minutes.
      every(
        3_000,
        () => sweepEndedCasSessions(services.cas),
        (err) => log.warn({ err }, 'CAS single logout sweep failed'),
      ),
      every(
        60_000,
        () => passDueCases(services.accounts),
        (err) => log.warn({ err }, 'passing due classmate cases failed'),
      ),
    ];
    log.info({ storage: opened.kind, dataDir: opened.kind === 'pglite' ? config.dataDir : undefined }, 'Tongxing is serving');

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await app.close(); // stops accepting; waits for in-flight requests
        await Promise.all(stopTimers.map((stopTimer) => stopTimer())); // and for a timed run in progress
        await services.worker.stop();
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
