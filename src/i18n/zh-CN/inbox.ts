// The inbox and its requests.
export const inbox = {
  'inbox.title': '收件箱',
  'inbox.icon': '收件箱 {count} 条待处理',
  'inbox.empty': '收件箱是空的。',
  'inbox.open': '查看',
  'inbox.accept': '确认协助',
  'inbox.decline': '拒绝',
  'inbox.accepted': '已确认',
  'inbox.declined': '已拒绝',
  'inbox.expired': '该请求已过期',
  'inbox.pending_until': '请在 {date} 前处理',
  'inbox.not_found': '该消息不存在。',
  'inbox.already_decided': '该请求已经处理过了。',
  'inbox.done_accept': '已确认协助，谢谢！',
  'inbox.done_decline': '已拒绝该请求。',
  'inbox.classmate_binding':
    '同学 {name}（手机号 {phone}）请求您协助完成实名信息绑定。确认后，对方的帐号即完成实名绑定，如同用自己的手机号验证过一样。请确认对方确实是您的同学，否则请拒绝。',
} as const;
