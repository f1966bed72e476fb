// Registration forms may carry the real-name fields; they are checked before the account is
// created so a wrong number changes nothing.
import { parseInput } from '../http/forms.ts';
import { ValidationError } from '../lib/errors.ts';
import { identityInput } from '../identity/input.ts';
import { checkIdentity, identityFieldProblems, type CheckedIdentity } from '../identity/service.ts';
import type { IdType } from '../identity/id-numbers/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';

export async function checkedIdentityFrom(deps: AccountDeps, body: unknown): Promise<CheckedIdentity> {
  const input = parseInput(identityInput, body);
  return checkIdentity(deps.identity, { ...input, idType: input.idType as IdType });
}

/**
 * The real-name fields' form rules, all at once (for allFieldChecks beside the rest of the form):
 * reads nothing, asks no registry, so it may run before the form's other checks.
 */
export function checkIdentityFields(deps: Pick<AccountDeps, 'clock'>, body: unknown): void {
  const input = parseInput(identityInput, body);
  const problems = identityFieldProblems({ ...input, idType: input.idType as IdType }, deps.clock.now());
  if (problems.name || problems.idNumber)
    throw new ValidationError({
      ...(problems.name ? { name: { code: problems.name } } : {}),
      ...(problems.idNumber ? { idNumber: { code: problems.idNumber } } : {}),
    });
}
