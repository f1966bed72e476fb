// 途径3 大学同班同学协助: the claimant names a university classmate (name and username) and the
// school. The claimed identity itself must have a student-status or degree record at that school
// (the record's name and ID number are the claimant's), and so must the classmate, who is verified
// (real name bound, account active), on the same level with overlapping years of study
// (study-years.ts); the two are not the same person and share no phone or email. The request
// waits 7 days in the classmate's inbox; 是我的同学 counts a confirmation, and once enough have
// confirmed (configurable, default 1) the case enters its notice period (notice-period.ts) instead
// of passing at once. One person may vouch only a few times a year.
import { DAY } from '../lib/clock.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { accountByUsername, parseUsername } from '../accounts/usernames.ts';
import { findById } from '../accounts/queries.ts';
import { normalizeName } from '../identity/names.ts';
import type { Inbox, InboxKind, SentRequest } from '../inbox/service.ts';
import { acceptedFrom, countAccepted as countAcceptedRequests } from '../inbox/queries.ts';
import { recordsOfPersonAt } from '../records/queries.ts';
import { studiedTogether, studySpan, type StudyRecord } from './study-years.ts';
import { hasReversedResolution } from './queries.ts';
import { classmateCaseRejectedFor } from './hold-queries.ts';
import { openCaseOf, startNoticePeriod, vouchesCountFrom } from './notice-period.ts';
import { schoolDisplay, schoolKey } from '../records/normalize.ts';
import type { Message } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import { maskedUsername } from '../accounts/account-view.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';

export const CLASSMATE_VOUCH = 'classmate_vouch';
export const VOUCH_TTL_MS = 7 * DAY;

export interface VouchSettings {
  /** Confirmations needed before the path passes. */
  confirmations: number;
  /** Vouches one person may give in 365 days. */
  perYear: number;
  /** How long the current holders may object before a vouched case passes. */
  noticeMs: number;
}

interface Payload {
  requesterName: string;
  school: string;
  /** For the classmate to recognise the person (requests sent before these fields lack them). */
  contact?: string;
  years?: string;
}

/** The claimant's years of study at the school that overlap the classmate's ("2014–2018"). */
function sharedYears(claimant: readonly StudyRecord[], classmate: readonly StudyRecord[]): string | undefined {
  const record = claimant.find((x) => studiedTogether([x], classmate));
  const span = record && studySpan(record);
  return span && `${span.from}–${span.to}`;
}

export interface VouchRequest {
  classmateName: string;
  classmateUsername: string;
  school: string;
}

/** The request's fields filled in (reads nothing): a route may run it beside its other checks. */
export function checkVouchFields(input: VouchRequest): void {
  const fields: Record<string, Message> = {};
  if (!normalizeName(input.classmateName)) fields.classmateName = { code: 'name.required' };
  if (!input.classmateUsername.trim()) fields.classmateUsername = { code: 'login.username_required' };
  if (!schoolKey(input.school)) fields.school = { code: 'records.school_required' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

export async function requestVouch(deps: AccountDeps, inbox: Inbox, accountId: string, input: VouchRequest, meta: RequestMeta): Promise<void> {
  checkVouchFields(input);

  const claimant = await findById(deps.db, accountId);
  const identity = await identityIndexOf(deps.db, accountId);
  if (claimant?.state !== 'needs_verification' || !identity) throw new AppError('resolution.not_needed', { status: 409 });
  if ((await inbox.latestSentBy(accountId, CLASSMATE_VOUCH))?.state === 'pending') throw new AppError('vouch.pending', { status: 409 });
  if (await openCaseOf(deps, accountId)) throw new AppError('vouch.case_open', { status: 409 });
  // After support reversed this claimant's verification, classmates are not asked to vouch again.
  if (await hasReversedResolution(deps.db, accountId, Buffer.from(identity.id_index))) throw new AppError('resolution.staff_only', { status: 409 });
  // Once staff have turned down classmates' vouches for this number, no one (this claimant, a
  // new account, the same or other classmates) starts another notice period for it: else a
  // rejected claim could be tried again and again until a holder misses one window.
  if (await classmateCaseRejectedFor(deps.db, Buffer.from(identity.id_index))) throw new AppError('resolution.classmate_closed', { status: 409 });
  await deps.limits.consume('classmateRequestsPerAccount', accountId);

  // One answer whatever failed (unknown username, other name, not verified, no record, no shared
  // years): the form must not tell who is registered, where anyone studied, or whether the
  // identity being claimed has a record there.
  const school = schoolKey(input.school);
  const claimantRecords = (await recordsOfPersonAt(deps.db, Buffer.from(identity.id_index), school)).filter((r) => r.name === identity.name);
  const classmate = await accountByUsername(deps, parseUsername(input.classmateUsername));
  const classmateIdentity = classmate ? await identityIndexOf(deps.db, classmate.id) : undefined;
  const classmateRecords = classmateIdentity
    ? (await recordsOfPersonAt(deps.db, Buffer.from(classmateIdentity.id_index), school)).filter((r) => r.name === classmateIdentity.name)
    : [];
  const sharesContact = (a: { phone: string | null; email: string | null }, b: { phone: string | null; email: string | null }) =>
    (a.phone !== null && a.phone === b.phone) || (a.email !== null && a.email === b.email);
  const eligible =
    classmate &&
    classmateIdentity &&
    classmate.id !== accountId &&
    classmate.state === 'active' &&
    classmate.realname_bound_at &&
    !Buffer.from(classmateIdentity.id_index).equals(Buffer.from(identity.id_index)) &&
    classmateIdentity.name === normalizeName(input.classmateName) &&
    !sharesContact(classmate, claimant) &&
    studiedTogether(claimantRecords, classmateRecords);
  if (!eligible) throw new AppError('vouch.not_found', { status: 404 });

  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const payload: Payload = {
      requesterName: identity.name,
      school: schoolDisplay(input.school),
      contact: maskedUsername(claimant),
      ...(sharedYears(claimantRecords, classmateRecords) ? { years: sharedYears(claimantRecords, classmateRecords)! } : {}),
    };
    const itemId = await inbox.send(tx, {
      recipientId: classmate.id,
      senderId: accountId,
      kind: CLASSMATE_VOUCH,
      payload: { ...payload },
      ttlMs: VOUCH_TTL_MS,
    });
    await recordAudit(tx, {
      action: 'resolution.vouch_requested',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { itemId },
      at: now,
    });
  });
}

/** Vouches accepted so far, given by or to an account. */
const countAccepted = (db: Executor, where: { senderId?: string; recipientId?: string }, since?: Date) =>
  countAcceptedRequests(db, CLASSMATE_VOUCH, where, since);

/** Where the claimant's latest vouching request stands. */
export type VouchState = SentRequest['state'];

/** The claimant's vouching progress, for the page. */
export async function vouchProgress(deps: AccountDeps, inbox: Inbox, settings: VouchSettings, accountId: string) {
  const latest = await inbox.latestSentBy(accountId, CLASSMATE_VOUCH);
  const since = await vouchesCountFrom(deps, accountId);
  return {
    confirmed: await countAccepted(deps.db, { senderId: accountId }, since),
    needed: settings.confirmations,
    latestState: latest?.state,
    openCase: await openCaseOf(deps, accountId),
  };
}

/** Accepting: counts toward the claimant's confirmations, and passes the path when enough. */
export function classmateVouchKind(deps: AccountDeps, settings: VouchSettings): InboxKind {
  return {
    kind: CLASSMATE_VOUCH,
    describe(item) {
      const payload = item.payload as Payload;
      return {
        key: payload.contact && payload.years ? 'inbox.classmate_vouch_detail' : 'inbox.classmate_vouch',
        params: { name: payload.requesterName, school: payload.school, contact: payload.contact ?? '', years: payload.years ?? '' },
        accept: 'vouch.accept',
        decline: 'vouch.decline',
      };
    },
    async onAccept(tx, item) {
      const voucherId = item.recipient_account_id;
      const yearAgo = new Date(deps.clock.now().getTime() - 365 * DAY);
      if ((await countAccepted(tx, { recipientId: voucherId }, yearAgo)) >= settings.perYear) {
        throw new AppError('vouch.yearly_limit', { status: 409, params: { max: settings.perYear } });
      }
      await lockClaimOfAccount(tx, item.sender_account_id!);
      const claimant = await lockAccount(tx, item.sender_account_id!);
      // The one who asked left or no longer needs it: nothing is recorded, and the confirmation is
      // not spent from the classmate's year.
      if (claimant?.state !== 'needs_verification') throw new AppError('vouch.not_needed', { status: 409 });
      await recordAudit(tx, {
        action: 'resolution.vouched',
        actor: { kind: 'account', id: voucherId },
        accountId: item.sender_account_id,
        detail: { itemId: item.id },
        at: deps.clock.now(),
      });
      // This confirmation is not marked accepted yet: it is the one more. Confirmations given
      // before staff turned a case down no longer count.
      const since = await vouchesCountFrom({ db: tx }, claimant.id);
      const confirmed = (await countAccepted(tx, { senderId: claimant.id }, since)) + 1;
      const identity = await identityIndexOf(tx, claimant.id);
      if (identity && confirmed >= settings.confirmations) await startNoticePeriod(tx, deps, claimant.id, Buffer.from(identity.id_index), settings.noticeMs);
    },
  };
}

/** The confirmations that count toward the claimant's case: who gave them, for which school, and when. */
export async function vouchesFor(deps: Pick<AccountDeps, 'db'>, claimantId: string) {
  const since = await vouchesCountFrom(deps, claimantId);
  return (await acceptedFrom(deps.db, CLASSMATE_VOUCH, claimantId, since)).map((row) => ({
    accountId: row.account_id,
    username: maskedUsername(row),
    name: row.name ?? '',
    school: (row.payload as unknown as Payload).school,
    at: row.decided_at,
  }));
}
