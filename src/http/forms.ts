// Parses a form or JSON body with a zod schema whose messages are i18n keys, into either the
// data or one error per field.
import type { z } from 'zod';
import { AppError, ValidationError } from '../lib/errors.ts';
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

/**
 * Runs a form's side-effect-free checks together (its schema, the real-name fields' rules …) so one
 * submission shows every field's error, not one per try: each check's field errors are merged
 * (the first per field wins) into one ValidationError. A check's error that names no field is
 * thrown as it is, after the checks before it. Only for checks that read nothing and change
 * nothing: limits, codes and anything that could tell whether an account exists stay where the
 * service runs them.
 */
export function allFieldChecks<T extends unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const fields: Record<string, Message> = {};
  const results: unknown[] = [];
  for (const check of checks) {
    try {
      results.push(check());
    } catch (error) {
      if (error instanceof ValidationError) for (const [field, message] of Object.entries(error.fields)) fields[field] ??= message;
      else if (error instanceof AppError && error.field) fields[error.field] ??= { code: error.code, params: error.params };
      else throw error;
      results.push(undefined);
    }
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return results as T;
}
