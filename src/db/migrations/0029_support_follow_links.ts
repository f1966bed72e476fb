// Someone who filed a support request without signing in reads staff's answers by a link: the
// answer SMS carries it (an approved SMS template cannot carry the answer itself). The link's
// token is stored hashed; each answer issues a new one and the previous stops working.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table support_requests add column follow_token_hash bytea;
    alter table support_requests add column follow_expires_at timestamptz;
    create unique index support_requests_follow on support_requests (follow_token_hash) where follow_token_hash is not null;
    `,
  );
}
