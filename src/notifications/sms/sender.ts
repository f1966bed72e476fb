// The one seam between Tongxing and an SMS gateway. Providers differ in signing and payload;
// the outbox worker only needs "send this text to this number, tell me if it failed".

export interface SmsMessage {
  /** Mainland mobile number, 11 digits, no country prefix. */
  to: string;
  /** Template parameters; providers that send free text use `text` instead. */
  templateParams: Record<string, string>;
  /** The full text, as the dev outbox shows it. */
  text: string;
}

export interface SmsSender {
  readonly name: string;
  /**
   * Resolves when the provider accepted the message; throws SmsSendError otherwise. `signal` is the
   * outbox's deadline: the request is aborted then, and its outcome is unknown (not retryable).
   */
  send(message: SmsMessage, signal?: AbortSignal): Promise<void>;
}

export class SmsSendError extends Error {
  /** false when retrying cannot help (bad number, rejected template): the worker gives up at once. */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'SmsSendError';
    this.retryable = retryable;
  }
}
