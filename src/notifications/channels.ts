// Delivery channels. Email goes over SMTP with nodemailer; SMS through an SmsSender. Without
// SMTP_URL (development) email is only kept in the dev outbox, like the dev SMS sender does.
import type { Transporter } from 'nodemailer';
import type { SmsSender } from './sms/sender.ts';
import type { OutboxChannel } from '../db/schema.ts';

export interface OutgoingMessage {
  channel: OutboxChannel;
  recipient: string;
  platformId: string | null;
  subject: string | null;
  body: string;
  html: string | null;
  templateParams: Record<string, string> | null;
}

/** Delivery to platforms (webhooks, back-channel logout), provided by the single sign-on module. */
export interface PlatformDelivery {
  webhook(platformId: string, url: string, body: string): Promise<void>;
  backchannelLogout(platformId: string, sub: string): Promise<void>;
  /** CAS single logout: the LogoutRequest POSTed as the form field logoutRequest to the service URL. */
  casLogout(platformId: string, serviceUrl: string, logoutRequest: string): Promise<void>;
}

export interface Channels {
  /** Resolves once the relay took the message; `signal` is the worker's deadline, on which the send is aborted. */
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export function createChannels(options: {
  smtpUrl: string | undefined;
  mailFrom: string;
  sms: SmsSender;
  platforms?: () => PlatformDelivery | undefined;
}): Channels {
  // nodemailer is loaded on the first email, and only when SMTP is configured.
  let transporter: Promise<Transporter> | undefined;
  // Each phase has its own limit (a relay that never greets fails in 10 s and is tried again), but
  // a relay slow on every command stays within them all: the worker's deadline (worker.ts) bounds
  // the whole send, and nodemailer closes the connection when it aborts.
  const mailer = () =>
    (transporter ??= import('nodemailer').then((m) =>
      m.default.createTransport({ url: options.smtpUrl!, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never),
    ));
  return {
    async send(message, signal) {
      if (message.channel === 'webhook' || message.channel === 'backchannel_logout' || message.channel === 'cas_logout') {
        const platforms = options.platforms?.();
        if (!platforms || !message.platformId) throw new Error('no platform delivery configured');
        if (message.channel === 'webhook') await platforms.webhook(message.platformId, message.recipient, message.body);
        else if (message.channel === 'cas_logout') await platforms.casLogout(message.platformId, message.recipient, message.body);
        else await platforms.backchannelLogout(message.platformId, message.recipient);
        return;
      }
      if (message.channel === 'sms') {
        await options.sms.send({ to: message.recipient, text: message.body, templateParams: message.templateParams ?? {} }, signal);
        return;
      }
      if (!options.smtpUrl) return; // development without SMTP: the dev outbox is the mailbox
      await (
        await mailer()
      ).sendMail({
        from: options.mailFrom,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
        ...(message.html ? { html: message.html } : {}),
        ...(signal ? { signal } : {}),
      });
    },
    close() {
      void transporter?.then((t) => t.close());
    },
  };
}

/** Development SMS: the message stays in the outbox (GET /dev/outbox) and goes nowhere else. */
export const devSmsSender: SmsSender = { name: 'dev', async send() {} };
