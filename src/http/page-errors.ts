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

/** 换一张 without JavaScript: the form again as typed, with another picture and a word that it changed. */
export const CAPTCHA_REFRESHED: FormFailure = { status: 200, errors: { captcha: { code: 'captcha.refreshed', params: {} } }, formError: undefined };

/** One message for a page with several small forms (the console's action panels): the first there is. */
export function firstFailureCode(error: unknown): MessageKey {
  const f = formFailure(error);
  return f.formError?.code ?? Object.values(f.errors)[0]?.code ?? 'validation.failed';
}
