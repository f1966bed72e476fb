// Domain errors carry a message key (e.g. 'register.phone_taken') and the values its message
// needs. Services throw them; the HTTP layer turns the key into text in the person's language.
import type { MessageKey, MessageParams } from '../i18n/index.ts';

export type { MessageKey, MessageParams };

export class AppError extends Error {
  readonly code: MessageKey;
  readonly params: MessageParams;
  /** HTTP status the API answers with; pages re-render their form instead. */
  readonly status: number;
  /** Which form field the message belongs to, when it belongs to one. */
  readonly field: string | undefined;
  constructor(code: MessageKey, options: { params?: MessageParams; status?: number; field?: string } = {}) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.params = options.params ?? {};
    this.status = options.status ?? 400;
    this.field = options.field;
  }
}

/** 操作过于频繁，操作被禁止 — with the seconds until the person may try again. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('rate.limited', { params: { wait: seconds }, status: 429 });
    this.retryAfterSeconds = seconds;
  }
}

/** A form or body failed validation; one message per field. */
export class ValidationError extends AppError {
  readonly fields: Record<string, { code: MessageKey; params: MessageParams }>;
  constructor(fields: Record<string, { code: MessageKey; params?: MessageParams }>) {
    super('validation.failed', { status: 400 });
    this.fields = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { code: v.code, params: v.params ?? {} }]));
  }
}
