// The real-name fields as forms and the API send them.
import { z } from 'zod';
import { isIdType } from './id-numbers/index.ts';
import { isTicked, sensitiveAgreeField } from '../consent/input.ts';

export const identityInput = z.object({
  name: z.string({ error: 'name.required' }).max(200, { error: 'name.too_long' }),
  idType: z.string({ error: 'id.type_invalid' }).refine(isIdType, { error: 'id.type_invalid' }),
  idNumber: z.string({ error: 'id.required' }).max(256, { error: 'id.resident.length' }),
  reRegister: z
    .union([z.boolean(), z.literal('1'), z.literal('on'), z.literal('true')])
    .optional()
    .transform(isTicked),
  /** The separate consent to processing the ID number (PIPL art. 29), beside the fields. */
  agreeSensitive: sensitiveAgreeField,
});

export type IdentityFormInput = z.infer<typeof identityInput>;

/** True when a registration form carries any real-name field (they are optional there). */
export const hasIdentityFields = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  ['name', 'idNumber'].some((k) => {
    const value = (body as Record<string, unknown>)[k];
    return typeof value === 'string' && value.trim() !== '';
  });
