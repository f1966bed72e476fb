// SQL of the records import: where checked rows go. PostgreSQL gets them through COPY into a
// that stops part-way keeps what it acknowledged and a re-run simply repeats it (rows are keyed
// by kind + school + number: a re-import updates them, never duplicates them).
//  - PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT into the real one.
//  - PGlite: multi-row INSERT … ON CONFLICT in batches.
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import type { RecordRow } from './record-row.ts';

export interface RecordSink {
  write(rows: RecordRow[], importedAt: Date): Promise<void>;
  close(): Promise<void>;
}

const UPSERT_SET = `school = excluded.school, level = excluded.level, year = excluded.year, name = excluded.name,
  id_index = excluded.id_index, imported_at = excluded.imported_at, imported_by = excluded.imported_by`;

/** COPY text format: tab-separated, backslash escapes, bytea as \\x hex. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const copyField = (value: string) =>
  NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;

export async function postgresCopySink(databaseUrl: string): Promise<RecordSink> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    async write(rows, importedAt) {
      const at = importedAt.toISOString();
      let text = '';
      for (const r of lastPerKey(rows)) {
        text += `${r.kind}\t${copyField(r.schoolKey)}\t${copyField(r.number)}\t${copyField(r.school)}\t${r.level}\t${r.year}\t${copyField(r.name)}\t\\\\x${r.idIndex.toString('hex')}\t${at}\n`;
      }
      await client.query('begin');
      try {
        // The staging table lives and dies with this transaction: through a transaction pooler
        // (DATABASE_POOLER=transaction) the next chunk may run on another server session, where
        // a session's temporary table would not be.
        await client.query(`create temporary table records_staging (
          kind text, school_key text, number text, school text, level text, year smallint, name text, id_index bytea, imported_at timestamptz
        ) on commit drop`);
        await pipeline(Readable.from([text]), client.query(copyFrom('copy records_staging from stdin')));
        await client.query(`insert into student_records (kind, school_key, number, school, level, year, name, id_index, imported_at)
          select kind, school_key, number, school, level, year, name, id_index, imported_at from records_staging
          on conflict (kind, school_key, number) do update set ${UPSERT_SET}`);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** A number repeated within one chunk keeps its last line, as a later file would. */
function lastPerKey(rows: RecordRow[]): Iterable<RecordRow> {
  const unique = new Map<string, RecordRow>();
  for (const r of rows) unique.set(`${r.kind}\0${r.schoolKey}\0${r.number}`, r);
  return unique.size === rows.length ? rows : unique.values();
}

/** `importedBy`: the staff member uploading in the console (an operator's CLI import leaves it empty). */
export function batchSink(db: Db, options: { batchSize?: number; importedBy?: string } = {}): RecordSink {
  const batchSize = options.batchSize ?? 500;
  return {
    async write(rows, importedAt) {
      const all = [...lastPerKey(rows)];
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < all.length; i += batchSize) {
          await tx
            .insertInto('student_records')
            .values(
              all
                .slice(i, i + batchSize)
                .map((r) => ({
                  kind: r.kind,
                  school_key: r.schoolKey,
                  number: r.number,
                  school: r.school,
                  level: r.level,
                  year: r.year,
                  name: r.name,
                  id_index: r.idIndex,
                  imported_at: importedAt,
                  imported_by: options.importedBy ?? null,
                })),
            )
            .onConflict((oc) =>
              oc
                .columns(['kind', 'school_key', 'number'])
                .doUpdateSet((eb) => ({
                  school: eb.ref('excluded.school'),
                  level: eb.ref('excluded.level'),
                  year: eb.ref('excluded.year'),
                  name: eb.ref('excluded.name'),
                  id_index: eb.ref('excluded.id_index'),
                  imported_at: eb.ref('excluded.imported_at'),
                  imported_by: eb.ref('excluded.imported_by'),
                })),
            )
            .execute();
        }
      });
    },
    async close() {},
  };
}
