// How an account is named and reached: its username as its owner and as anyone else sees it,
// and which of its contacts are proved (and so may be told about changes to it). Pure functions
// over an account row.
import { maskContact } from '../lib/mask.ts';
import type { ProvedContacts } from '../notifications/notify-contacts.ts';

type Named = { registered_via: 'phone' | 'email'; phone: string | null; email: string | null };
type Reachable = { phone: string | null; email: string | null; phone_verified_at: Date | null; email_verified_at: Date | null };

/** The username: the phone or address the account registered with. */
export function displayUsername(account: Named): string {
  return (account.registered_via === 'phone' ? account.phone : account.email) ?? '';
}

/** The username as shown to anyone but its owner (186****1234, ab***@example.com). */
export function maskedUsername(account: Named): string {
  return maskContact(account.registered_via, displayUsername(account));
}

/** The contacts a notice about the account may go to: whoever holds them learns of a change they did not make. */
export function provedContacts(account: Reachable): ProvedContacts {
  return { phone: account.phone && account.phone_verified_at ? account.phone : null, email: account.email && account.email_verified_at ? account.email : null };
}
