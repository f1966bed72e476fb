// The claim on the ID number an account's identity holds: who owns it and whether it is disputed.
import type { Db } from '../../src/db/client.ts';

export const claimOfAccount = (db: Db, accountId: string) =>
  db
    .selectFrom('identities')
    .innerJoin('id_claims', 'id_claims.id_index', 'identities.id_index')
    .select(['id_claims.state', 'id_claims.owner_account_id'])
    .where('identities.account_id', '=', accountId)
    .executeTakeFirstOrThrow();
