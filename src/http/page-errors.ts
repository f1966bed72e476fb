// Turns a service error into what a form page shows: messages beside fields, or one at the top.
import { AppError, ValidationError } from '../lib/errors.ts';
import type { FieldErrors } from '../views/components.tsx';
import type { Message, MessageKey } from '../i18n/index.ts';

export interface FormFailure {
  status: number;
  errors: FieldErrors;
  formError: Message | undefined;
}

export function formFailure(error: unknown): FormFailure {
  if (error instanceof ValidationError) return { status: 400, errors: error.fields, formError: undefined };
  if (error instanceof AppError) {
    if (error.field) return { status: error.status, errors: { [error.field]: { code: error.code, params: error.params } }, formError: undefined };
    return { status: error.status, errors: {}, formError: { code: error.code, params: error.params } };
  }
  throw error;
}

/**
 * The SMS or email code a refused form shows again: kept while the refusal was not about it (the
 * code is still good, so the person need not fetch or retype it), dropped once it was wrong,
 * expired or used up.
 */
export const keptCode = (code: string | undefined, failure: Pick<FormFailure, 'errors'>): string | undefined => (failure.errors.code ? undefined : code);

/** 换一张 without JavaScript: the form again as typed, with another picture and a word that it changed. */
export const CAPTCHA_REFRESHED: FormFailure = { status: 200, errors: { captcha: { code: 'captcha.refreshed', params: {} } }, formError: undefined };

/** One message for a page with several small forms (the console's action panels): the first there is. */
export function firstFailureCode(error: unknown): MessageKey {
  const f = formFailure(error);
  return f.formError?.code ?? Object.values(f.errors)[0]?.code ?? 'validation.failed';
}
