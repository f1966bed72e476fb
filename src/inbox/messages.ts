import type { Catalogue } from '../http/i18n.ts';

export const inboxMessages: Catalogue = {
  'inbox.title': { 'zh-CN': '收件箱', en: 'Inbox' },
  'inbox.icon': { 'zh-CN': '收件箱（{count} 条未读）', en: 'Inbox ({count} unread)' },
  'inbox.empty': { 'zh-CN': '收件箱是空的。', en: 'Your inbox is empty.' },
  'inbox.accept': { 'zh-CN': '确认协助', en: 'Confirm' },
  'inbox.decline': { 'zh-CN': '拒绝', en: 'Decline' },
  'inbox.accepted': { 'zh-CN': '已确认', en: 'Confirmed' },
  'inbox.declined': { 'zh-CN': '已拒绝', en: 'Declined' },
  'inbox.expired': { 'zh-CN': '该请求已过期', en: 'This request has expired' },
  'inbox.pending_until': { 'zh-CN': '请在 {date} 前处理', en: 'Answer by {date}' },
  'inbox.not_found': { 'zh-CN': '该消息不存在。', en: 'No such message.' },
  'inbox.already_decided': { 'zh-CN': '该请求已经处理过了。', en: 'This request has already been answered.' },
  'inbox.done_accept': { 'zh-CN': '已确认协助，谢谢！', en: 'Confirmed. Thank you!' },
  'inbox.done_decline': { 'zh-CN': '已拒绝该请求。', en: 'Request declined.' },
  'inbox.classmate_binding': {
    'zh-CN': '同学 {name}（手机号 {phone}）请求您协助完成实名信息绑定。请确认对方确实是您的同学，否则请拒绝。',
    en: 'Your classmate {name} (mobile {phone}) asks you to confirm their real-name binding. Confirm only if they really are your classmate.',
  },
};
