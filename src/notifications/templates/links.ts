// Messages that carry a link or a username: what only the owner of the channel should read.
import type { NewMessage } from '../queries.ts';
import { sms } from '../sms/templates.ts';
import { formatBeijing } from '../../lib/time-format.ts';

export function activationEmail(email: string, link: string): NewMessage {
  return {
    channel: 'email',
    recipient: email,
    subject: '通行帐号激活邮件 / Activate your Tongxing account',
    body: [
      '您好：',
      '',
      '感谢注册通行帐号。请在 1 天内打开下面的链接激活帐号：',
      link,
      '',
      '如果您没有注册过通行帐号，请忽略本邮件。',
      '',
      '—',
      'Thank you for registering a Tongxing account. Open this link within 1 day to activate it:',
      link,
      'If you did not register, ignore this email.',
    ].join('\n'),
  };
}

export function confirmEmailEmail(email: string, link: string): NewMessage {
  return {
    channel: 'email',
    recipient: email,
    subject: '确认您的通行帐号邮箱 / Confirm your email address',
    body: [
      '您好：',
      '',
      '您在注册通行帐号时填写了此邮箱。请在 1 天内打开下面的链接确认，确认后可用它登录和找回密码：',
      link,
      '',
      '如果不是您本人操作，请忽略本邮件。',
      '',
      '—',
      'This address was given when a Tongxing account was registered. Open this link within 1 day to confirm it:',
      link,
    ].join('\n'),
  };
}

export function usernameReminder(channel: 'sms' | 'email', to: string, username: string, idLogin: boolean): NewMessage {
  const zh = `【通行】您的通行帐号用户名为 ${username}${idLogin ? '，也可使用证件号码登录' : ''}。如非本人操作，请忽略。`;
  const en = `Your Tongxing username is ${username}${idLogin ? '; you can also sign in with your ID number' : ''}. If you did not ask, ignore this message.`;
  return channel === 'sms'
    ? sms(to, zh, 'username', { username })
    : { channel: 'email', recipient: to, subject: '找回通行帐号用户名 / Your Tongxing username', body: `${zh}\n\n—\n${en}` };
}

/** A reset link by SMS: sent when support starts a reset for an account whose proved contact is a phone. */
export function resetLinkSms(phone: string, link: string): NewMessage {
  return sms(phone, `【通行】客服已为您的通行帐号发起重设密码，请在 30 分钟内打开 ${link} 设置新密码。如非本人申请，请忽略。`, 'reset_link', { link });
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

/**
 * 下载个人信息: the copy is ready. The link works only signed in to the account it belongs to, so
 * a message read by someone else gives them nothing; it says so, and what to do if the person did
 * not ask.
 */
export function dataExportReady(channel: 'sms' | 'email', to: string, link: string, expiresAt: Date): NewMessage {
  const when = { zh: `${formatBeijing(expiresAt)}（北京时间）`, en: `${formatBeijing(expiresAt, 'en')} (Beijing time)` };
  const zh = `【通行】您申请的个人信息副本已准备好，请在 ${when.zh}前登录通行帐号后打开 ${link} 下载。如非本人申请，请立即修改密码并联系客服。`;
  if (channel === 'sms') return sms(to, zh, 'data_export', { link, expires: when.zh });
  return {
    channel: 'email',
    recipient: to,
    subject: '您的个人信息副本已准备好 / Your copy of your data is ready',
    body: [
      zh,
      '',
      '—',
      `The copy of your data you asked for is ready. Sign in to your Tongxing account and open ${link} before ${when.en} to download it. If you did not ask for it, change your password now and contact support.`,
    ].join('\n'),
  };
}
