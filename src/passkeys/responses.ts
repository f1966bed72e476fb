// The browser's answer to a ceremony, as @simplewebauthn/browser gives it (JSON in a form field):
// checked for shape and size before the library reads it, so malformed input gets a message.
import { z } from 'zod';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AppError } from '../lib/errors.ts';

/** Far above any real response (a few hundred bytes to a few KB with attestation certificates). */
const MAX_RESPONSE_CHARS = 16_000;
const b64url = z
  .string()
  .min(1)
  .max(MAX_RESPONSE_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/);

const common = {
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

const registration = z.object({
  ...common,
  response: z.object({ clientDataJSON: b64url, attestationObject: b64url, transports: z.array(z.string().max(32)).max(10).optional() }),
});

const authentication = z.object({
  ...common,
  response: z.object({ clientDataJSON: b64url, authenticatorData: b64url, signature: b64url, userHandle: b64url.optional() }),
});

function parse<S extends z.ZodType>(schema: S, text: string | undefined): z.infer<S> {
  if (!text) throw new AppError('passkeys.no_response', { status: 400 });
  if (text.length > MAX_RESPONSE_CHARS) throw new AppError('passkeys.invalid_response', { status: 400 });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('passkeys.invalid_response', { status: 400 });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new AppError('passkeys.invalid_response', { status: 400 });
  return result.data;
}

export const parseRegistrationResponse = (text: string | undefined) => parse(registration, text) as RegistrationResponseJSON;
export const parseAuthenticationResponse = (text: string | undefined) => parse(authentication, text) as AuthenticationResponseJSON;
