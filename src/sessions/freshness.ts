// Sensitive settings (changing the phone or email that recover the account, saving real-name
// information) need the password typed within the last few minutes, so a session left open on a
// shared computer cannot take the account over.
import { AppError } from '../lib/errors.ts';
import { MINUTE, type Clock } from '../lib/clock.ts';
import type { CurrentSession } from './service.ts';

export const FRESH_SIGN_IN_MS = 10 * MINUTE;

export function isFresh(deps: { clock: Clock }, session: Pick<CurrentSession, 'authenticatedAt'>): boolean {
  return deps.clock.now().getTime() - session.authenticatedAt.getTime() < FRESH_SIGN_IN_MS;
}

export function assertFresh(deps: { clock: Clock }, session: Pick<CurrentSession, 'authenticatedAt'>): void {
  if (!isFresh(deps, session)) throw new AppError('settings.reauth_required', { status: 401 });
}
