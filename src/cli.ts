// `tongxing <command>`: serve (default) and migrate. Exit codes: 0 ok, 1 failure, 2 usage.
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { migrateToLatest } from './db/migrate.ts';
import { openDatabase, serve } from './main.ts';

const USAGE = `用法 / usage: tongxing <command>

  serve     start the service (default)
  migrate   apply database migrations and exit
  help      this text

Configuration comes from environment variables; see README.md.`;

export async function runCli(args: string[]): Promise<number> {
  const command = args[0] ?? 'serve';
  try {
    switch (command) {
      case 'serve':
        return await runServe();
      case 'migrate':
        return await runMigrate();
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

async function runMigrate(): Promise<number> {
  const opened = await openDatabase(loadConfig());
  try {
    const applied = await migrateToLatest(opened.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  } finally {
    await opened.close();
  }
}

async function runServe(): Promise<number> {
  const { url, stop } = await serve();
  console.log(`Tongxing listening on ${url}`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      console.log(`${signal}: shutting down`);
      stop().then(resolve, (error: unknown) => {
        console.error(error);
        resolve();
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  return 0;
}
