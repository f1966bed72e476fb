// A software WebAuthn authenticator and client for tests that run without a browser: it makes
// P-256 (ES256) discoverable credentials and answers ceremonies in exactly the shapes a browser
// sends (the JSON of @simplewebauthn/browser: clientDataJSON, a CBOR attestation object of format
// "none", authenticator data with the RP ID hash, flags and counter, a DER ECDSA signature over
// authenticatorData ‖ SHA-256(clientDataJSON)). The server verifies it with the real library, as
// it verifies Chromium's virtual authenticator in the browser journeys.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

const b64url = (bytes: Uint8Array | Buffer | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface SoftCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** The page's origin as the client reports it (a phishing site's would differ). */
  origin: string;
  /** Whether the person unlocked the authenticator (user verification). */
  userVerified = true;
  /** Whether the counter goes up at each use (false: a synced passkey, whose counter stays 0). */
  counts = true;

  constructor(origin: string) {
    this.origin = origin;
  }

  /** navigator.credentials.create(): a new discoverable credential for the options' RP and user. */
  create(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    const rpId = options.rp.id!;
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const credentialId = randomBytes(16);
    const counter = this.counts ? 1 : 0;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([this.#head(rpId, FLAG_AT, counter), Buffer.alloc(16), idLength, credentialId, Buffer.from(cose)]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, number>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, number>()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.#clientData('webauthn.create', options.challenge);
    this.credentials.push({ id: b64url(credentialId), rpId, userHandle: options.user.id, privateKey, counter });
    return {
      id: b64url(credentialId),
      rawId: b64url(credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * navigator.credentials.get(): an assertion by `credential` (default: the first allowed one, or
   * the first discoverable one for the RP when the options name none).
   */
  get(options: PublicKeyCredentialRequestOptionsJSON, credential?: SoftCredential): AuthenticationResponseJSON {
    const rpId = options.rpId!;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const chosen = credential ?? this.credentials.find((c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id)));
    if (!chosen) throw new Error('NotAllowedError: no credential for this site');
    if (this.counts) chosen.counter += 1;
    const authData = this.#head(rpId, 0, chosen.counter);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), chosen.privateKey);
    return {
      id: chosen.id,
      rawId: chosen.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: chosen.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #head(rpId: string, extraFlags: number, counter: number): Buffer {
    const flags = Buffer.of(FLAG_UP | (this.userVerified ? FLAG_UV : 0) | extraFlags);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), flags, count]);
  }

  #clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }
}
