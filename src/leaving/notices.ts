// What the person's phone and mailbox are told about their own 注销帐号: when it is asked (with
// when it takes effect and how to stop it), when it is cancelled, when its period is over but it
// must wait, and when it is done.
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

/** Once, when the cooling-off is over but the account must wait (why: suspended, or its ID number's appeal). */
export function deregistrationWaiting(at: Date, why: 'suspended' | 'open_case', graceDays: number): NoticeText {
  const when = noticeTime(at);
  const reason =
    why === 'suspended'
      ? { zh: '帐号已被停用，需等停用解除后才能注销', en: 'the account is suspended and cannot be deregistered until support restores it' }
      : {
          zh: '帐号的证件号码正在进行证件重复处理，需等处理完成后才能注销',
          en: 'its ID number is in a duplicate-ID case, and it cannot be deregistered until that is decided',
        };
  return {
    zh: `您申请注销的通行帐号冷静期已于 ${when.zh}结束，但${reason.zh}。届时会再通知您，${graceDays} 天后注销，在此之前登录即可撤销注销。`,
    en: `The cooling-off period of your Tongxing account's deregistration ended on ${when.en}, but ${reason.en}. You will be told when it can go on; it is deregistered ${graceDays} days after that, and signing in before then cancels it.`,
  };
}

/** What stopped the deregistration is over: it takes effect at `dueAt`, and may still be cancelled. */
export function deregistrationResumed(at: Date, dueAt: Date): NoticeText {
  const when = noticeTime(at);
  const due = noticeTime(dueAt);
  return {
    zh: `您申请注销的通行帐号可以继续注销了（${when.zh}），帐号将于 ${due.zh}注销。如需继续使用，在此之前登录即可撤销注销。`,
    en: `Your Tongxing account's deregistration can go on (${when.en}): the account is deregistered on ${due.en}. Sign in before then to cancel it if you want to keep the account.`,
  };
}
