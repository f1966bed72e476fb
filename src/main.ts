// Start: config → database (migrated) → services → HTTP → outbox and export workers, timed work. SIGTERM or
// SIGINT: stop accepting, finish in-flight requests, let the worker finish its pass, close the
// database (PGlite flushes to disk and releases its lock), exit. Each step of the start is logged
// at info with its time, so the first start (which creates the embedded database) is not silent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { migrateOpened } from './db/migrate.ts';
import { roleTimeoutWarnings } from './db/pooler.ts';
import { keyringFromSecret, loadMasterSecret } from './lib/keyring.ts';
import { createServices } from './services.ts';
import { buildApp } from './app.ts';
import { createLogger } from './http/logging.ts';
import { deleteExpired } from './maintenance/cleanup.ts';
import { every } from './maintenance/schedule.ts';
import { settlesWithin } from './lib/settles-within.ts';
import { completeDueDeregistrations } from './leaving/completion.ts';
import { eraseDueAccounts } from './leaving/erasure.ts';
import { finishDueRemovals } from './mfa/removal.ts';
import { sweepEndedCasSessions } from './cas/service.ts';
import { passDueCases } from './resolution/notice-period.ts';

/** How long a stop may take, so that with the database's close and the CLI's last second the process is gone within 10 s of SIGTERM. */
const STOP_DEADLINE_MS = 6_500;
/** Of it, what the workers keep for releasing their claims after the requests. */
const WORKERS_SHARE_MS = 2_500;
/** Closing the database after the deadline: a PGlite flush, a pool's goodbye. */
const CLOSE_GRACE_MS = 1_000;

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop: () => Promise<void> }> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const began = Date.now();
  const step = (msg: string, started?: number, extra: Record<string, unknown> = {}) =>
    log.info({ ...extra, ...(started === undefined ? {} : { ms: Date.now() - started }) }, msg);
  const embedded = !config.databaseUrl;
  const firstStart = embedded && !existsSync(join(config.dataDir, 'pgdata'));
  step(
    firstStart
      ? `creating the embedded database in ${config.dataDir} (first start only: initdb takes a while)`
      : embedded
        ? `opening the embedded database in ${config.dataDir}`
        : config.databasePooler === 'transaction'
          ? 'connecting to PostgreSQL through a transaction pooler'
          : 'connecting to PostgreSQL',
  );
  let t = Date.now();
  const opened = await openDatabase(config);
  step('database open', t);
  let redis: Redis | undefined;
  try {
    t = Date.now();
    const applied = await migrateOpened(opened);
    step(applied.length ? `applied ${applied.length} migrations` : 'database schema is up to date', t);
    if (config.databasePooler === 'transaction') for (const warning of await roleTimeoutWarnings(opened.db)) log.warn(warning);
    t = Date.now();
    const secret = loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir, generate: !config.production });
    redis = config.redisUrl ? sharedRedis(config.redisUrl, log) : undefined;
    const services = await createServices(config, opened.db, keyringFromSecret(secret, config.idKeys), { redis, log });
    const app = await buildApp(services, { logger: log, poolStats: opened.poolStats });
    await app.ready();
    step('services and routes ready', t);
    const url = await app.listen({ host: config.host, port: config.port });
    services.worker.start();
    services.exportWorker.start();
    const stopTimers = [
      every(
        10 * 60_000,
        () => deleteExpired(opened.db, services.clock, { retention: config.retention, log }),
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
      // 注销帐号 whose cooling-off is over, then personal information past its retention (leaving/).
      every(
        10 * 60_000,
        () => completeDueDeregistrations(services.leaving),
        (err) => log.warn({ err }, 'completing due deregistrations failed'),
      ),
      every(
        60 * 60_000,
        () => eraseDueAccounts(services.leaving),
        (err) => log.warn({ err }, 'erasing deregistered accounts past retention failed'),
      ),
      // Second factors removed through 找回密码 whose waiting period is over (mfa/removal.ts).
      every(
        60_000,
        () => finishDueRemovals(services.accounts),
        (err) => log.warn({ err }, 'finishing due second-factor removals failed'),
      ),
    ];
    log.info({ storage: opened.kind, dataDir: opened.kind === 'pglite' ? config.dataDir : undefined, ms: Date.now() - began }, 'Tongxing is serving');

    // A stop ends within STOP_DEADLINE_MS whatever the database or a relay does (an orchestrator
    // kills at about 10 s): in-flight requests get most of it, then their sockets are dropped; timed
    // runs and the workers (which release their claims) share what is left. A request or run cut off
    // leaves no half state: its transaction never commits.
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const deadline = Date.now() + STOP_DEADLINE_MS;
        const left = () => Math.max(0, deadline - Date.now());
        // Stops accepting and waits for in-flight requests; a request stuck on a frozen database
        // would hold it for its statement timeouts (over 10 s), so it is cut off.
        if (!(await settlesWithin(app.close(), left() - WORKERS_SHARE_MS))) {
          log.warn({}, 'requests still in flight at the stop deadline: their connections are closed');
          app.server.closeAllConnections();
        }
        const background = Promise.all([
          ...stopTimers.map((stopTimer) => stopTimer()), // a timed run in progress
          services.exportWorker.stop(),
          // Gives back the claims not begun at once and waits for sends in progress only while the
          // database is still open, so a claimed SMS code never sits out its lease.
          services.worker.stop(left()),
        ]);
        if (!(await settlesWithin(background, left()))) log.warn({}, 'background work still running at the stop deadline');
        redis?.disconnect();
        await settlesWithin(opened.close(), left() + CLOSE_GRACE_MS);
      })());
    return { url, stop };
  } catch (error) {
    redis?.disconnect();
    await opened.close();
    throw error;
  }
}

/**
 * The Redis client for the shared limiters. While Redis is away a command fails at once (no
 * offline queue) or within a second (a frozen server), and the limiters count in the database
 * instead (security/rate-limits.ts); the client reconnects by itself. Its errors are logged once
 * per outage, not once per command.
 */
function sharedRedis(url: string, log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000, connectTimeout: 2_000 });
  let away = false;
  redis.on('error', (err: Error) => {
    if (away) return;
    away = true;
    log.warn({ err: err.message }, 'Redis unreachable; rate limits count in the database until it is back');
  });
  redis.on('ready', () => {
    if (!away) return;
    away = false;
    log.info({}, 'Redis is back; rate limits count there again');
  });
  return redis;
}
