// Monthly range partitions of the tables that grow by time alone (audit_events, outbox; migration
// 0028). A partition holds one calendar month, UTC, and is named after it (`outbox_y2026m05`), so
// its bounds are read back from the name rather than parsed from the catalogue's text. Each table
// has a DEFAULT partition that takes a row whose month has no partition yet: an insert never fails.
//
// Creating a month moves the rows the default partition holds for it into the new partition, in
// the same transaction (PostgreSQL refuses to add a partition whose rows sit in the default one).
// Dropping a month is for the owner to decide (audit/queries.ts, notifications/queries.ts): this
// file only lists, creates and drops. Every change holds an advisory lock on the table, so nodes
// running maintenance at once take turns, and re-checks what it found before acting.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from './client.ts';

export type PartitionedTable = 'audit_events' | 'outbox';

export interface MonthPartition {
  name: string;
  /** The first instant of the month (UTC); the partition holds [from, to). */
  from: Date;
  to: Date;
}

/** The first instant (UTC) of the month `n` months after the one `at` falls in. */
export function monthStart(at: Date, n = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + n, 1));
}

export function partitionName(table: PartitionedTable, month: Date): string {
  return `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The table's monthly partitions, oldest first (the default partition is not among them). */
export async function monthPartitions(db: Executor, table: PartitionedTable): Promise<MonthPartition[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${sql.lit(table)}::regclass`.execute(db);
  const pattern = new RegExp(`^${table}_y(\\d{4})m(\\d{2})$`);
  const months: MonthPartition[] = [];
  for (const { name } of rows.rows) {
    const match = pattern.exec(name);
    if (!match) continue;
    const from = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
    months.push({ name, from, to: monthStart(from, 1) });
  }
  return months.sort((a, b) => a.from.getTime() - b.from.getTime());
}

async function lockTable(tx: Executor, table: PartitionedTable): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`partitions:${table}`}))`.execute(tx);
}

/**
 * Makes sure `month` has its partition; returns whether it was created now. Rows the default
 * partition held for that month move into it.
 */
export async function ensureMonthPartition(db: Db, table: PartitionedTable, month: Date): Promise<boolean> {
  const from = monthStart(month);
  const to = monthStart(from, 1);
  const name = partitionName(table, from);
  return db.transaction().execute(async (tx) => {
    await lockTable(tx, table);
    if ((await monthPartitions(tx, table)).some((p) => p.name === name)) return false;
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(tx);
    const fresh = sql.table(name);
    const parent = sql.table(table);
    const fallback = sql.table(`${table}_default`);
    const [fromLit, toLit] = [sql.lit(from.toISOString()), sql.lit(to.toISOString())];
    // Built beside the table and attached once filled: attaching checks that the default partition
    // no longer holds rows of the month, which is what the move just made true.
    await sql`create table ${fresh} (like ${parent} including defaults including constraints)`.execute(tx);
    await sql`with moved as (delete from ${fallback} where created_at >= ${fromLit} and created_at < ${toLit} returning *)
      insert into ${fresh} select * from moved`.execute(tx);
    await sql`alter table ${parent} attach partition ${fresh} for values from (${fromLit}) to (${toLit})`.execute(tx);
    return true;
  });
}

/**
 * Drops a month partition when `mayDrop` (run inside, with the table locked) agrees. The parent
 * is locked whole at once (DROP needs that lock anyway): taking a weaker lock first and upgrading
 * could deadlock with a transaction that read the table and then writes it. A lock not granted
 * within LOCK_TIMEOUT (a long reader) gives up, and the next round tries again.
 */
export async function dropMonthPartition(
  db: Db,
  table: PartitionedTable,
  partition: MonthPartition,
  mayDrop: (tx: Executor, partition: MonthPartition) => Promise<boolean> = async () => true,
): Promise<'dropped' | 'refused' | 'gone'> {
  return db.transaction().execute(async (tx) => {
    await lockTable(tx, table);
    if (!(await monthPartitions(tx, table)).some((p) => p.name === partition.name)) return 'gone';
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(tx);
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(tx);
    if (!(await mayDrop(tx, partition))) return 'refused';
    await sql`drop table ${sql.table(partition.name)}`.execute(tx);
    return 'dropped';
  });
}

/** How long partition changes wait for a table lock before giving up until the next round. */
const LOCK_TIMEOUT = '5s';

/** A lock not granted within lock_timeout (PostgreSQL's lock_not_available). */
const isLockTimeout = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';

/** Whether any row of `partition` matches `where` (used to keep a month still holding live rows). */
export async function partitionHolds(tx: Executor, partition: MonthPartition, where: RawBuilder<unknown>): Promise<boolean> {
  const row = await sql<{ found: boolean }>`select exists (select 1 from ${sql.table(partition.name)} where ${where}) as found`.execute(tx);
  return row.rows[0]?.found === true;
}

/** The months (UTC) of rows sitting in the default partition: each gets its own partition next. */
export async function monthsInDefault(db: Executor, table: PartitionedTable): Promise<Date[]> {
  const rows = await sql<{ month: Date }>`
    select distinct date_trunc('month', created_at at time zone 'UTC') at time zone 'UTC' as month
    from ${sql.table(`${table}_default`)}`.execute(db);
  return rows.rows.map((r) => new Date(r.month));
}

export interface MonthlyUpkeep {
  /** Months kept whole before the current one; a partition ending before that is dropped. */
  keepMonths: number;
  /** Months created ahead of the current one, so inserts land in a partition of their own. */
  ahead: number;
  /** Asked before each drop, with the table locked against writes; false keeps the partition. */
  mayDrop?: (tx: Executor, partition: MonthPartition) => Promise<boolean>;
}

/**
 * One round of upkeep: partitions for the current month and `ahead` more, and for any month the
 * default partition holds rows of; then every partition that ended before the retention cutoff
 * (the start of the month `keepMonths` before the current one) is dropped, unless `mayDrop` says no.
 */
export async function upkeepMonthly(
  db: Db,
  table: PartitionedTable,
  now: Date,
  upkeep: MonthlyUpkeep,
): Promise<{ created: string[]; dropped: string[]; kept: string[]; busy: string[] }> {
  const created: string[] = [];
  const busy: string[] = [];
  const months = [...(await monthsInDefault(db, table)), ...Array.from({ length: upkeep.ahead + 1 }, (_, n) => monthStart(now, n))];
  for (const month of months) {
    try {
      if (await ensureMonthPartition(db, table, month)) created.push(partitionName(table, month));
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      busy.push(partitionName(table, month));
    }
  }
  const cutoff = monthStart(now, -upkeep.keepMonths);
  const dropped: string[] = [];
  const kept: string[] = [];
  for (const partition of await monthPartitions(db, table)) {
    if (partition.to.getTime() > cutoff.getTime()) break;
    try {
      const outcome = await dropMonthPartition(db, table, partition, upkeep.mayDrop);
      if (outcome === 'dropped') dropped.push(partition.name);
      else if (outcome === 'refused') kept.push(partition.name);
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      busy.push(partition.name);
    }
  }
  return { created, dropped, kept, busy };
}
