// One-time codes by SMS or email. Each purpose names itself in both languages and says how long
// its code lasts, so the person knows what the code is for before typing it anywhere.
import type { NewMessage } from '../queries.ts';
import { sms } from '../sms/templates.ts';

export interface CodePurpose {
  zh: string;
  en: string;
  validity: { zh: string; en: string };
}

const ONE_DAY = { zh: '1 天', en: '1 day' };

/** What each kind of code is called in its message (registration codes have their own text). */
export const CODE_PURPOSES = {
  binding: { zh: '实名信息绑定', en: 'binding', validity: ONE_DAY },
  phoneChange: { zh: '更换手机号', en: 'phone change', validity: ONE_DAY },
  emailChange: { zh: '更换邮箱', en: 'email change', validity: ONE_DAY },
  passwordReset: { zh: '找回密码', en: 'password reset', validity: { zh: '10 分钟', en: '10 minutes' } },
  signIn: { zh: '登录', en: 'sign-in', validity: { zh: '10 分钟', en: '10 minutes' } },
} satisfies Record<string, CodePurpose>;

export function registrationCodeSms(phone: string, code: string): NewMessage {
  return sms(phone, `【通行】您的注册校验码为 ${code}，1 天内有效。如非本人操作，请忽略本短信。`, 'code', { code });
}

/** A one-time code for an action named in both languages ("实名信息绑定" / "binding"). */
export function codeMessage(channel: 'sms' | 'email', to: string, code: string, what: CodePurpose): NewMessage {
  const text = `【通行】您的${what.zh}校验码为 ${code}，${what.validity.zh}内有效。如非本人操作，请忽略。`;
  return channel === 'sms'
    ? sms(to, text, 'code', { code })
    : {
        channel: 'email',
        recipient: to,
        subject: `通行帐号${what.zh}校验码 / Your ${what.en} code`,
        body: `${text}\n\nYour Tongxing ${what.en} code is ${code}. It is valid for ${what.validity.en}. If you did not ask for it, ignore this message.`,
      };
}
