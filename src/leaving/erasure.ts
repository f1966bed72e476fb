// After DEREGISTERED_RETENTION_DAYS, a deregistered account's personal information is erased,
// whatever deregistered it (the person's own request, a resolution, support's wrong-number or
// enterprise case, a lapsed sign-up). Each owner erases its own part, in one transaction per
// account, under the number's claim and the account's lock (the order of accounts/lifecycle.ts):
//   accounts/   the password hash, the released phone and email, the record of used addresses,
//               how the real name was bound;
//   identity/   the name, the sealed number, its mask, the verifier's answer; the blind index
//               replaced by random bytes. A claim still naming the account is let go as support's
//               wrong-number case lets it go: free when nobody else holds the number, else theirs;
//   resolution/ the number's blind index in the resolutions, 途径3 cases and 途径4 tries that name
//               the account (the same random bytes as the identity's, so no row links the freed
//               number to it); the ID photos; liveness results, pending or finished; what its
//               disputes said (words, contact, IP) and its objections to others' cases;
//   sessions/   the IP and browser of each session;
//   mfa/        the authenticator secret, recovery codes, the passkey second factor, sign-ins halfway;
//   passkeys/   the passkeys (keys, names, devices) and their challenges;
//   social/     the WeChat / Alipay bindings (subject, display name) and flows naming the account;
//   support/    the words and images of every message of its support requests, the reply channel;
//   inbox/      requests it sent, in other people's inboxes, stop naming it (name and masked contact blanked);
//   enterprise/ the contact person named for an enterprise account, and the contact details and
//               address of the look-up requests settled for it (the letter stays: what support acted on);
//   privacy-export/ every copy of the account's data (下载个人信息);
//   consent/    the address each consent was given from (what was agreed, and when, stays as proof);
//   audit/      the IP of each event, and detail fields describing the person (device, passkey
//               names, masked contacts bound or changed, a dispute's contact, the masked address
//               support sent a reset link to, the liveness provider's words).
// What stays is what happened: the account row and its state, account events, audit events with
// their actions, times and actors, the resolutions, reviews, disputes and holds with their
// decisions, support requests' reference, category, state and times, inbox items with their
// answers (they count for other people's cases), second-factor removal dates, the platforms the
// account used (platform_usages), an enterprise's name, credit code and stamped letter, and the
// schools' imported student records (the schools', not the account's). Outside the account's rows,
// and so not reached here: outbox messages (dropped by OUTBOX_RETENTION_MONTHS, their text scrubbed
// once sent or given up in production) and support requests filed without signing in (no account
// to match them by).
// An account party to an open case (a dispute of its deregistration, a 途径3 notice period) waits
// until the case is closed. Marked by accounts.personal_data_erased_at, so it runs once per account
// (two nodes: the second finds it done).
import { randomBytes } from 'node:crypto';
import { forgetAddressesOf, forgetDetailsOf, recordAudit } from '../audit/audit.ts';
import { erasePersonalData, lockAccount, lockOtherHolders } from '../accounts/lifecycle.ts';
import { findClaim, lockClaimOfAccount, settleWrongNumber } from '../identity/claims.ts';
import { eraseIdentityOf } from '../identity/service.ts';
import { forgetSessionDevices } from '../sessions/service.ts';
import { deleteFactorsOf } from '../mfa/queries.ts';
import { deletePasskeysOf } from '../passkeys/queries.ts';
import { forgetSenderOf } from '../inbox/queries.ts';
import { deleteBindingsOf } from '../social/queries.ts';
import { erasePhotoFilesOf } from '../resolution/queries.ts';
import { eraseLivenessOf, forgetNumberOf, forgetWordsOf, inOpenCase } from '../resolution/erasure-queries.ts';
import { eraseRequestsOf } from '../support/queries.ts';
import { forgetContactsOf } from '../enterprise/queries.ts';
import { deleteExportsOf } from '../privacy-export/queries.ts';
import { forgetConsentAddresses } from '../consent/service.ts';
import type { Executor } from '../db/client.ts';
import type { LeavingDeps } from './deps.ts';
import * as q from './queries.ts';

/** Erases one account's personal information; false when it was not due, is waiting for an open case, or was erased already. */
export async function eraseAccount(deps: LeavingDeps, accountId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const index = await lockClaimOfAccount(tx, accountId);
    const account = await lockAccount(tx, accountId);
    const now = deps.clock.now();
    if (!account || account.state !== 'deregistered') return false;
    if (await inOpenCase(tx, accountId)) return false;
    if (!(await erasePersonalData(tx, accountId, now))) return false;
    const replacement = randomBytes(32);
    const claim = index ? await letClaimGo(tx, index, accountId, now) : false;
    const identity = await eraseIdentityOf(tx, deps.identity, accountId, replacement);
    const numberRows = index ? await forgetNumberOf(tx, accountId, index, replacement) : 0;
    const sessions = await forgetSessionDevices(tx, accountId);
    const photos = await erasePhotoFilesOf(tx, accountId, now);
    const liveness = await eraseLivenessOf(tx, accountId, now);
    const { disputes, objections } = await forgetWordsOf(tx, accountId);
    const secondFactor = await deleteFactorsOf(tx, accountId);
    const passkeys = await deletePasskeysOf(tx, accountId);
    const socialBindings = await deleteBindingsOf(tx, accountId);
    const supportMessages = await eraseRequestsOf(tx, accountId);
    const inboxItems = await forgetSenderOf(tx, accountId);
    const enterpriseRequests = await forgetContactsOf(tx, accountId);
    const exports = await deleteExportsOf(tx, accountId);
    const consents = await forgetConsentAddresses(tx, accountId);
    await forgetAddressesOf(tx, accountId);
    await forgetDetailsOf(tx, accountId);
    await recordAudit(tx, {
      action: 'leaving.erased',
      actor: { kind: 'system' },
      accountId,
      detail: {
        identity,
        claim,
        numberRows,
        sessions,
        photos,
        liveness,
        disputes,
        objections,
        secondFactor,
        passkeys,
        socialBindings,
        supportMessages,
        inboxItems,
        enterpriseRequests,
        exports,
        consents,
      },
      at: now,
    });
    return true;
  });
}

/**
 * A claim naming the account (one deregistered without its number being settled) is let go as
 * support's wrong-number case lets it go: the number is free when nobody else holds it, else the
 * holders'. A claim in someone else's name is theirs and untouched. Answers whether one was let go.
 */
async function letClaimGo(tx: Executor, index: Buffer, accountId: string, now: Date): Promise<boolean> {
  const claim = await findClaim(tx, index);
  if (claim?.owner_account_id !== accountId) return false;
  const remaining = await lockOtherHolders(tx, index, accountId);
  await settleWrongNumber(tx, index, claim, accountId, remaining, now);
  return true;
}

/** The timer's task: every deregistered account whose retention period is over. Answers how many were erased. */
export async function eraseDueAccounts(deps: LeavingDeps, limit = 100): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - deps.leaving.retentionMs);
  let erased = 0;
  const failures: unknown[] = [];
  for (const due of await q.dueForErasure(deps.db, before, limit)) {
    try {
      if (await eraseAccount(deps, due.id)) erased++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} account(s) could not be erased`);
  return erased;
}
