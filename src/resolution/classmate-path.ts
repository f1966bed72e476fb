// 途径3 大学同班同学协助: the claimant names a university classmate (name and username) and the
// school. The classmate must be verified (real name bound, account active) and hold a student
// record at that school. The request waits 7 days in the classmate's inbox, showing the claimant's
// name and school; 是我的同学 counts a confirmation, and once enough have confirmed (configurable,
// default 1) the resolution passes. One person may vouch only a few times a year.
import { DAY } from '../lib/clock.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { accountByUsername, parseUsername } from '../accounts/usernames.ts';
import { findById } from '../accounts/queries.ts';
import { normalizeName } from '../identity/names.ts';
import type { Inbox, InboxKind, SentRequest } from '../inbox/service.ts';
import { countAccepted as countAcceptedRequests } from '../inbox/queries.ts';
import { hasRecordAt } from '../records/queries.ts';
import { schoolDisplay, schoolKey } from '../records/normalize.ts';
import { passResolution } from './passing.ts';
import type { Message } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';

export const CLASSMATE_VOUCH = 'classmate_vouch';
export const VOUCH_TTL_MS = 7 * DAY;

export interface VouchSettings {
  /** Confirmations needed before the path passes. */
  confirmations: number;
  /** Vouches one person may give in 365 days. */
  perYear: number;
}

interface Payload {
  requesterName: string;
  school: string;
}

export interface VouchRequest {
  classmateName: string;
  classmateUsername: string;
  school: string;
}

export async function requestVouch(deps: AccountDeps, inbox: Inbox, accountId: string, input: VouchRequest, meta: RequestMeta): Promise<void> {
  const fields: Record<string, Message> = {};
  if (!normalizeName(input.classmateName)) fields.classmateName = { code: 'name.required' };
  if (!input.classmateUsername.trim()) fields.classmateUsername = { code: 'login.username_required' };
  if (!schoolKey(input.school)) fields.school = { code: 'records.school_required' };
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const claimant = await findById(deps.db, accountId);
  const identity = await identityIndexOf(deps.db, accountId);
  if (claimant?.state !== 'needs_verification' || !identity) throw new AppError('resolution.not_needed', { status: 409 });
  if ((await inbox.latestSentBy(accountId, CLASSMATE_VOUCH))?.state === 'pending') throw new AppError('vouch.pending', { status: 409 });
  await deps.limits.consume('classmateRequestsPerAccount', accountId);

  // One answer whatever failed (unknown username, other name, not verified, no record at that
  // school): the form must not tell who is registered or where anyone studied.
  const classmate = await accountByUsername(deps, parseUsername(input.classmateUsername));
  const classmateIdentity = classmate ? await identityIndexOf(deps.db, classmate.id) : undefined;
  const eligible =
    classmate &&
    classmateIdentity &&
    classmate.id !== accountId &&
    classmate.state === 'active' &&
    classmate.realname_bound_at &&
    !Buffer.from(classmateIdentity.id_index).equals(Buffer.from(identity.id_index)) &&
    classmateIdentity.name === normalizeName(input.classmateName) &&
    (await hasRecordAt(deps.db, Buffer.from(classmateIdentity.id_index), schoolKey(input.school)));
  if (!eligible) throw new AppError('vouch.not_found', { status: 404 });

  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const payload: Payload = { requesterName: identity.name, school: schoolDisplay(input.school) };
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
  return { confirmed: await countAccepted(deps.db, { senderId: accountId }), needed: settings.confirmations, latestState: latest?.state };
}

/** Accepting: counts toward the claimant's confirmations, and passes the path when enough. */
export function classmateVouchKind(deps: AccountDeps, settings: VouchSettings): InboxKind {
  return {
    kind: CLASSMATE_VOUCH,
    describe(item) {
      const payload = item.payload as Payload;
      return {
        key: 'inbox.classmate_vouch',
        params: { name: payload.requesterName, school: payload.school },
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
      await recordAudit(tx, {
        action: 'resolution.vouched',
        actor: { kind: 'account', id: voucherId },
        accountId: item.sender_account_id,
        detail: { itemId: item.id },
        at: deps.clock.now(),
      });
      if (claimant?.state !== 'needs_verification') return;
      // This confirmation is not marked accepted yet: it is the one more.
      const confirmed = (await countAccepted(tx, { senderId: claimant.id })) + 1;
      if (confirmed >= settings.confirmations) await passResolution(tx, deps, claimant.id, 'classmate', { kind: 'account', id: voucherId });
    },
  };
}
