// Opens the database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR
// (locked against a second process). Both speak the PostgreSQL dialect, so queries are shared.
import { Kysely, PostgresDialect, sql, type PostgresPool, type Transaction } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PGliteDialect } from './pglite-dialect.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { isDatabaseUnavailable, thrownByDatabase } from './unavailable.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Queries take either the pool or an open transaction. */
export type Executor = Db | Tx;

export interface OpenedDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PostgreSQL's connection pool now (the metrics); absent for PGlite, which has one connection. */
  poolStats?(): PoolStats;
  /**
   * PostgreSQL: runs `work` (the migrations) while holding the migration advisory lock, on a
   * database handle of its own without the request timeouts (migrate.ts says why). Absent for
   * PGlite: one process has the data directory (data-dir-lock.ts), so nobody else migrates it.
   */
  withMigrationLock?<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** PGlite on disk: its data directory as a gzip tarball (`tongxing backup`); absent for PostgreSQL. */
  dumpDataDir?(): Promise<Blob>;
}

/** pg_advisory_lock's key for "migrating this database" (any constant; the same in every version). */
export const MIGRATION_LOCK_KEY = 7_302_418_114_640_913n;

export interface PoolStats {
  /** Connections open, idle ones included. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/**
 * How long a request may wait on PostgreSQL before it is answered 503 rather than left hanging: a
 * new connection, one statement on the server, and (client side, for a server that stopped
 * answering altogether) one query's round trip. A transaction left idle by a stuck request is
 * ended by the server. Longer than any statement of ours takes; far shorter than a person waits.
 */
export const POSTGRES_TIMEOUTS = { connectMs: 3_000, statementMs: 10_000, queryMs: 12_000, idleInTransactionMs: 30_000 } as const;

export interface PostgresOptions {
  /**
   * "transaction": `url` is a pooler that lends a server connection per transaction (PgBouncer's
   * pool_mode=transaction). Then nothing may outlive a transaction: no named prepared statements
   * (the next transaction's server has not prepared them), and no startup parameters (PgBouncer
   * refuses statement_timeout and idle_in_transaction_session_timeout at connect, and would not
   * pass them to the server it lends anyway): the database role carries those (pooler.ts).
   */
  pooler?: 'none' | 'transaction';
  /** Where the migrations and their lock run, PostgreSQL itself: `url` unless given. */
  migrationUrl?: string | undefined;
}

export async function openPostgres(
  url: string,
  poolSize: number,
  onConnectionError: (error: Error) => void = () => {},
  options: PostgresOptions = {},
): Promise<OpenedDb> {
  const pooled = options.pooler === 'transaction';
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: POSTGRES_TIMEOUTS.connectMs,
    query_timeout: POSTGRES_TIMEOUTS.queryMs,
    ...(pooled ? {} : { statement_timeout: POSTGRES_TIMEOUTS.statementMs, idle_in_transaction_session_timeout: POSTGRES_TIMEOUTS.idleInTransactionMs }),
  });
  // A pooled connection the server ends (a restart, a failover, pg_ctl stop) emits 'error', idle
  // in the pool or checked out between two statements of a transaction; an 'error' event without
  // a listener would end the process. The statement in progress fails with its own error (the
  // request answers 503); the pool drops the connection and opens another on next use.
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: wrappedPool(pool, { prepare: !pooled }) }) });
  const poolStats = (): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  const migrationUrl = options.migrationUrl ?? url;
  return { db, kind: 'postgres', close: () => db.destroy(), poolStats, withMigrationLock: (work) => withMigrationLock(migrationUrl, work) };
}

/**
 * Holds the migration lock on one connection while `work` runs on another, both without timeouts:
 * a starter waits as long as another's migrations take (a new index on a big table may take
 * minutes), and a migration is never cut off by the 10 s a request is given. A starter that dies
 * mid-wait or mid-migration loses its session and with it the lock; the migration's transaction
 * rolls back, so the next starter finds the schema as it was. `url` reaches PostgreSQL itself,
 * never a transaction pooler (config.ts refuses that): the lock is the session's.
 */
async function withMigrationLock<T>(url: string, work: (db: Db) => Promise<T>): Promise<T> {
  const untimed = { connectionString: url, connectionTimeoutMillis: POSTGRES_TIMEOUTS.connectMs, statement_timeout: 0, lock_timeout: 0 };
  const lock = new pg.Client(untimed);
  // PostgreSQL restarting while this start waits on or holds the lock: the pending query fails
  // and the start with it, instead of an unhandled 'error' event ending the process.
  lock.on('error', () => {});
  await lock.connect();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ ...untimed, max: 1 }) }) });
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      return await work(db);
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await db.destroy();
    await lock.end();
  }
}

/**
 * With `prepare`, runs every parameterised query as a named prepared statement (named by a hash
 * of its text), so PostgreSQL parses and plans each query shape once per connection instead of on
 * every call. Our queries have a small, fixed set of shapes, which bounds the statements each
 * connection keeps. Without it (through a transaction pooler) each query is parsed as it comes.
 */
function wrappedPool(pool: pg.Pool, options: { prepare: boolean }): PostgresPool {
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
      // What our connections throw is marked as the database's (unavailable.ts says why).
      const client = await pool.connect().catch((error: unknown) => Promise.reject(thrownByDatabase(error)));
      let wrapper = wrapped.get(client);
      if (!wrapper) {
        // A connection a query found unreachable (ended, timed out mid-answer) is not put back in
        // the pool: its next user would wait behind the lost answer. Released with an error, the
        // pool closes it and opens a new one when asked.
        let broken = false;
        wrapper = {
          query: async (text, values) => {
            try {
              return await (options.prepare && values && values.length > 0 ? client.query({ name: nameOf(text), text, values }) : client.query(text, values));
            } catch (error) {
              // A statement the server cancelled at its timeout (57014) leaves the connection
              // sound: dropping it too would make an overloaded database reconnect as well.
              if (isDatabaseUnavailable(thrownByDatabase(error)) && (error as { code?: unknown }).code !== '57014') broken = true;
              throw error;
            }
          },
          release: () => (broken ? client.release(true) : client.release()),
        };
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  } as unknown as PostgresPool; // only the text-and-values form of query() is used by Kysely here
}

/** PGlite on disk in `dataDir/pgdata`, or in memory when dataDir is undefined (tests). */
/**
 * `lock`: the data directory's lock, already taken by the caller (restore checks the directory
 * under it). It is released at close, but kept when opening fails: the caller clears up under it.
 */
export async function openPglite(options: { dataDir?: string | undefined; loadDataDir?: Blob | undefined; lock?: DataDirLock }): Promise<OpenedDb> {
  const lock = options.lock ?? (options.dataDir ? lockDataDir(options.dataDir) : undefined);
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
      ...(pgDir ? { dumpDataDir: () => pglite.dumpDataDir('gzip') } : {}),
      async close() {
        await db.destroy();
        // Kysely only closes a driver it has used; close PGlite ourselves so it always flushes
        // to disk and lets the process exit.
        if (!pglite.closed) await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    if (!options.lock) lock?.release();
    throw error;
  }
}

/** How long /readyz waits for the database: a balancer's health check gives up after a few seconds. */
const PING_TIMEOUT_MS = 2_000;

/** Answers once the database does; throws when it does not within PING_TIMEOUT_MS. */
export async function pingDb(db: Db): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('database ping timed out')), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
