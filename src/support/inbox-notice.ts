// Staff answered a request: a notice in the person's inbox, beside the SMS or email. An account
// with no proved phone or email hears of the answer only here (and on the request's own page).
import type { Executor } from '../db/client.ts';
import type { Inbox, InboxKind } from '../inbox/service.ts';

export const SUPPORT_REPLY_NOTICE = 'support.replied';

interface Payload {
  reference: string;
  closed: boolean;
}

export const supportReplyKind: InboxKind = {
  kind: SUPPORT_REPLY_NOTICE,
  describe(item) {
    const payload = item.payload as Payload;
    return {
      key: payload.closed ? 'support.inbox_replied_closed' : 'support.inbox_replied',
      params: { reference: payload.reference },
      href: `/account/support/${encodeURIComponent(payload.reference)}`,
      link: 'support.inbox_read',
    };
  },
};

export function sendReplyNotice(inbox: Pick<Inbox, 'send'>, tx: Executor, accountId: string, payload: Payload): Promise<string> {
  return inbox.send(tx, { recipientId: accountId, senderId: null, kind: SUPPORT_REPLY_NOTICE, payload: { ...payload }, ttlMs: null });
}
