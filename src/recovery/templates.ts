// The messages recovery sends. Each carries what only the owner of the channel should read.
import type { NewMessage } from '../notifications/queries.ts';
import { codeMessage } from '../notifications/templates.ts';

export const RESET_CODE = { zh: '找回密码', en: 'password reset', validity: { zh: '10 分钟', en: '10 minutes' } };

export function usernameReminder(channel: 'sms' | 'email', to: string, username: string, idLogin: boolean): NewMessage {
  const zh = `【通行】您的通行帐号用户名为 ${username}${idLogin ? '，也可使用证件号码登录' : ''}。如非本人操作，请忽略。`;
  const en = `Your Tongxing username is ${username}${idLogin ? '; you can also sign in with your ID number' : ''}. If you did not ask, ignore this message.`;
  return channel === 'sms'
    ? { channel: 'sms', recipient: to, body: zh }
    : { channel: 'email', recipient: to, subject: '找回通行帐号用户名 / Your Tongxing username', body: `${zh}\n\n—\n${en}` };
}

/** A reset link by SMS: sent when support starts a reset for an account whose proved contact is a phone. */
export function resetLinkSms(phone: string, link: string): NewMessage {
  return { channel: 'sms', recipient: phone, body: `【通行】客服已为您的通行帐号发起重设密码，请在 30 分钟内打开 ${link} 设置新密码。如非本人申请，请忽略。` };
}

export function resetCodeSms(phone: string, code: string): NewMessage {
  return codeMessage('sms', phone, code, RESET_CODE);
}

export function resetLinkEmail(email: string, link: string): NewMessage {
  return {
    channel: 'email',
    recipient: email,
    subject: '重设通行帐号密码 / Reset your Tongxing password',
    body: [
      '您好：',
      '',
      '有人（希望是您）在找回通行帐号的密码。请在 30 分钟内打开下面的链接设置新密码：',
      link,
      '',
      '如果不是您本人操作，请忽略本邮件，您的密码不会改变。',
      '',
      '—',
      'Someone (we hope you) asked to reset the password of your Tongxing account. Open this link within 30 minutes to choose a new one:',
      link,
      'If this was not you, ignore this email; your password stays as it is.',
    ].join('\n'),
  };
}
