// Runs a script of ';'-separated statements one by one: PGlite (like any extended-protocol
// client) refuses several statements in one prepared query.
import { sql, type Kysely } from 'kysely';

export async function runStatements(db: Kysely<any>, script: string): Promise<void> {
  const withoutComments = script.replace(/^\s*--.*$/gm, '');
  for (const statement of withoutComments.split(/;\s*(?:\n|$)/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
