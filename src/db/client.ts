// Opens the database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR
// (locked against a second process). Both speak the PostgreSQL dialect, so queries are shared.
import { Kysely, PostgresDialect, sql, type PostgresPool, type Transaction } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PGliteDialect } from './pglite-dialect.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Queries take either the pool or an open transaction. */
export type Executor = Db | Tx;

export interface OpenedDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export async function openPostgres(url: string, poolSize: number, onIdleError: (error: Error) => void = () => {}): Promise<OpenedDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection that the server ends (restart, failover) emits 'error'; without a
  // listener that would crash the process. The pool replaces the connection on next use.
  pool.on('error', onIdleError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * Runs every parameterised query as a named prepared statement (named by a hash of its text), so
 * PostgreSQL parses and plans each query shape once per connection instead of on every call. Our
 * queries have a small, fixed set of shapes, which bounds the statements each connection keeps.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  type Client = { query(text: string, values?: unknown[]): Promise<pg.QueryResult>; release(): void };
  const wrapped = new WeakMap<pg.PoolClient, Client>();
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `tx_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
    return name;
  };
  return {
    async connect(): Promise<Client> {
      const client = await pool.connect();
      let wrapper = wrapped.get(client);
      if (!wrapper) {
        wrapper = {
          query: (text, values) => (values && values.length > 0 ? client.query({ name: nameOf(text), text, values }) : client.query(text, values)),
          release: () => client.release(),
        };
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  } as unknown as PostgresPool; // only the text-and-values form of query() is used by Kysely here
}

/** PGlite on disk in `dataDir/pgdata`, or in memory when dataDir is undefined (tests). */
export async function openPglite(options: { dataDir?: string | undefined; loadDataDir?: Blob | undefined }): Promise<OpenedDb> {
  const lock = options.dataDir ? lockDataDir(options.dataDir) : undefined;
  try {
    const pgDir = options.dataDir ? join(options.dataDir, 'pgdata') : undefined;
    // Loaded only when embedded storage is used: a PostgreSQL deployment never pays for it.
    const { PGlite } = await import('@electric-sql/pglite');
    // One connection needs far less than PostgreSQL's default 128 MB of shared buffers.
    const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'];
    const pglite = await PGlite.create(pgDir, { startParams, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      async close() {
        await db.destroy();
        // Kysely only closes a driver it has used; close PGlite ourselves so it always flushes
        // to disk and lets the process exit.
        if (!pglite.closed) await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

export async function pingDb(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
