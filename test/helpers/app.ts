// getTestInstance in the spirit of better-auth: the real app on a real database (in-memory
// PGlite by default, or PostgreSQL), a manual clock, and argon2 at a low cost unless a test is
// about passwords. No module mocking anywhere.
import { randomBytes } from 'node:crypto';
import { buildApp, type BuiltApp, type BuildOptions } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { keyringFromSecret } from '../../src/lib/keyring.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { defaultLimitPolicy, type LimitPolicy } from '../../src/security/rate-limits.ts';
import type { OpenedDb } from '../../src/db/client.ts';
import { openTestDb, type StorageKind } from './db.ts';

export interface TestInstance extends BuiltApp {
  db: OpenedDb['db'];
  clock: ManualClock;
  config: Config;
  /** The PostgreSQL database's URL, for what needs its own connection (COPY); PGlite has none. */
  databaseUrl: string | undefined;
  close(): Promise<void>;
}

/** A captcha that always shows `text`, so a test can type it (the real one is drawn by svg-captcha). */
export function knownCaptcha(text: string): () => { text: string; svg: string } {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="44"><text x="10" y="30" font-size="24">${text}</text></svg>`;
  return () => ({ text, svg });
}

export interface TestOptions {
  storage?: StorageKind;
  env?: Record<string, string>;
  limits?: Partial<LimitPolicy>;
  build?: Partial<BuildOptions>;
}

export async function getTestInstance(options: TestOptions = {}): Promise<TestInstance> {
  const opened = await openTestDb(options.storage);
  const config = loadConfig({
    NODE_ENV: 'test',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://127.0.0.1:8080',
    ...options.env,
  });
  const clock = new ManualClock(new Date());
  const built = await buildApp({
    config,
    db: opened.db,
    keyring: keyringFromSecret(randomBytes(32)),
    clock,
    limitPolicy: { ...defaultLimitPolicy, ...options.limits },
    logger: false,
    ...options.build,
  });
  await built.app.ready();
  return {
    ...built,
    db: opened.db,
    clock,
    config,
    databaseUrl: opened.url,
    async close() {
      await built.app.close();
      await built.worker.stop();
      await opened.close();
    },
  };
}
