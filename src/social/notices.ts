// What the person's proved phone and email are told when WeChat or Alipay is bound or unbound:
// a scan now signs in to the account, so whoever holds the contacts must hear of it.
import { noticeTime, type NoticeText } from '../notifications/templates/notices.ts';
import type { SocialProviderName } from './provider.ts';

const NAMES: Record<SocialProviderName, { zh: string; en: string }> = { wechat: { zh: '微信', en: 'WeChat' }, alipay: { zh: '支付宝', en: 'Alipay' } };

const who = (displayName: string | null) => (displayName ? { zh: `（${displayName}）`, en: ` (${displayName})` } : { zh: '', en: '' });

export function socialBound(provider: SocialProviderName, displayName: string | null, at: Date): NoticeText {
  const when = noticeTime(at);
  const name = NAMES[provider];
  const user = who(displayName);
  return {
    zh: `您的通行帐号已于 ${when.zh}绑定${name.zh}${user.zh}，此后可用该${name.zh}扫码登录。`,
    en: `${name.en}${user.en} was bound to your Tongxing account on ${when.en}; it can now sign in to the account.`,
  };
}

export function socialUnbound(provider: SocialProviderName, displayName: string | null, at: Date): NoticeText {
  const when = noticeTime(at);
  const name = NAMES[provider];
  const user = who(displayName);
  return {
    zh: `您的通行帐号已于 ${when.zh}解除${name.zh}${user.zh}绑定，该${name.zh}不能再登录本帐号。`,
    en: `${name.en}${user.en} was unbound from your Tongxing account on ${when.en} and can no longer sign in to it.`,
  };
}
