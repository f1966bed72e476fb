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

export function provedContacts(account: {
  phone: string | null;
  email: string | null;
  phone_verified_at: Date | null;
  email_verified_at: Date | null;
}): ProvedContacts {
  return { phone: account.phone && account.phone_verified_at ? account.phone : null, email: account.email && account.email_verified_at ? account.email : null };
}

/** Sends the notice to every proved contact in the list (each at most once). */
export async function notifyContacts(
  tx: Executor,
  outbox: Outbox,
  contacts: ProvedContacts,
  text: { zh: string; en: string; ifNotYou?: boolean },
): Promise<void> {
  if (contacts.phone) await outbox.enqueue(tx, accountNotice('sms', contacts.phone, text));
  if (contacts.email) await outbox.enqueue(tx, accountNotice('email', contacts.email, text));
}

export const noticeTime = (at: Date) => ({ zh: `${formatBeijing(at)}（北京时间）`, en: `${formatBeijing(at, 'en')} (Beijing time)` });

/** The proved contact on the other channel only (the one a new phone or address did not replace). */
export function otherChannelOf(account: Parameters<typeof provedContacts>[0], channel: 'phone' | 'email'): ProvedContacts {
  const proved = provedContacts(account);
  return channel === 'phone' ? { phone: null, email: proved.email } : { phone: proved.phone, email: null };
}

/** Told to the other contact when a phone or address is added where there was none. */
export function contactAddedNotice(channel: 'phone' | 'email', masked: string, at: Date): { zh: string; en: string } {
  const when = noticeTime(at);
  return channel === 'phone'
    ? { zh: `您的通行帐号已于 ${when.zh}绑定手机号 ${masked}。`, en: `The mobile number ${masked} was bound to your Tongxing account on ${when.en}.` }
    : { zh: `您的通行帐号已于 ${when.zh}绑定邮箱 ${masked}。`, en: `The email address ${masked} was bound to your Tongxing account on ${when.en}.` };
}
