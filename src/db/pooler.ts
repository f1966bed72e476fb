// Through a transaction pooler (DATABASE_POOLER=transaction) the service cannot give its own
// connections the server-side timeouts (client.ts says why), and setting them per transaction
// would cost a round trip on every one. They belong to the database role instead, which every
// server connection the pooler opens starts with:
//   ALTER ROLE tongxing SET statement_timeout = '10s';
//   ALTER ROLE tongxing SET idle_in_transaction_session_timeout = '30s';
// (ALTER DATABASE … SET does as well.) Longer limits than these hold a stuck request's server
// connection longer; PostgreSQL's default of none holds it until the client gives up on it.
// A start through the pooler reads what its server connections really have and says what is
// missing. A warning, not a refusal: the service works without them, but a stuck request then
// holds its server connection (one of the pooler's few) until the client-side query timeout, and
// a transaction a request left open keeps it and its row locks with nothing on the server to end it.
import { sql } from 'kysely';
import { POSTGRES_TIMEOUTS, type Db } from './client.ts';

interface Wanted {
  setting: 'statement_timeout' | 'idle_in_transaction_session_timeout';
  ms: number;
}

const WANTED: Wanted[] = [
  { setting: 'statement_timeout', ms: POSTGRES_TIMEOUTS.statementMs },
  { setting: 'idle_in_transaction_session_timeout', ms: POSTGRES_TIMEOUTS.idleInTransactionMs },
];

/** What the role lacks, one line each with the statement that sets it; empty when both are in place. */
export async function roleTimeoutWarnings(db: Db): Promise<string[]> {
  const { rows } = await sql<{ role: string; statement_timeout: string; idle_in_transaction_session_timeout: string }>`
    select current_user as role,
      (select setting from pg_settings where name = 'statement_timeout') as statement_timeout,
      (select setting from pg_settings where name = 'idle_in_transaction_session_timeout') as idle_in_transaction_session_timeout
  `.execute(db);
  const row = rows[0]!;
  const warnings: string[] = [];
  for (const { setting, ms } of WANTED) {
    // pg_settings gives both in milliseconds; 0 is "no limit".
    const now = Number(row[setting]);
    if (now > 0 && now <= ms) continue;
    warnings.push(
      `DATABASE_POOLER=transaction: ${setting} is ${now > 0 ? `${now} ms` : 'off'} for role ${row.role}, so the server does not end what a stuck request holds; ` +
        `set it on the role: ALTER ROLE ${quoteIdent(row.role)} SET ${setting} = '${ms / 1000}s';`,
    );
  }
  return warnings;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
