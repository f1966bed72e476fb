// Which of an account's contacts are proved, and so may be told about changes to it: whoever
// holds the phone or mailbox learns of a change they did not make, even when the change replaced
// that contact.
import type { ProvedContacts } from '../notifications/notify-contacts.ts';
import { provedContacts } from '../accounts/account-view.ts';

/** The proved contact on the other channel only (the one a new phone or address did not replace). */
export function otherChannelOf(account: Parameters<typeof provedContacts>[0], channel: 'phone' | 'email'): ProvedContacts {
  const proved = provedContacts(account);
  return channel === 'phone' ? { phone: null, email: proved.email } : { phone: proved.phone, email: null };
}
