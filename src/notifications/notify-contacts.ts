// Telling a person about their account: a notice goes to each proved contact given, once each.
import type { Executor } from '../db/client.ts';
import type { Outbox } from './outbox.ts';
import { accountNotice, type NoticeText } from './templates/notices.ts';

/** Whom to tell: a proved phone and/or address (null for none). */
export interface ProvedContacts {
  phone: string | null;
  email: string | null;
}

export async function notifyContacts(tx: Executor, outbox: Outbox, contacts: ProvedContacts, text: NoticeText): Promise<void> {
  if (contacts.phone) await outbox.enqueue(tx, accountNotice('sms', contacts.phone, text));
  if (contacts.email) await outbox.enqueue(tx, accountNotice('email', contacts.email, text));
}
