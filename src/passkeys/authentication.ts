// Signing in with a passkey (WebAuthn authentication), and the same check restricted to one
// account for a second factor.
// - Sign-in: the options name no credential (allowCredentials empty), so the browser offers the
//   site's discoverable credentials, in its own dialog or in the username field's autofill
//   (conditional mediation); the credential the answer names finds its account.
// - Second factor (passkeyChallengeFor / verifyPasskeyFor): the options list the account's own
//   passkeys, and an answer from any other credential is refused.
// Either way user verification is required, the challenge is single use and bound to the browser
// (challenges.ts), and the signature counter must not go back (a cloned authenticator). Only
// someone whose passkey verified learns the account's state: suspended and deregistered accounts
// are refused after the signature, as the password sign-in refuses them after the password. A
// deregistered account's passkeys are kept (support may reverse a wrongful deregistration, and
// its password comes back with it) but refused here for as long as the account is not in use.
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { AppError } from '../lib/errors.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { Executor } from '../db/client.ts';
import type { PasskeyDeps } from './deps.ts';
import { CHALLENGE_TTL_MS, issueChallenge, takeChallenge, type Ceremony } from './challenges.ts';
import { parseAuthenticationResponse } from './responses.ts';
import { userHandleOf } from './registration.ts';
import * as q from './queries.ts';

/** Account states whose passkeys sign in (as with a password: needs_verification may sign in to verify). */
const SIGNING_STATES = new Set(['active', 'needs_verification']);

export interface VerifiedPasskey {
  accountId: string;
  passkeyId: string;
}

/** Options for navigator.credentials.get() at the sign-in page (the button, or autofill). */
export async function signInOptions(deps: PasskeyDeps, browser: string, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await deps.limits.consume('passkeyChallengesPerIp', meta.ip);
  const challenge = await issueChallenge(deps, deps.db, { purpose: 'sign_in', browser, accountId: null });
  return optionsFor(deps, challenge, []);
}

/** The browser's answer at the sign-in page: the account it signs in, once verified. */
export async function verifySignIn(deps: PasskeyDeps, browser: string, credential: string | undefined, meta: RequestMeta): Promise<VerifiedPasskey> {
  return verifyFor(deps, { purpose: 'sign_in', browser, accountId: null }, credential, meta);
}

/**
 * For a second factor: options listing only `accountId`'s passkeys, or undefined when it has none
 * (then a passkey cannot be its second factor). `browser` is the passkey cookie's value
 * (browser-cookie.ts, passkeyBrowser).
 */
export async function passkeyChallengeFor(
  deps: PasskeyDeps,
  accountId: string,
  browser: string,
  meta: RequestMeta,
): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const passkeys = await q.listForAccount(deps.db, accountId);
  if (passkeys.length === 0) return undefined;
  await deps.limits.consume('passkeyChallengesPerIp', meta.ip);
  const challenge = await issueChallenge(deps, deps.db, { purpose: 'second_factor', browser, accountId });
  return optionsFor(
    deps,
    challenge,
    passkeys.map((p) => ({ id: p.credential_id, transports: p.transports })),
  );
}

/** For a second factor: the answer to passkeyChallengeFor, which must come from one of `accountId`'s passkeys. */
export async function verifyPasskeyFor(
  deps: PasskeyDeps,
  accountId: string,
  browser: string,
  credential: string | undefined,
  meta: RequestMeta,
): Promise<VerifiedPasskey> {
  return verifyFor(deps, { purpose: 'second_factor', browser, accountId }, credential, meta);
}

function optionsFor(deps: PasskeyDeps, challenge: string, allowCredentials: Array<{ id: string; transports: string[] }>) {
  return generateAuthenticationOptions({
    rpID: deps.rp.id,
    challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
    allowCredentials: allowCredentials.map((c) => ({ id: c.id, transports: c.transports as never })),
  });
}

async function verifyFor(deps: PasskeyDeps, ceremony: Ceremony, credential: string | undefined, meta: RequestMeta): Promise<VerifiedPasskey> {
  // Wrong answers from one address are limited: each needs a challenge, but guessing costs nothing else.
  await deps.limits.assertAllowed('passkeyFailuresPerIp', meta.ip);
  const response = parseAuthenticationResponse(credential);
  // Taken in its own statement, before anything is verified: a failed answer still uses it up.
  const challenge = await takeChallenge(deps, deps.db, response.response.clientDataJSON, ceremony);
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const passkey = await q.findByCredentialForUpdate(tx, response.id);
      // A removed passkey, one of another account (second factor), or one never registered here.
      if (!passkey || (ceremony.accountId !== null && passkey.account_id !== ceremony.accountId)) throw new AppError('passkeys.unknown', { status: 401 });
      if (!(await assertionVerifies(deps, tx, passkey, response, challenge))) throw new FailedAssertion(passkey.account_id);
      if (!SIGNING_STATES.has(passkey.account_state)) throw new AppError('login.account_unavailable', { status: 403 });
      return { accountId: passkey.account_id, passkeyId: passkey.id };
    });
  } catch (error) {
    if (error instanceof FailedAssertion) {
      await recordAudit(deps.db, {
        action: 'passkey.sign_in_failed',
        actor: { kind: 'anonymous' },
        accountId: error.accountId,
        ip: meta.ip,
        detail: { device: describeDevice(meta.userAgent) },
        at: deps.clock.now(),
      });
    }
    if (error instanceof AppError && error.code !== 'login.account_unavailable') await deps.limits.count('passkeyFailuresPerIp', meta.ip);
    throw error;
  }
}

/** A known passkey whose signature did not verify: recorded on its account's log. */
class FailedAssertion extends AppError {
  readonly accountId: string;
  constructor(accountId: string) {
    super('passkeys.not_verified', { status: 401 });
    this.accountId = accountId;
  }
}

/** Checks the signature, origin, RP ID, user verification and counter; on success records the use (counter, last used). */
async function assertionVerifies(
  deps: PasskeyDeps,
  tx: Executor,
  passkey: q.PasskeyRow,
  response: AuthenticationResponseJSON,
  challenge: string,
): Promise<boolean> {
  // A discoverable credential names its user: it must be the account the credential belongs to.
  const handle = response.response.userHandle;
  if (handle !== undefined && !constantTimeEqual(Buffer.from(handle, 'base64url'), Buffer.from(userHandleOf(deps, passkey.account_id)))) return false;
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: Number(passkey.counter),
        transports: passkey.transports as never,
      },
      requireUserVerification: true,
    });
  } catch {
    return false;
  }
  if (!verified.verified) return false;
  await q.markUsed(tx, passkey.id, {
    counter: verified.authenticationInfo.newCounter,
    backedUp: verified.authenticationInfo.credentialBackedUp,
    at: deps.clock.now(),
  });
  return true;
}
