// getTestInstance in the spirit of better-auth: the real services and app on a real database
// (in-memory PGlite by default, or PostgreSQL), a manual clock, and argon2 at a low cost unless a
// test is about passwords. No module mocking anywhere. The instance also does what most tests
// begin with — registering a person, signing in, reading the dev outbox — through the same pages
// and API a person uses (people.ts), so no test file keeps its own copy of those steps.
import { captchaText, drawCaptchaPng } from '../../src/captcha/image/draw.ts';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/services.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { keyringFromSecret } from '../../src/lib/keyring.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logging.ts';
import { defaultLimitPolicy, type LimitPolicy } from '../../src/security/rate-limits.ts';
import type { OpenedDb } from '../../src/db/client.ts';
import { openTestDb, type StorageKind } from './db.ts';
import { peopleOf, type People } from './people.ts';
import type { TcpProxy } from './tcp-proxy.ts';

export interface TestInstance extends People {
  app: FastifyInstance;
  services: Services;
  worker: Services['worker'];
  db: OpenedDb['db'];
  clock: ManualClock;
  config: Config;
  /** The PostgreSQL database's URL, for what needs its own connection (COPY); PGlite has none. */
  databaseUrl: string | undefined;
  /** With `databaseProxy`: what stands between the service and PostgreSQL (stop or freeze it). */
  databaseProxy: TcpProxy | undefined;
  close(): Promise<void>;
}

/**
 * A captcha whose answer is always `text`, so a test can type it. (The picture is a real one of
 * other characters: what matters to a test is the answer the server expects.)
 */
export function knownCaptcha(text: string): () => { text: string; png: Buffer } {
  return () => ({ text, png: drawCaptchaPng(captchaText()) });
}

export interface TestOptions {
  storage?: StorageKind;
  env?: Record<string, string>;
  limits?: Partial<LimitPolicy>;
  services?: ServiceOptions;
  /** The app's logger (default: silent). */
  logger?: FastifyBaseLogger;
  /** Kysely plugins on the services' database handle (statement-counting tests). */
  plugins?: KyselyPlugin[];
  /** Reach PostgreSQL (storage 'postgres') through a TCP proxy the test controls (outage tests). */
  databaseProxy?: boolean;
}

export async function getTestInstance(options: TestOptions = {}): Promise<TestInstance> {
  const opened = await openTestDb(options.storage, { throughProxy: options.databaseProxy ?? false });
  const config = loadConfig({
    NODE_ENV: 'test',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://127.0.0.1:8080',
    // A proof of work a test (or a test browser) solves in milliseconds.
    CAPTCHA_POW_COST: '10',
    CAPTCHA_POW_COUNTER: '50',
    ...options.env,
  });
  const clock = new ManualClock(new Date());
  const logger = options.logger ?? createLogger('silent');
  const db = (options.plugins ?? []).reduce((d, plugin) => d.withPlugin(plugin), opened.db);
  const services = await createServices(config, db, keyringFromSecret(randomBytes(32)), {
    clock,
    // Tests send many registration codes from one address; the test of the SMS captcha (and any
    // test passing its own rule) sees the real limit.
    limitPolicy: { ...defaultLimitPolicy, smsSendsBeforeCaptcha: { points: 10_000, durationSeconds: 3_600 }, ...options.limits },
    log: logger,
    ...options.services,
  });
  const app = await buildApp(services, { logger });
  await app.ready();
  return {
    app,
    services,
    worker: services.worker,
    db: opened.db,
    clock,
    config,
    databaseUrl: opened.url,
    databaseProxy: opened.proxy,
    ...peopleOf(app, opened.db, clock),
    async close() {
      await app.close();
      await services.worker.stop();
      await opened.close();
    },
  };
}
