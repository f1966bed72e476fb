// Classmate-assisted binding (seed 004 五): a person who cannot receive codes names a classmate
// (name and phone) and gives their own phone; the classmate, who has completed phone binding,
// finds the request in their inbox and confirms or declines it within 7 days.
import { DAY } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { maskPhone } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Clock } from '../lib/clock.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { findByPhone } from '../accounts/queries.ts';
import type { SessionAccount } from '../sessions/service.ts';
import type { Inbox, InboxKind } from '../inbox/service.ts';
import { normalizeName } from '../identity/names.ts';
import * as q from '../identity/queries.ts';
import { bindRealName } from '../accounts/real-name.ts';
import type { RequestMeta } from '../http/request-meta.ts';

export const CLASSMATE_BINDING = 'classmate_binding';
export const CLASSMATE_REQUEST_TTL_MS = 7 * DAY;

export interface ClassmateRequest {
  classmateName: string;
  classmatePhone: string;
  ownPhone: string;
}

interface Payload {
  requesterName: string;
  ownPhoneMasked: string;
}

export async function requestClassmateBinding(deps: AccountDeps, inbox: Inbox, account: SessionAccount, input: ClassmateRequest, meta: RequestMeta) {
  if (!account.identity) throw new AppError('binding.identity_first', { status: 409 });
  if (account.state === 'needs_verification') throw new AppError('binding.resolve_first', { status: 409 });
  if (account.realnameBoundAt) throw new AppError('binding.already_bound', { status: 409 });
  const pending = await inbox.latestSentBy(account.id, CLASSMATE_BINDING);
  if (pending?.state === 'pending') throw new AppError('classmate.pending', { status: 409 });
  await deps.limits.consume('classmateRequestsPerAccount', account.id);

  // One answer whatever failed (unknown phone, unbound account, other name): no one learns who
  // holds a number from this form.
  const classmate = await findByPhone(deps.db, input.classmatePhone);
  const identity = classmate ? await q.findIdentity(deps.db, classmate.id) : undefined;
  const eligible =
    classmate &&
    identity &&
    classmate.id !== account.id &&
    classmate.state === 'active' &&
    classmate.phone_verified_at &&
    classmate.realname_bound_at &&
    identity.name === normalizeName(input.classmateName);
  if (!eligible) throw new AppError('classmate.not_found', { status: 404 });

  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const payload: Payload = { requesterName: account.identity!.name, ownPhoneMasked: maskPhone(input.ownPhone) };
    const itemId = await inbox.send(tx, {
      recipientId: classmate.id,
      senderId: account.id,
      kind: CLASSMATE_BINDING,
      payload: { ...payload },
      ttlMs: CLASSMATE_REQUEST_TTL_MS,
    });
    await recordAudit(tx, {
      action: 'identity.classmate_requested',
      actor: { kind: 'account', id: account.id },
      accountId: account.id,
      ip: meta.ip,
      detail: { itemId },
      at: now,
    });
  });
}

/** What accepting a classmate-binding request does: the requester's real name is bound. */
export function classmateBindingKind(clock: Clock): InboxKind {
  return {
    kind: CLASSMATE_BINDING,
    describe(item) {
      const payload = item.payload as Payload;
      return { key: 'inbox.classmate_binding', params: { name: payload.requesterName, phone: payload.ownPhoneMasked } };
    },
    async onAccept(tx, item) {
      const now = clock.now();
      await bindRealName(tx, item.sender_account_id!, 'classmate', now);
      await recordAudit(tx, {
        action: 'identity.bound_by_classmate',
        actor: { kind: 'account', id: item.recipient_account_id },
        accountId: item.sender_account_id,
        detail: { itemId: item.id },
        at: now,
      });
    },
  };
}
