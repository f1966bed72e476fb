// The texts of the messages Tongxing sends. Chinese first, English after, in one message: the
// language a person chose on a page is not known to the worker that sends later.
import type { NewMessage } from './queries.ts';

export function registrationCodeSms(phone: string, code: string): NewMessage {
  return { channel: 'sms', recipient: phone, body: `【通行】您的注册校验码为 ${code}，1 天内有效。如非本人操作，请忽略本短信。`, templateParams: { code } };
}

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

/** A one-time code for an action named in both languages ("实名信息绑定" / "binding"). */
export function codeMessage(
  channel: 'sms' | 'email',
  to: string,
  code: string,
  what: { zh: string; en: string; validity: { zh: string; en: string } },
): NewMessage {
  const text = `【通行】您的${what.zh}校验码为 ${code}，${what.validity.zh}内有效。如非本人操作，请忽略。`;
  return channel === 'sms'
    ? { channel: 'sms', recipient: to, body: text, templateParams: { code } }
    : {
        channel: 'email',
        recipient: to,
        subject: `通行帐号${what.zh}校验码 / Your ${what.en} code`,
        body: `${text}\n\nYour Tongxing ${what.en} code is ${code}. It is valid for ${what.validity.en}. If you did not ask for it, ignore this message.`,
      };
}

/**
 * A notice about the account (password or contact changed …) with no link and no code in it.
 * Notices about a change the person may not have made end with what to do if it was not them;
 * `ifNotYou: false` leaves that out where it makes no sense (a deregistered account cannot
 * reset its password; a staff decision is not something someone else did).
 */
export function accountNotice(channel: 'sms' | 'email', to: string, notice: { zh: string; en: string; ifNotYou?: boolean }): NewMessage {
  const advise = notice.ifNotYou !== false;
  const zh = `【通行】${notice.zh}${advise ? '如非本人操作，请立即找回密码并联系客服。' : ''}`;
  const en = `${notice.en}${advise ? ' If this was not you, reset your password now and contact support.' : ''}`;
  return channel === 'sms'
    ? { channel: 'sms', recipient: to, body: zh }
    : { channel: 'email', recipient: to, subject: '通行帐号安全提醒 / Tongxing account notice', body: `${zh}\n\n—\n${en}` };
}
