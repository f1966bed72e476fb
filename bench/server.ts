// The service under measurement, in its own process so its memory (RSS) is not mixed with the
// load generator's. Started by bench/run.ts with an IPC channel; wired the way src/main.ts
// wires it (config → database, migrated → createServices → buildApp → listen → outbox worker), with three
// differences a benchmark needs:
//   - the database is a throw-away one: PGlite in a temporary data directory (the embedded
//     default, on disk like production) or the fresh PostgreSQL database the parent created;
//   - the secret is random (nothing survives the run);
//   - every rate limit is raised far above what the load can reach (see benchLimitPolicy).
// Environment: BENCH_STORAGE=pglite|postgres, DATABASE_URL for postgres, BENCH_DATA_DIR for pglite,
// BENCH_REDIS_URL for the rate limits in Redis.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.ts';
import { openPglite, openPostgres, type OpenedDb } from '../src/db/client.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { keyringFromSecret } from '../src/lib/keyring.ts';
import { buildApp } from '../src/app.ts';
import { createServices } from '../src/services.ts';
import { defaultLimitPolicy, type LimitPolicy, type LimitRule } from '../src/security/rate-limits.ts';
import type { Command, Reply, Storage } from './protocol.ts';

const started = performance.now();
const send = (message: Reply) => process.send?.(message);

if (!process.send) {
  console.error('bench/server.ts is started by bench/run.ts (it needs an IPC channel)');
  process.exit(2);
}

/**
 * The bench sends thousands of sign-ins, code requests and registrations from one IP
 * (127.0.0.1) within seconds. With the production policy the per-IP limits (30 codes/hour,
 * 30 registrations/hour, …) would answer 429 after the first few and we would measure the
 * limiter's refusal, not the work. So every rule keeps its window but gets a practically
 * unreachable number of points and no block. The limiter still runs its queries on every
 * request (the same rows in the same table), so its cost is still part of the figures.
 */
const benchLimitPolicy = Object.fromEntries(
  Object.entries(defaultLimitPolicy).map(([name, rule]: [string, LimitRule]) => [name, { points: 1_000_000_000, durationSeconds: rule.durationSeconds }]),
) as LimitPolicy;

const storage = (process.env.BENCH_STORAGE ?? 'pglite') as Storage;
// NODE_ENV=test: the production-only checks (SECRET_KEY, SMTP, SMS provider) do not apply, and
// the outbox keeps message bodies so the bench can read the codes. The argon2 cost is left at
// its defaults, i.e. the production cost (m=19456 KiB, t=2, p=1). Logging is off: the figures
// are the service's, not pino's.
const config = loadConfig({
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  ...(storage === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL } : { DATA_DIR: process.env.BENCH_DATA_DIR }),
  ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  // BENCH_REDIS_URL: the rate limits in Redis, as a multi-node deployment keeps them.
  ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
});
// The service's own client settings (main.ts).
const redis = config.redisUrl
  ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000, connectTimeout: 2_000 })
  : undefined;

let opened: OpenedDb | undefined;
try {
  opened = storage === 'postgres' ? await openPostgres(config.databaseUrl!, config.databasePoolSize) : await openPglite({ dataDir: config.dataDir });
  await migrateToLatest(opened.db);
  const db = opened.db;
  const services = await createServices(config, db, keyringFromSecret(randomBytes(32)), { limitPolicy: benchLimitPolicy, redis });
  const { worker, accounts: deps } = services;
  const app = await buildApp(services);
  const url = await app.listen({ host: config.host, port: config.port });
  worker.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close(); // stops accepting; waits for in-flight requests
      await worker.stop();
      await opened?.close();
      redis?.disconnect();
    })());

  process.on('message', async (command: Command) => {
    try {
      switch (command.kind) {
        case 'seed': {
          // Accounts inserted directly (not through the API) with one real argon2id hash at the
          // production cost: every sign-in then verifies at full cost, and seeding takes one
          // hash instead of `count`.
          const t0 = performance.now();
          const passwordHash = await deps.hasher.hash(command.password);
          const now = new Date();
          const usernames = Array.from({ length: command.count }, (_, i) => command.phonePrefix + String(i).padStart(11 - command.phonePrefix.length, '0'));
          for (let i = 0; i < usernames.length; i += 500) {
            await db
              .insertInto('accounts')
              .values(
                usernames
                  .slice(i, i + 500)
                  .map((phone) => ({
                    phone,
                    email: null,
                    phone_verified_at: now,
                    email_verified_at: null,
                    password_hash: passwordHash,
                    state: 'active' as const,
                    registered_via: 'phone' as const,
                    created_at: now,
                    activated_at: now,
                    updated_at: now,
                  })),
              )
              .execute();
          }
          send({ id: command.id, kind: 'seeded', usernames, ms: performance.now() - t0 });
          break;
        }
        case 'codes': {
          // The dev SMS sender keeps each message in the outbox; its body carries the code.
          const codes: Record<string, string> = {};
          for (let i = 0; i < command.phones.length; i += 1000) {
            const rows = await db
              .selectFrom('outbox')
              .select(['recipient', 'body'])
              .where('channel', '=', 'sms')
              .where('recipient', 'in', command.phones.slice(i, i + 1000))
              .execute();
            for (const row of rows) {
              const code = /\d{6}/.exec(row.body)?.[0];
              if (code) codes[row.recipient] = code;
            }
          }
          send({ id: command.id, kind: 'codes', codes });
          break;
        }
        case 'memory': {
          send({ id: command.id, kind: 'memory', usage: process.memoryUsage() });
          break;
        }
        case 'stop': {
          await stop();
          send({ id: command.id, kind: 'stopped' });
          process.disconnect();
          break;
        }
      }
    } catch (error) {
      send({ id: command.id, kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // If the parent dies, do not linger.
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });

  send({ kind: 'ready', url, storage, startMs: performance.now() - started });
} catch (error) {
  send({ kind: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await opened?.close().catch(() => {});
  process.exit(1);
}
