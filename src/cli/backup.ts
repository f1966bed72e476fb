// `tongxing backup FILE` and `tongxing restore FILE`: embedded storage (PGlite in DATA_DIR) as one
// gzip tarball of its data directory. Backup takes the data directory's lock like the service
// does, so it refuses while the service runs (stop it first, or back up a PostgreSQL deployment
// with pg_dump): a copy taken under a running writer could miss its last commits, and PGlite
// cannot be opened by two processes. Restore writes only into a DATA_DIR with no database yet,
// so it never overwrites one, and takes the same lock before it looks: it refuses a directory a
// service is using (or starting in) without touching it. The archive holds personal data: it is written 0600, and through a
// temporary file renamed at the end so a failed backup leaves no half archive under FILE's name.
// It does not hold the master secret (DATA_DIR/secret.key when SECRET_KEY is unset): the data is
// sealed with it, so keep the two apart and both safe (docs/deployment.md).
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';

const GZIP_MAGIC = [0x1f, 0x8b];

export async function runBackup(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('usage: tongxing backup FILE.tar.gz');
    return 2;
  }
  if (config.databaseUrl) {
    console.error('备份命令只用于内置存储；PostgreSQL 请使用 pg_dump。\nbackup is for embedded storage (DATA_DIR); back up PostgreSQL with pg_dump.');
    return 1;
  }
  if (!existsSync(join(config.dataDir, 'pgdata'))) {
    console.error(`no embedded database in ${config.dataDir} (DATA_DIR) to back up`);
    return 1;
  }
  const { openPglite } = await import('../db/client.ts');
  const opened = await openPglite({ dataDir: config.dataDir });
  const partial = `${file}.partial`;
  try {
    const archive = Buffer.from(await (await opened.dumpDataDir!()).arrayBuffer());
    writeFileSync(partial, archive, { mode: 0o600 });
    renameSync(partial, file);
    console.log(`backed up ${config.dataDir} to ${file} (${archive.length} bytes)`);
    if (!config.secretKey && existsSync(join(config.dataDir, 'secret.key')))
      console.log(`keep ${join(config.dataDir, 'secret.key')} with it, apart and safe: the archive is sealed with that secret and does not contain it`);
    return 0;
  } finally {
    rmSync(partial, { force: true });
    await opened.close();
  }
}

export async function runRestore(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('usage: tongxing restore FILE.tar.gz   (into an empty DATA_DIR)');
    return 2;
  }
  if (config.databaseUrl) {
    console.error('恢复命令只用于内置存储；PostgreSQL 请使用 pg_restore。\nrestore is for embedded storage (DATA_DIR); restore PostgreSQL with pg_restore.');
    return 1;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`no backup file at ${file}`);
    return 1;
  }
  const archive = readFileSync(file);
  if (archive[0] !== GZIP_MAGIC[0] || archive[1] !== GZIP_MAGIC[1]) {
    console.error(`${file} is not a backup made by tongxing backup (not a gzip tarball)`);
    return 1;
  }
  const [{ openPglite }, { migrationsApplied }, { lockDataDir, DataDirLockedError }] = await Promise.all([
    import('../db/client.ts'),
    import('../db/migrate.ts'),
    import('../db/data-dir-lock.ts'),
  ]);
  // The data directory's lock first, then the look for a database: a service starting in DATA_DIR
  // at this moment holds the lock before it makes its database, so a restore that looked first
  // could find none, fail on the lock, and then delete the database that service had just made.
  let lock;
  try {
    lock = lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`${error.message}\n未恢复，数据目录未做任何改动。\nNothing was restored and nothing in ${config.dataDir} was changed.`);
    return 1;
  }
  const pgdata = join(config.dataDir, 'pgdata');
  if (existsSync(pgdata)) {
    lock.release();
    console.error(
      `数据目录 ${config.dataDir} 中已有数据库，不会覆盖。\n${config.dataDir} already holds a database; restore only into an empty DATA_DIR (nothing was changed).`,
    );
    return 1;
  }
  let opened;
  try {
    opened = await openPglite({ dataDir: config.dataDir, loadDataDir: new Blob([archive]), lock });
  } catch (error) {
    // A damaged archive leaves no half database behind: the next try starts clean. Still under
    // the lock, so what is removed is this restore's own.
    rmSync(pgdata, { recursive: true, force: true });
    lock.release();
    console.error(`could not restore ${file}: ${(error as Error).message}`);
    return 1;
  }
  try {
    const current = await migrationsApplied(opened.db);
    console.log(`restored ${file} into ${config.dataDir}${current ? '' : ' (older schema: the next start applies the newer migrations)'}`);
    return 0;
  } finally {
    await opened.close();
  }
}
