// What a person's proved contacts are told when a passkey is added to or removed from their
// account: a passkey signs in without the password, so one added by someone else must not go
// unnoticed. Written in both languages, like the notices of notifications/templates/notices.ts.
import type { NoticeText } from '../notifications/templates/notices.ts';
import { noticeTime } from '../notifications/templates/notices.ts';
import type { ProvedContacts } from '../notifications/notify-contacts.ts';

export function passkeyAdded(name: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}添加通行密钥“${name}”，今后可以用它登录。`,
    en: `A passkey “${name}” was added to your Tongxing account on ${when.en}; it can now be used to sign in.`,
  };
}

export function passkeyRemoved(name: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}删除通行密钥“${name}”，它不能再用于登录。`,
    en: `The passkey “${name}” was removed from your Tongxing account on ${when.en}; it can no longer be used to sign in.`,
  };
}

/** The account's phone and address that are proved (only those may be told). */
export function provedContactsOf(account: {
  phone: string | null;
  email: string | null;
  phone_verified_at: Date | null;
  email_verified_at: Date | null;
}): ProvedContacts {
  return { phone: account.phone && account.phone_verified_at ? account.phone : null, email: account.email && account.email_verified_at ? account.email : null };
}
