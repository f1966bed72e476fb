// The inbox and its requests.
import type { inbox as zh } from '../zh-CN/inbox.ts';

export const inbox: Record<keyof typeof zh, string> = {
  'inbox.title': 'Inbox',
  'inbox.icon': 'Inbox, {count} waiting',
  'inbox.open': 'Open',
  'inbox.empty': 'Your inbox is empty.',
  'inbox.accept': 'Confirm',
  'inbox.decline': 'Decline',
  'inbox.accepted': 'Confirmed',
  'inbox.declined': 'Declined',
  'inbox.expired': 'This request has expired',
  'inbox.pending_until': 'Answer by {date}',
  'inbox.not_found': 'No such message.',
  'inbox.already_decided': 'This request has already been answered.',
  'inbox.done_accept': 'Confirmed. Thank you!',
  'inbox.done_decline': 'Request declined.',
  'inbox.classmate_binding':
    'Your classmate {name} (mobile {phone}) asks you to confirm their real-name binding. Confirming completes it for their account, as if they had proved a mobile number of their own. Confirm only if they really are your classmate.',
};
