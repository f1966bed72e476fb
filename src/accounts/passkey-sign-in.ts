// Signing in with a passkey: passkeys/ verifies the browser's answer (signature, user
// verification, challenge, the account's state) and names the account; the sign-in then ends as
// every method does (sign-in-completion.ts), its session remembering the method ('passkey': amr
// hwk + user, a multi-factor sign-in).
import type { RequestMeta } from '../http/request-meta.ts';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { verifySignIn } from '../passkeys/authentication.ts';
import type { AccountDeps } from './deps.ts';
import { completeSignIn, type SignedIn } from './sign-in-completion.ts';

export async function signInWithPasskey(
  deps: AccountDeps,
  passkeys: PasskeyDeps,
  browser: string,
  credential: string | undefined,
  meta: RequestMeta,
): Promise<SignedIn> {
  const { accountId } = await verifySignIn(passkeys, browser, credential, meta);
  return completeSignIn(deps, accountId, meta, 'passkey');
}
