// Adding a passkey (WebAuthn registration): options for the browser, then its answer verified and
// kept. Passkeys here are discoverable credentials (resident keys) with user verification
// required, so one alone signs the person in and counts as two factors (something held, unlocked
// by something known or of the body). No attestation is asked for: which maker's device it is
// does not decide anything here, and asking makes browsers show an extra prompt.
// Adding is audited and told to the account's proved contacts, in the transaction that adds it.
import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { AppError } from '../lib/errors.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { describeDevice } from '../lib/user-agent.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { PasskeyDeps } from './deps.ts';
import { CHALLENGE_TTL_MS, issueChallenge, takeChallenge } from './challenges.ts';
import { passkeyName } from './names.ts';
import { passkeyAdded, provedContactsOf } from './notices.ts';
import { parseRegistrationResponse } from './responses.ts';
import * as q from './queries.ts';

/** Passkeys one account may hold: enough for every device a person has, not a store for strangers. */
export const MAX_PASSKEYS = 10;

/**
 * The WebAuthn user handle of an account: opaque (a keyed hash of the account id, so no account id
 * or contact is stored on devices) and the same for every passkey of the account.
 */
export const userHandleOf = (deps: Pick<PasskeyDeps, 'key'>, accountId: string) => new Uint8Array(hmacSha256(deps.key, `user:${accountId}`));

async function accountFor(deps: PasskeyDeps, accountId: string) {
  const account = await q.accountForCeremony(deps.db, accountId);
  if (!account || account.state === 'suspended' || account.state === 'deregistered' || account.state === 'pending_activation')
    throw new AppError('error.unauthenticated', { status: 401 });
  return account;
}

/** Options for the browser's navigator.credentials.create(); the name is checked first so a bad one is said before the prompt. */
export async function registrationOptions(
  deps: PasskeyDeps,
  accountId: string,
  browser: string,
  nameInput: string | undefined,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  passkeyName(nameInput);
  await deps.limits.consume('passkeyRegistrationsPerAccount', accountId);
  const account = await accountFor(deps, accountId);
  const existing = await q.listForAccount(deps.db, accountId);
  if (existing.length >= MAX_PASSKEYS) throw new AppError('passkeys.too_many', { params: { max: MAX_PASSKEYS }, status: 409 });
  const username = (account.registered_via === 'phone' ? account.phone : account.email) ?? account.phone ?? account.email ?? '';
  const challenge = await issueChallenge(deps, deps.db, { purpose: 'register', browser, accountId });
  return generateRegistrationOptions({
    rpName: deps.rp.name,
    rpID: deps.rp.id,
    userName: username,
    userDisplayName: username,
    userID: userHandleOf(deps, accountId),
    challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    // The account's passkeys already on a device: that device is not asked to make a second one.
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
}

export interface AddedPasskey {
  id: string;
  name: string;
}

/** Verifies the browser's answer and keeps the passkey under `name`. */
export async function addPasskey(
  deps: PasskeyDeps,
  accountId: string,
  browser: string,
  input: { name: string | undefined; credential: string | undefined },
  meta: RequestMeta,
): Promise<AddedPasskey> {
  const name = passkeyName(input.name);
  const response = parseRegistrationResponse(input.credential);
  // Taken in its own statement, before anything is verified: a failed answer still uses it up.
  const challenge = await takeChallenge(deps, deps.db, response.response.clientDataJSON, { purpose: 'register', browser, accountId });
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      requireUserVerification: true,
    });
  } catch {
    throw new AppError('passkeys.not_verified', { status: 400 });
  }
  if (!verified.verified) throw new AppError('passkeys.not_verified', { status: 400 });
  const info = verified.registrationInfo;
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (tx) => {
    // Under the account's row lock: two additions at once cannot pass the limit together.
    const account = await q.accountForCeremonyForUpdate(tx, accountId);
    if (!account || !['active', 'needs_verification'].includes(account.state)) throw new AppError('error.unauthenticated', { status: 401 });
    if ((await q.countForAccount(tx, accountId)) >= MAX_PASSKEYS) throw new AppError('passkeys.too_many', { params: { max: MAX_PASSKEYS }, status: 409 });
    if (await q.credentialExists(tx, info.credential.id)) throw new AppError('passkeys.already_added', { status: 409 });
    const passkeyId = await q.insertPasskey(tx, {
      accountId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      name,
      now,
    });
    await recordAudit(tx, {
      action: 'passkey.added',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { passkeyId, name, device: describeDevice(meta.userAgent) },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContactsOf(account), passkeyAdded(name, now));
    return passkeyId;
  });
  deps.outbox.nudge();
  return { id, name };
}
