// Whether a phone number or email address may start a new registration, with the seed's prompt
// when it may not. Another account's contact is named only masked.
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { displayUsername } from '../accounts/account-view.ts';
import * as q from '../accounts/queries.ts';

export async function assertPhoneAvailable(db: Executor, phone: string): Promise<void> {
  const holder = await q.findByPhone(db, phone);
  if (!holder) return;
  if (holder.registered_via === 'phone') throw new AppError('register.phone_taken', { field: 'phone', status: 409 });
  throw new AppError('register.phone_bound', { field: 'phone', status: 409, params: { owner: maskEmail(displayUsername(holder)) } });
}

export async function assertEmailAvailable(db: Executor, email: string): Promise<void> {
  const holder = await q.findByEmail(db, email);
  if (holder) {
    if (holder.registered_via === 'phone') {
      throw new AppError('register.email_bound', { field: 'email', status: 409, params: { owner: maskPhone(displayUsername(holder)) } });
    }
    if (holder.state === 'pending_activation') throw new AppError('register.email_pending', { field: 'email', status: 409 });
    throw new AppError('register.email_taken', { field: 'email', status: 409 });
  }
  if (await q.emailHasBeenUsed(db, email)) throw new AppError('register.email_used', { field: 'email', status: 409 });
}
