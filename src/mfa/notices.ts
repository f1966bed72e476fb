// What the person's phone and mailbox are told about their second factor: every change, and the
// removal asked through 找回密码 both when it is asked (with how to stop it) and when it happens.
import { noticeTime, type NoticeText } from '../notifications/templates/notices.ts';

export function secondFactorEnabled(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}开启两步验证：登录时除密码或短信校验码外，还需输入身份验证器中的动态口令。`,
    en: `Two-step verification was turned on for your Tongxing account on ${when.en}: signing in now also asks for the code of your authenticator app.`,
  };
}

export function passkeyWayEnabled(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}开启两步验证：登录时除密码或短信校验码外，还需使用您的通行密钥确认。如非本人操作，请立即修改密码。`,
    en: `Two-step verification was turned on for your Tongxing account on ${when.en}: signing in now also asks for one of your passkeys. If this was not you, change your password now.`,
  };
}

export function secondFactorDisabled(at: Date): NoticeText {
  const when = noticeTime(at);
  return { zh: `您的通行帐号已于 ${when.zh}关闭两步验证。`, en: `Two-step verification was turned off for your Tongxing account on ${when.en}.` };
}

export function recoveryCodesRenewed(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}重新生成两步验证恢复码，原来的恢复码已失效。`,
    en: `New recovery codes were made for your Tongxing account on ${when.en}; the earlier ones no longer work.`,
  };
}

export function removalRequested(at: Date, effectiveAt: Date): NoticeText {
  const when = noticeTime(at);
  const effective = noticeTime(effectiveAt);
  return {
    zh: `有人于 ${when.zh}通过找回密码申请关闭您通行帐号的两步验证，将于 ${effective.zh}生效。如非本人操作，请在此之前用动态口令或恢复码登录一次，申请即被取消；并请立即修改密码。`,
    en: `On ${when.en} someone asked, through password recovery, to turn off two-step verification for your Tongxing account; it takes effect on ${effective.en}. If this was not you, sign in once with your authenticator code or a recovery code before then: that cancels the request. Then change your password.`,
    ifNotYou: false,
  };
}

export function removalCancelled(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `关闭两步验证的申请已于 ${when.zh}取消（有人用两步验证登录了您的通行帐号）。`,
    en: `The request to turn off two-step verification was cancelled on ${when.en} (your Tongxing account was signed in to with two-step verification).`,
  };
}

export function removalDone(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `按照通过找回密码提出的申请，您通行帐号的两步验证已于 ${when.zh}关闭。登录后可在帐号管理中重新开启。`,
    en: `As asked through password recovery, two-step verification of your Tongxing account was turned off on ${when.en}. You can turn it on again in account settings.`,
  };
}
