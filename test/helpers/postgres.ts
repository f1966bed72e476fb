// PostgreSQL for tests: one migrated template database per run, and a fresh clone of it per
// test file (CREATE DATABASE … TEMPLATE is a file copy, far faster than migrating again).
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.ts';

export function postgresTestUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database (or a clone of `template`) next to `adminUrl`'s; undefined when no server answers. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> } | undefined> {
  if (!(await postgresReachable(adminUrl))) return undefined;
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export async function postgresReachable(url: string): Promise<boolean> {
  try {
    await admin(url, (c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

export async function createPostgresTemplate(url: string): Promise<string> {
  const name = `tongxing_tpl_${randomBytes(4).toString('hex')}`;
  await admin(url, (c) => c.query(`create database ${name}`));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(url, name), max: 1 }) }) });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return name;
}

export async function dropPostgresTemplate(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** A fresh database cloned from the run's template; returns its URL and a function to drop it. */
export async function clonePostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const template = process.env.TONGXING_PG_TEMPLATE;
  if (!template) return undefined;
  const base = postgresTestUrl();
  const name = `tongxing_t_${randomBytes(5).toString('hex')}`;
  // Template cloning needs the template to have no other connections; retry briefly if another
  // test file is cloning at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(base, (c) => c.query(`create database ${name} template ${template}`));
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return { url: withDatabase(base, name), drop: () => admin(base, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}) };
}
