// Whether an account is party to a case still open, as a SQL condition other queries add: while it
// is, what the case may need stays (the evidence's retention, the deregistered account's erasure).
import { sql, type RawBuilder } from 'kysely';

/**
 * True while someone deregistered over `account`'s ID number disputes it (a pending appeal, with
 * or without the resolution it names): what support decides may give the number back, so the
 * account that holds it now keeps it, and its evidence, until then.
 */
export function numberUnderDispute(account: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from deregistration_disputes d
    join identities disputer on disputer.account_id = d.account_id
    where d.state = 'pending' and d.account_id <> ${account}
      and disputer.id_index = (select i.id_index from identities i where i.account_id = ${account}))`;
}

/**
 * True when `account` (a column or a uuid value) is party to no open case: no dispute of its
 * deregistration pending, none by another over the number it holds, no 途径3 notice period open
 * that it claims, objected to, or that is about the number it holds.
 */
export function noOpenCase(account: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(not exists (select 1 from deregistration_disputes d where d.account_id = ${account} and d.state = 'pending')
    and not ${numberUnderDispute(account)}
    and not exists (select 1 from resolution_holds h where h.state in ('waiting', 'objected')
      and (h.claimant_account_id = ${account} or h.objected_by = ${account}
        or h.id_index = (select i.id_index from identities i where i.account_id = ${account}))))`;
}

/** The same for one account's id. */
export const noOpenCaseFor = (accountId: string) => noOpenCase(sql`${accountId}::uuid`);
