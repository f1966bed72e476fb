// Registration forms may carry the real-name fields; they are checked before the account is
// created so a wrong number changes nothing.
import { parseInput } from '../http/forms.ts';
import { identityInput } from '../identity/input.ts';
import { checkIdentity, type CheckedIdentity } from '../identity/service.ts';
import type { IdType } from '../identity/id-numbers/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';

export async function checkedIdentityFrom(deps: AccountDeps, body: unknown): Promise<CheckedIdentity> {
  const input = parseInput(identityInput, body);
  return checkIdentity(deps.identity, { ...input, idType: input.idType as IdType });
}
