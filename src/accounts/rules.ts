// Input rules for accounts: phone numbers, email addresses, passwords. Pure functions; each
// failure is an i18n key so the person reads why in their language.
import { z } from 'zod';
import { commonPasswords } from './common-passwords.ts';
import type { MessageKey } from '../i18n/index.ts';

/** Mainland mobile numbers: 11 digits, 1[3-9]xxxxxxxxx. Spaces, dashes and +86 are forgiven. */
export function normalizePhone(input: string): string {
  let digits = toHalfWidth(input).replace(/[\s-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  return digits;
}

export const isMainlandMobile = (phone: string) => /^1[3-9]\d{9}$/.test(phone);

export function normalizeEmail(input: string): string {
  return toHalfWidth(input).trim().toLowerCase();
}

/** Deliberately plain: one @, a dot in the domain, no spaces, at most 254 characters (RFC 5321). */
export const isEmail = (email: string) =>
  email.length <= 254 && /^[^\s@"<>()[\]\\,;:]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(email);

export const PASSWORD_MIN = 8;
/** ASVS asks that at least 64 be accepted; 128 bounds the hashing work per request. */
export const PASSWORD_MAX = 128;

/** Returns the i18n key of the first rule the password breaks, or undefined. */
export function passwordProblem(password: string, username: string | undefined): MessageKey | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'password.too_short';
  if (length > PASSWORD_MAX) return 'password.too_long';
  const lower = password.toLowerCase();
  if (username && lower === username.toLowerCase()) return 'password.equals_username';
  if (commonPasswords.has(lower)) return 'password.too_common';
  return undefined;
}

function toHalfWidth(value: string): string {
  // Full-width forms typed on Chinese keyboards (０-９, ＠, ．) become their ASCII twins.
  return value.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Zod pieces shared by the page forms and the JSON API. Messages are i18n keys. */
export const phoneField = z
  .string({ error: 'phone.required' })
  .transform(normalizePhone)
  .refine((v) => v.length > 0, { error: 'phone.required' })
  .refine(isMainlandMobile, { error: 'phone.invalid' });

export const emailField = z
  .string({ error: 'email.required' })
  .transform(normalizeEmail)
  .refine((v) => v.length > 0, { error: 'email.required' })
  .refine(isEmail, { error: 'email.invalid' });

export const optionalEmailField = z
  .string()
  .optional()
  .transform((v) => (v ? normalizeEmail(v) : undefined))
  .refine((v) => v === undefined || isEmail(v), { error: 'email.invalid' });

export const codeField = z
  .string({ error: 'code.required' })
  .transform((v) => toHalfWidth(v).trim())
  .refine((v) => v.length > 0, { error: 'code.required' })
  .refine((v) => /^\d{6}$/.test(v), { error: 'code.format' });

export const passwordField = z.string({ error: 'password.required' }).min(1, { error: 'password.required' });
