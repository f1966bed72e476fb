// What every operator command starts from: the configured database (migrated), the keyring and,
// for those that act through the modules, the same services the running service has. Nothing here
// listens or sends: messages a command writes leave through the running service's outbox worker.
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { openDatabase } from '../db/open.ts';
import { migrateOpened } from '../db/migrate.ts';
import { keyringFromSecret, loadMasterSecret, type Keyring } from '../lib/keyring.ts';
import { createServices, type Services } from '../services.ts';

/** The database, migrated, for the length of `work`. */
export async function withDatabase<T>(config: Config, work: (db: Db) => Promise<T>): Promise<T> {
  const opened = await openDatabase(config);
  try {
    await migrateOpened(opened);
    return await work(opened.db);
  } finally {
    await opened.close();
  }
}

/** The database and the keyring (the secret made on first use outside production, as `serve` does). */
export async function withKeyring<T>(config: Config, work: (db: Db, keyring: Keyring) => Promise<T>): Promise<T> {
  return withDatabase(config, async (db) => {
    const secret = loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir, generate: !config.production });
    return work(db, keyringFromSecret(secret, config.idKeys));
  });
}

/** Every module's services, as the running service builds them. */
export async function withServices<T>(config: Config, work: (services: Services) => Promise<T>): Promise<T> {
  return withKeyring(config, async (db, keyring) => work(await createServices(config, db, keyring)));
}

/** `--name value` from a command's arguments. */
export function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Every `--name value` from a command's arguments. */
export function options(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));
}
