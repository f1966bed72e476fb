// SQL for enterprise accounts and their look-up requests.
import type { Executor } from '../db/client.ts';
import type { EnterpriseRequestsTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';

/**
 * Sign-ups for this credit code never activated in time (created before `createdBefore`, with no
 * activation link still valid at `now`), locked: an activation racing the void waits or wins.
 */
export async function lapsedSignUps(db: Executor, creditCode: string, createdBefore: Date, now: Date) {
  return (
    db
      .selectFrom('enterprises')
      .innerJoin('accounts', 'accounts.id', 'enterprises.account_id')
      .select(['accounts.id', 'accounts.email'])
      .where('enterprises.credit_code', '=', creditCode)
      .where('accounts.state', '=', 'pending_activation')
      .where('accounts.created_at', '<', createdBefore)
      // A link sent again and still valid keeps the sign-up alive.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('link_tokens')
              .select('link_tokens.id')
              .whereRef('link_tokens.account_id', '=', 'accounts.id')
              .where('link_tokens.consumed_at', 'is', null)
              .where('link_tokens.expires_at', '>', now),
          ),
        ),
      )
      .forUpdate()
      .execute()
  );
}

export async function insertEnterprise(
  db: Executor,
  row: { accountId: string; name: string; creditCode: string; contactName: string; now: Date },
): Promise<void> {
  await db
    .insertInto('enterprises')
    .values({ account_id: row.accountId, name: row.name, credit_code: row.creditCode, contact_name: row.contactName, created_at: row.now })
    .execute();
}

export async function deleteEnterprise(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('enterprises').where('account_id', '=', accountId).execute();
}

export async function insertRequest(db: Executor, row: Insertable<EnterpriseRequestsTable>): Promise<void> {
  await db.insertInto('enterprise_requests').values(row).execute();
}
