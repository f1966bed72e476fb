// What a person receives when staff answer their support request. A person with an account is
// told to read the answer there (the text stays behind their sign-in). Someone who filed without
// signing in gets a link to read it (`followLink`); an email also carries the answer itself, an
// SMS only the link, since a gateway's approved template cannot carry free text.
import type { NewMessage } from '../notifications/queries.ts';
import type { ProvedContacts } from '../notifications/notify-contacts.ts';
import { sms } from '../notifications/sms/templates.ts';

export function replyMessages(to: ProvedContacts, reply: { reference: string; text: string; followLink: string | undefined; closed: boolean }): NewMessage[] {
  const { reference, followLink } = reply;
  const closedZh = reply.closed ? '，工单已关闭' : '';
  const closedEn = reply.closed ? ' and closed it' : '';
  const readZh = followLink ? `请打开 ${followLink} 查看（30 天内有效）。` : '请登录通行，在“客服工单”中查看。';
  const readEn = followLink ? `Read it at ${followLink} (valid for 30 days).` : 'Sign in to Tongxing and open “Support requests” to read it.';
  const messages: NewMessage[] = [];
  if (to.phone) {
    const body = `【通行】客服已回复您的工单 ${reference}${closedZh}。${readZh}`;
    messages.push(followLink ? sms(to.phone, body, 'support_follow', { reference, link: followLink }) : sms(to.phone, body, 'support_reply', { reference }));
  }
  if (to.email) {
    const zh = followLink
      ? `【通行】客服已回复您的工单 ${reference}${closedZh}：\n\n${reply.text}\n\n${readZh}如需补充，请再次提交工单并注明此编号。`
      : `【通行】客服已回复您的工单 ${reference}${closedZh}。${readZh}`;
    const en = followLink
      ? `Support answered your request ${reference}${closedEn}:\n\n${reply.text}\n\n${readEn} To add something, file a new request quoting this reference.`
      : `Support answered your request ${reference}${closedEn}. ${readEn}`;
    messages.push({
      channel: 'email',
      recipient: to.email,
      subject: `客服工单 ${reference} 有新回复 / Support request ${reference} answered`,
      body: `${zh}\n\n—\n${en}`,
    });
  }
  return messages;
}
