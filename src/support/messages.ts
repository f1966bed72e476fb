// What a person receives when staff answer their support request. A person with an account is
// told to read the answer there (the text stays behind their sign-in); someone who filed without
// signing in has only this message, so it carries the answer itself.
import type { NewMessage } from '../notifications/queries.ts';
import type { ProvedContacts } from '../notifications/notify-contacts.ts';

/** An SMS stays a few segments long; the email carries the whole answer. */
const SMS_TEXT_CHARS = 300;

export function replyMessages(to: ProvedContacts, reply: { reference: string; text: string; withText: boolean; closed: boolean }): NewMessage[] {
  const { reference } = reply;
  const closedZh = reply.closed ? '，工单已关闭' : '';
  const closedEn = reply.closed ? ' and closed it' : '';
  const clip = (text: string) => ([...text].length > SMS_TEXT_CHARS ? `${[...text].slice(0, SMS_TEXT_CHARS).join('')}…` : text);
  const zh = (text: string) =>
    reply.withText
      ? `【通行】客服已回复您的工单 ${reference}${closedZh}：${text} 如需补充，请再次提交工单并注明此编号。`
      : `【通行】客服已回复您的工单 ${reference}${closedZh}。请登录通行，在“客服工单”中查看。`;
  const en = reply.withText
    ? `Support answered your request ${reference}${closedEn}: ${reply.text} To add something, file a new request quoting this reference.`
    : `Support answered your request ${reference}${closedEn}. Sign in to Tongxing and open “Support requests” to read it.`;
  const messages: NewMessage[] = [];
  if (to.phone) messages.push({ channel: 'sms', recipient: to.phone, body: zh(clip(reply.text)), templateParams: { reference } });
  if (to.email)
    messages.push({
      channel: 'email',
      recipient: to.email,
      subject: `客服工单 ${reference} 有新回复 / Support request ${reference} answered`,
      body: `${zh(reply.text)}\n\n—\n${en}`,
    });
  return messages;
}
