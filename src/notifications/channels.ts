// Delivery channels. Email goes over SMTP with nodemailer; SMS through an SmsSender. Without
// SMTP_URL (development) email is only kept in the dev outbox, like the dev SMS sender does.
import type { Transporter } from 'nodemailer';
import type { SmsSender } from './sms/sender.ts';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  templateParams: Record<string, string> | null;
}

export interface Channels {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

export function createChannels(options: { smtpUrl: string | undefined; mailFrom: string; sms: SmsSender }): Channels {
  // nodemailer is loaded on the first email, and only when SMTP is configured.
  let transporter: Promise<Transporter> | undefined;
  const mailer = () =>
    (transporter ??= import('nodemailer').then((m) => m.default.createTransport(options.smtpUrl!)));
  return {
    async send(message) {
      if (message.channel === 'sms') {
        await options.sms.send({ to: message.recipient, text: message.body, templateParams: message.templateParams ?? {} });
        return;
      }
      if (!options.smtpUrl) return; // development without SMTP: the dev outbox is the mailbox
      await (await mailer()).sendMail({
        from: options.mailFrom,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
        ...(message.html ? { html: message.html } : {}),
      });
    },
    close() {
      void transporter?.then((t) => t.close());
    },
  };
}

/** Development SMS: the message stays in the outbox (GET /dev/outbox) and goes nowhere else. */
export const devSmsSender: SmsSender = {
  name: 'dev',
  async send() {},
};
