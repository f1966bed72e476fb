// The inbox: items addressed to one person, sent by another or by the system. A request
// (state pending) is accepted or declined once, by its recipient, before it expires; what
// accepting does belongs to the module that sent it, through the kind's handler.
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import * as q from './queries.ts';
import type { MessageKey } from '../i18n/index.ts';

export type InboxItem = Awaited<ReturnType<typeof q.listForRecipient>>[number];
/** A request someone sent, as its sender follows it (a notice is never a request). */
export type SentRequest = InboxItem & { state: Exclude<InboxItem['state'], 'notice'> };

export interface InboxKind {
  kind: string;
  /**
   * The i18n key and values the recipient reads, the buttons' words when not the usual ones, and
   * where a notice leads (its own page, e.g. a support request).
   */
  describe(item: InboxItem): { key: MessageKey; params: Record<string, string>; accept?: MessageKey; decline?: MessageKey; href?: string; link?: MessageKey };
  /** Runs in the transaction that records the decision; absent for a kind that only sends notices. */
  onAccept?(tx: Executor, item: InboxItem): Promise<void>;
  onDecline?(tx: Executor, item: InboxItem): Promise<void>;
}

export interface Inbox {
  kinds: ReadonlyMap<string, InboxKind>;
  send(
    tx: Executor,
    item: { recipientId: string; senderId: string | null; kind: string; payload: Record<string, unknown>; ttlMs: number | null },
  ): Promise<string>;
  list(accountId: string): Promise<InboxItem[]>;
  /** Marks every item read; returns the header's new count (requests still open). */
  markRead(accountId: string): Promise<number>;
  decide(accountId: string, itemId: string, decision: 'accept' | 'decline', ip: string): Promise<InboxItem>;
  latestSentBy(senderId: string, kind: string): Promise<SentRequest | undefined>;
}

/**
 * 'expired' is derived from the expiry when an item is read, never written by a sweep: reads stay
 * reads, and no request updates other people's items.
 */
function withExpiry(item: InboxItem, now: Date): InboxItem {
  return item.state === 'pending' && item.expires_at && item.expires_at.getTime() <= now.getTime() ? { ...item, state: 'expired' } : item;
}

export function createInbox(deps: { db: Db; clock: Clock }, kinds: InboxKind[]): Inbox {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    kinds: byKind,
    send(tx, item) {
      const now = deps.clock.now();
      return q.insertItem(tx, {
        recipientId: item.recipientId,
        senderId: item.senderId,
        kind: item.kind,
        payload: item.payload,
        state: item.ttlMs === null ? 'notice' : 'pending',
        now,
        expiresAt: item.ttlMs === null ? null : new Date(now.getTime() + item.ttlMs),
      });
    },
    async list(accountId) {
      const now = deps.clock.now();
      return (await q.listForRecipient(deps.db, accountId)).map((item) => withExpiry(item, now));
    },
    markRead: (accountId) => deps.db.transaction().execute((tx) => q.markAllRead(tx, accountId, deps.clock.now())),
    async decide(accountId, itemId, decision, ip) {
      const decided = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock.now();
        const locked = await q.findForRecipientForUpdate(tx, itemId, accountId);
        if (!locked) throw new AppError('inbox.not_found', { status: 404 });
        const item = withExpiry(locked, now);
        if (item.state === 'expired') throw new AppError('inbox.expired', { status: 409 });
        if (item.state !== 'pending') throw new AppError('inbox.already_decided', { status: 409 });
        const handler = byKind.get(item.kind);
        if (!handler?.onAccept) throw new AppError('inbox.not_found', { status: 404 });
        if (decision === 'accept') await handler.onAccept(tx, item);
        else await handler.onDecline?.(tx, item);
        await q.decide(tx, item.id, decision === 'accept' ? 'accepted' : 'declined', now);
        await recordAudit(tx, {
          action: decision === 'accept' ? 'inbox.accepted' : 'inbox.declined',
          actor: { kind: 'account', id: accountId },
          accountId,
          ip,
          detail: { kind: item.kind, itemId: item.id, sender: item.sender_account_id },
          at: now,
        });
        return { ...item, state: decision === 'accept' ? ('accepted' as const) : ('declined' as const) };
      });
      // After the decision commits, outside its locks: the header's count of open requests.
      await q.recountOpen(deps.db, accountId, deps.clock.now());
      return decided;
    },
    async latestSentBy(senderId, kind) {
      const item = await q.latestSentBy(deps.db, senderId, kind);
      if (!item) return undefined;
      const seen = withExpiry(item, deps.clock.now());
      return seen.state === 'notice' ? undefined : { ...seen, state: seen.state };
    },
  };
}
