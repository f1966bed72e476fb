// Where a message tells the person to contact customer service (联系客服 / contact support), the
// configured ways to reach it follow in brackets: the phone alone in an SMS (it stays short), every
// configured way in an email. Nothing changes when none is configured.
import type { SupportContacts } from '../../config.ts';
import type { NewMessage } from '../queries.ts';

export function withSupportContacts(message: NewMessage, support: SupportContacts): NewMessage {
  if ((message.channel !== 'sms' && message.channel !== 'email') || (!support.phone && !support.email)) return message;
  const sms = message.channel === 'sms';
  const zh = sms
    ? support.phone
      ? `电话 ${support.phone}`
      : `邮箱 ${support.email}`
    : [support.phone && `电话 ${support.phone}`, support.email && `邮箱 ${support.email}`, support.hours].filter(Boolean).join('，');
  const en = [support.phone && `phone ${support.phone}`, support.email && `email ${support.email}`, support.hours].filter(Boolean).join(', ');
  const withContacts = (text: string) => text.replace('联系客服', `联系客服（${zh}）`).replace('contact support', `contact support (${en})`);
  const body = withContacts(message.body);
  if (body === message.body) return message;
  // A notice's sentence is also the gateway template's variable (sms/templates.ts): it says the same.
  const content = message.templateParams?.content;
  return { ...message, body, ...(content ? { templateParams: { ...message.templateParams, content: withContacts(content) } } : {}) };
}
