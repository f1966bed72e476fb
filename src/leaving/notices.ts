// What the person's phone and mailbox are told about their own 注销帐号: when it is asked (with
// when it takes effect and how to stop it), when it is cancelled, and when it is done.
import { noticeTime, type NoticeText } from '../notifications/templates/notices.ts';

export function deregistrationRequested(at: Date, dueAt: Date): NoticeText {
  const when = noticeTime(at);
  const due = noticeTime(dueAt);
  return {
    zh: `您于 ${when.zh}申请注销通行帐号，冷静期至 ${due.zh}结束，届时帐号将被注销。冷静期内登录即可撤销注销。`,
    en: `On ${when.en} you asked to deregister your Tongxing account. The cooling-off period ends on ${due.en}, and the account is deregistered then. Sign in before that to cancel it.`,
  };
}

export function deregistrationCancelled(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您已于 ${when.zh}撤销注销，通行帐号恢复正常使用。`,
    en: `You cancelled the deregistration of your Tongxing account on ${when.en}; the account is in normal use again.`,
  };
}

export function deregisteredAtOwnRequest(username: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `按照您的申请，通行帐号 ${username} 已于 ${when.zh}冷静期结束后注销，已登录的平台均已收到通知。`,
    en: `As you asked, your Tongxing account ${username} was deregistered on ${when.en} when the cooling-off period ended; the platforms you signed in to were told.`,
    ifNotYou: false,
  };
}
