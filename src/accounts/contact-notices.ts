// Notices about changes to an account, sent to the contacts it had: whoever holds the phone or
// mailbox learns of a change they did not make, even when the change replaced that contact.
import type { Executor } from '../db/client.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { accountNotice } from '../notifications/templates.ts';
import type { Outbox } from '../notifications/outbox.ts';

export interface ProvedContacts {
  phone: string | null;
  email: string | null;
}

export function provedContacts(account: { phone: string | null; email: string | null; phone_verified_at: Date | null; email_verified_at: Date | null }): ProvedContacts {
  return {
    phone: account.phone && account.phone_verified_at ? account.phone : null,
    email: account.email && account.email_verified_at ? account.email : null,
  };
}

/** Sends the notice to every proved contact in the list (each at most once). */
export async function notifyContacts(tx: Executor, outbox: Outbox, contacts: ProvedContacts, text: { zh: string; en: string }): Promise<void> {
  if (contacts.phone) await outbox.enqueue(tx, accountNotice('sms', contacts.phone, text));
  if (contacts.email) await outbox.enqueue(tx, accountNotice('email', contacts.email, text));
}

export const noticeTime = (at: Date) => ({ zh: `${formatBeijing(at)}（北京时间）`, en: `${formatBeijing(at, 'en')} (Beijing time)` });
