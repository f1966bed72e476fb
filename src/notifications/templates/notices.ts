// Notices about an account, sent to its proved contacts: no link and no code in them. Each notice
// is written here once, in both languages; services pick one and say whom to tell.
import { formatBeijing } from '../../lib/time-format.ts';
import type { NewMessage } from '../queries.ts';
import { sms } from '../sms/templates.ts';
import { clause } from './clause.ts';

export interface NoticeText {
  zh: string;
  en: string;
  /**
   * Notices about a change the person may not have made end with what to do if it was not them;
   * false leaves that out where it makes no sense (a deregistered account cannot reset its
   * password; a staff decision is not something someone else did).
   */
  ifNotYou?: boolean;
}

type Channel = 'phone' | 'email';

/** A notice as the message that carries it. */
export function accountNotice(channel: 'sms' | 'email', to: string, notice: NoticeText): NewMessage {
  const advise = notice.ifNotYou !== false;
  const sentence = `${notice.zh}${advise ? '如非本人操作，请立即找回密码并联系客服。' : ''}`;
  const zh = `【通行】${sentence}`;
  const en = `${notice.en}${advise ? ' If this was not you, reset your password now and contact support.' : ''}`;
  return channel === 'sms'
    ? sms(to, zh, 'notice', { content: sentence })
    : { channel: 'email', recipient: to, subject: '通行帐号安全提醒 / Tongxing account notice', body: `${zh}\n\n—\n${en}` };
}

/** When something happened, as a notice says it. */
export const noticeTime = (at: Date) => ({ zh: `${formatBeijing(at)}（北京时间）`, en: `${formatBeijing(at, 'en')} (Beijing time)` });

const CONTACT_NAMES = { phone: { zh: '手机号', en: 'mobile number' }, email: { zh: '邮箱', en: 'email address' } };

export function passwordChanged(at: Date): NoticeText {
  const when = noticeTime(at);
  return { zh: `您的通行帐号密码已于 ${when.zh}修改。`, en: `The password of your Tongxing account was changed on ${when.en}.` };
}

export function passwordReset(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号密码已于 ${when.zh}通过找回密码重设，所有设备均已退出登录。`,
    en: `The password of your Tongxing account was reset on ${when.en} and every device was signed out.`,
  };
}

export const recoveryPausedForIdentity: NoticeText = {
  zh: '有人在找回您的通行帐号密码时多次填错姓名或证件号码，找回密码已暂停 24 小时。如非本人操作，请联系客服。',
  en: 'Someone resetting the password of your Tongxing account gave a wrong name or ID number several times; password reset is paused for 24 hours. If this was not you, contact support.',
  ifNotYou: false,
};

/** Told to the replaced contact: the account's phone or address is now another. */
export function contactChanged(channel: Channel, from: string, to: string, at: Date): NoticeText {
  const when = noticeTime(at);
  const what = CONTACT_NAMES[channel];
  return {
    zh: `您的通行帐号${what.zh}已于 ${when.zh}由 ${from} 更换为 ${to}。`,
    en: `The ${what.en} of your Tongxing account was changed from ${from} to ${to} on ${when.en}.`,
  };
}

/** Told to the other contact when a phone or address is added where there was none. */
export function contactAdded(channel: Channel, masked: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return channel === 'phone'
    ? { zh: `您的通行帐号已于 ${when.zh}绑定手机号 ${masked}。`, en: `The mobile number ${masked} was bound to your Tongxing account on ${when.en}.` }
    : { zh: `您的通行帐号已于 ${when.zh}绑定邮箱 ${masked}。`, en: `The email address ${masked} was bound to your Tongxing account on ${when.en}.` };
}

/** To an account another person's verification deregistered. */
export function deregisteredByResolution(username: string, at: Date, disputeUrl: string): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `有人以您的通行帐号 ${username} 所用的证件号码重新注册，并于 ${when.zh}通过了身份核验，因此该帐号已注销，不能再登录。如果您才是该证件号码的本人，请在 30 天内打开以下链接说明情况（这不是我本人操作），客服核实后可撤销注销：${disputeUrl}`,
    en: `Someone registered again with the ID number your Tongxing account ${username} uses and passed identity verification on ${when.en}, so that account has been deregistered and can no longer sign in. If the number is yours, open this link within 30 days to tell support (this was not me); support can reverse the deregistration: ${disputeUrl}`,
    ifNotYou: false,
  };
}

/** To a deregistered account's contacts, once support reversed the deregistration. */
export function deregistrationReversed(username: string): NoticeText {
  return {
    zh: `经客服核实，您的通行帐号 ${username} 的注销已撤销，帐号已恢复，请用原密码登录。他人以您的证件号码提交的身份核验已作废。`,
    en: `Support reversed the deregistration of your Tongxing account ${username}; it is back, and you sign in with your old password. The verification someone else made with your ID number no longer stands.`,
    ifNotYou: false,
  };
}

/** To the claimant whose passed verification support reversed on the old holder's dispute. */
export const verificationReversed: NoticeText = {
  zh: '经客服核实，证件号码原持有人的申诉成立，您此前通过的身份核验已撤销，帐号恢复为待身份核验。如该证件号码确属于您，请通过其他途径重新验证。',
  en: 'Support upheld the earlier holder’s dispute of the ID number: your identity verification was reversed and your account again awaits verification. If the number is yours, verify it again another way.',
  ifNotYou: false,
};

/** To the contact a disputer gave, when support did not uphold the dispute. */
export function disputeDismissed(note: string): NoticeText {
  return {
    zh: `您对通行帐号注销提出的申诉经客服核实不予支持：${clause(note)}。`,
    en: `Support looked into your dispute of a Tongxing account's deregistration and did not uphold it: ${clause(note)}.`,
    ifNotYou: false,
  };
}

/** To an account support deregistered because its ID number was wrong (case 3). */
export function deregisteredForWrongId(username: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `经客服核实，您的通行帐号 ${username} 填写的证件号码有误，该帐号已于 ${when.zh}注销。请使用本手机号或邮箱，以正确的证件信息重新注册。`,
    en: `Support confirmed that the ID number of your Tongxing account ${username} is wrong; the account was deregistered on ${when.en}. Register again with this phone or email and the right ID details.`,
    ifNotYou: false,
  };
}

/** To a claimant whose verification passed. */
export function resolutionPassed(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号已于 ${when.zh}通过身份核验，证件号码重复问题已解决，帐号可以正常使用。`,
    en: `Your Tongxing account passed the identity check on ${when.en}; the duplicate ID number is resolved and the account is ready to use.`,
    ifNotYou: false,
  };
}

/** To the one holder left once support settled a wrong number. */
export function duplicateSettledBySupport(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `与您的通行帐号证件号码重复的帐号已由客服核实处理（${when.zh}），证件号码重复问题已解决，帐号可以正常使用。`,
    en: `The account that shared your ID number was handled by support (${when.en}); the duplicate is resolved and your Tongxing account is ready to use.`,
    ifNotYou: false,
  };
}

/** To the one holder left once the other account holding the number was deregistered at its own request. */
export function duplicateSettledOtherLeft(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `与您的通行帐号证件号码重复的帐号已于 ${when.zh}注销，证件号码重复问题已解决，帐号可以正常使用。`,
    en: `The other account that held your ID number was deregistered on ${when.en}; the duplicate is resolved and your Tongxing account is ready to use.`,
    ifNotYou: false,
  };
}

/** To the one holder left, settled while support has it suspended: resolved, but not usable until restored. */
export function duplicateSettledWhileSuspended(at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您的通行帐号的证件号码重复问题已于 ${when.zh}解决；帐号目前处于停用状态，客服恢复后即可正常使用。`,
    en: `The duplicate ID number of your Tongxing account was resolved on ${when.en}; the account is suspended for now and can be used once support restores it.`,
    ifNotYou: false,
  };
}

export function photosRejected(reason: { zh: string; en: string }, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `您于通行帐号提交的证件照片未通过客服审核（${when.zh}）：${clause(reason.zh)}。请登录后重新上传。`,
    en: `The ID photos you submitted were not approved (${when.en}): ${clause(reason.en)}. Sign in to upload them again.`,
    ifNotYou: false,
  };
}

/** To the account's contacts when support sent a reset link to an address the person gave. */
export function resetLinkSentElsewhere(maskedAddress: string, at: Date): NoticeText {
  const when = noticeTime(at);
  return {
    zh: `客服应申请于 ${when.zh}向 ${maskedAddress} 发送了重设您通行帐号密码的链接。如非本人申请，请立即联系客服。`,
    en: `At a request, support sent a link to reset your Tongxing password to ${maskedAddress} on ${when.en}. If you did not ask, contact support now.`,
    ifNotYou: false,
  };
}

export function enterpriseRequestRefused(enterprise: string, reason: string): NoticeText {
  return {
    zh: `贵单位（${enterprise}）的企业帐号查找申请未通过核实：${clause(reason)}。如有疑问请联系客服。`,
    en: `The enterprise account look-up request of ${enterprise} was not accepted: ${clause(reason)}. Contact support with any questions.`,
    ifNotYou: false,
  };
}

/** To an enterprise account's own address when support answered a letter in its name. */
export function enterpriseRequestAnswered(answer: 'send_username' | 'start_reset' | 'confirm', at: Date): NoticeText {
  const when = noticeTime(at);
  const zh = { send_username: '将企业帐号用户名发给申请人', start_reset: '向申请人发送了重设密码的链接', confirm: '确认本帐号为贵单位的企业帐号' }[answer];
  const en = {
    send_username: 'sent the account’s username to the applicant',
    start_reset: 'sent the applicant a password-reset link',
    confirm: 'confirmed this account as your enterprise’s',
  }[answer];
  return {
    zh: `客服已根据贵单位盖章的申请函（${when.zh}）${zh}。如非贵单位申请，请立即联系客服。`,
    en: `Following your enterprise’s stamped letter (${when.en}), support ${en}. If your enterprise did not ask, contact support now.`,
    ifNotYou: false,
  };
}

/** To the contact a confirmation letter gave, once support confirmed the account. */
export function enterpriseConfirmedForApplicant(enterprise: string, username: string): NoticeText {
  return {
    zh: `客服已核实“${enterprise}”盖章的申请函，企业帐号 ${username} 已确认为贵单位的帐号。`,
    en: `Support checked the stamped letter of “${enterprise}”: the enterprise account ${username} is confirmed as your enterprise’s.`,
    ifNotYou: false,
  };
}

/** To an unconfirmed enterprise account voided because support confirmed another one for its credit code. */
export function enterpriseAccountVoided(enterprise: string): NoticeText {
  return {
    zh: `客服已核实“${enterprise}”盖章的申请函，并确认了该统一社会信用代码的另一个企业帐号，本帐号已注销。如贵单位从未申请确认，请通过“企业帐号查找/确认申请”提交盖章的申请函，客服将重新核实。`,
    en: `Support checked the stamped letter of “${enterprise}” and confirmed another enterprise account for its credit code, so this account was closed. If your enterprise never asked for that, send a stamped letter through the enterprise look-up and confirmation request, and support will check again.`,
    ifNotYou: false,
  };
}

/** To each current holder when classmates vouched for someone else with the same ID number (途径3). */
export function classmateVouchNotice(username: string, takesEffectAt: Date, objectUrl: string): NoticeText {
  const when = noticeTime(takesEffectAt);
  return {
    zh: `有人已通过“大学同班同学协助”验证了您的通行帐号 ${username} 所用的证件号码。如果没有异议，该帐号将于 ${when.zh}注销。如果这是您本人的帐号，请在此之前登录并提出异议：${objectUrl}，异议将转由客服审核。`,
    en: `Someone had classmates vouch for the ID number that your Tongxing account ${username} uses. Unless you object, the account will be deregistered on ${when.en}. If this is your own account, sign in before then and object: ${objectUrl}; support will then review the case.`,
    ifNotYou: false,
  };
}

/** To the claimant when a holder objected during the notice period. */
export const vouchObjected: NoticeText = {
  zh: '您通过“大学同班同学协助”提交的身份核验，证件号码的现持有人提出了异议，已转由客服审核，结果会另行通知。',
  en: 'The current holder of the ID number objected to your classmate-assisted verification; support will review the case and tell you the outcome.',
  ifNotYou: false,
};

/** To the claimant when staff turned the vouched case down after an objection. */
export function vouchRejected(note: string): NoticeText {
  return {
    zh: `经客服审核，您通过“大学同班同学协助”提交的身份核验未通过${clause(note) ? `：${clause(note)}` : ''}。请改用其他途径验证身份。`,
    en: `After review, support did not accept your classmate-assisted verification${clause(note) ? `: ${clause(note)}` : ''}. Please verify your identity another way.`,
    ifNotYou: false,
  };
}

/** To the holder who objected, when staff kept their account. */
export const objectionUpheld: NoticeText = {
  zh: '您对他人通过同学协助验证证件号码提出的异议已由客服核实，您的通行帐号保持正常。',
  en: 'Support reviewed your objection to a classmate-assisted verification of your ID number; your Tongxing account stays as it is.',
  ifNotYou: false,
};
