// SQL for student-status and degree records.
import type { Executor } from '../db/client.ts';
import type { RecordKind } from '../db/schema.ts';

export async function findRecord(db: Executor, kind: RecordKind, schoolKey: string, number: string) {
  return db
    .selectFrom('student_records')
    .select(['kind', 'school', 'level', 'year', 'name', 'id_index'])
    .where('kind', '=', kind)
    .where('school_key', '=', schoolKey)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function countRecords(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('student_records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records by any of these blind indexes, or by school and number (the console's search). */
export async function searchRecords(db: Executor, by: { indexes: Buffer[] } | { schoolKey: string; number: string }) {
  let query = db
    .selectFrom('student_records')
    .select(['kind', 'school', 'number', 'year', 'level', 'name', 'imported_at'])
    .orderBy('kind')
    .orderBy('year')
    .limit(100);
  query = 'indexes' in by ? query.where('id_index', 'in', by.indexes) : query.where('school_key', '=', by.schoolKey).where('number', '=', by.number);
  return query.execute();
}

/** A person's records at one school (by the blind index of their number), with the name on each. */
export async function recordsOfPersonAt(db: Executor, idIndex: Buffer, schoolKey: string) {
  return db
    .selectFrom('student_records')
    .select(['kind', 'level', 'year', 'name'])
    .where('id_index', '=', idIndex)
    .where('school_key', '=', schoolKey)
    .execute();
}
