// Parses a form or JSON body with a zod schema whose messages are i18n keys, into either the
// data or one error per field.
import type { z } from 'zod';
import { ValidationError } from '../lib/errors.ts';
import { isMessageKey } from '../i18n/index.ts';
import type { Message } from '../i18n/index.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, Message> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_');
    // Zod's own messages (wrong type, e.g. an array where text was expected) become a generic key.
    fields[field] ??= { code: isMessageKey(issue.message) ? issue.message : 'error.bad_request' };
  }
  throw new ValidationError(fields);
}

/** Text fields from a urlencoded body: anything that is not a single string is dropped. */
export function formBody(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}
