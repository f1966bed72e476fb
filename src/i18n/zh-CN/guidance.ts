// 智能助手根据本人帐号的回答（帮助中心）：平台为什么不接受、证件号码重复的验证进度、途径4 次数、
// 找回后 2 小时内不能绑定、校验码为什么没收到。只说本人帐号的事。
export const guidance = {
  'guidance.heading.platform': '平台为什么不接受您的帐号',
  'guidance.platform.verified': '您的帐号已完成实名认证，平台不会因为实名要求拒绝您。如仍无法登录，请联系该平台的管理员确认其已接入统一身份认证。',
  'guidance.platform.unverified':
    '您的帐号尚未完成实名认证，而以下平台只接受已完成实名认证的帐号：{platforms}。请先在「基本信息」页面（/account/identity）填写实名信息、完成实名认证，再登录这些平台。',
  'guidance.platform.unverified_none': '您的帐号尚未完成实名认证。目前没有平台要求实名认证；如某个平台仍拒绝您，请联系该平台的管理员。',
  'guidance.platform.needs_verification':
    '您的证件号码与其他帐号重复，帐号正在等待验证身份信息。验证通过前，只接受已实名帐号的平台（{platforms}）不接受您的帐号。请到「身份验证」页面（/account/resolution）选择一种途径完成验证。',
  'guidance.platform.suspended': '您的帐号已被暂停使用，所有平台暂时都不接受它。请联系客服了解原因。',

  'guidance.heading.case': '您的证件号码重复验证进度',
  'guidance.case.not_needed': '您的帐号目前没有需要处理的证件号码重复问题。',
  'guidance.case.resolved': '您已于 {time} 完成身份验证，证件号码归属于您的帐号。',
  'guidance.case.open': '您的证件号码与其他帐号重复，帐号正在等待验证身份信息（/account/resolution）。',
  'guidance.case.photo_pending': '您的证件照片于 {submitted} 提交，正在等待客服审核，已等待 {days} 天；审核在 3 个工作日内完成，预计 {due} 前有结果。',
  'guidance.case.photo_late': '您的证件照片于 {submitted} 提交，正在等待客服审核，已等待 {days} 天，已超过预计的 {due}。请联系客服。',
  'guidance.case.photo_rejected': '您于 {submitted} 提交的证件照片未通过审核（{reason}），可以重新上传。',
  'guidance.case.classmates': '途径3：已有 {confirmed} 位同学确认，需要 {needed} 位。',
  'guidance.case.notice': '途径3：同学确认已满，公示期至 {until}；期间其他帐号持有人没有提出异议，验证即通过。',
  'guidance.case.objected': '途径3：公示期间有帐号持有人提出了异议，正在等待客服处理。',
  'guidance.case.records': '途径4：已请求核对 {used} 次，还可以尝试 {left} 次。',
  'guidance.case.nothing_started': '您还没有开始任何验证途径：可以在「身份验证」页面选择 APP 自助验证、客服协助验证、同学协助或提供学籍学历信息。',

  'guidance.heading.records': '途径4 提供学籍或学历信息',
  'guidance.records.left': '您的证件号码已通过途径4请求核对 {used} 次，还可以尝试 {left} 次（每个证件号码最多 {max} 次）。',
  'guidance.records.none_left': '您的证件号码已用完途径4的 {max} 次核对机会，请改用其他途径（如途径2 客服协助验证）。',
  'guidance.records.not_needed': '您的帐号不需要验证身份信息，无需使用途径4。',

  'guidance.heading.binding': '绑定微信或支付宝登录',
  'guidance.binding.paused_password': '您于 {at} 找回了密码。为保护帐号安全，找回后 2 小时内不能绑定微信或支付宝登录：{until} 后可以绑定。',
  'guidance.binding.paused_username': '您于 {at} 找回了用户名。为保护帐号安全，找回后 2 小时内不能绑定微信或支付宝登录：{until} 后可以绑定。',
  'guidance.binding.open': '您的帐号现在不受找回后 2 小时的限制，可以在「微信和支付宝」页面（/account/social）绑定微信或支付宝登录。',

  'guidance.heading.codes': '校验码为什么没有收到',
  'guidance.codes.none': '最近没有发往 {targets} 的短信或邮件。如果您刚刚获取过校验码，请确认填写的号码或邮箱正确。',
  'guidance.codes.no_contacts': '您的帐号没有绑定手机或邮箱，校验码无处可发。',
  'guidance.codes.sent': '最近一条发往 {target} 的{kind}已于 {time} 发送成功。如仍未收到，请检查手机的短信拦截或邮箱的垃圾邮件，并确认能正常接收。',
  'guidance.codes.queued': '最近一条发往 {target} 的{kind}（{time} 申请）正在排队，很快会发出。',
  'guidance.codes.sending': '最近一条发往 {target} 的{kind}（{time} 申请）正在发送，请稍候。',
  'guidance.codes.retrying': '最近一条发往 {target} 的{kind}（{time} 申请）没有发送成功（{why}），将于 {next} 自动重试，已尝试 {attempts} 次。',
  'guidance.codes.failed': '最近一条发往 {target} 的{kind}（{time} 申请）发送失败（{why}）。请确认号码或邮箱正确后重新获取；多次失败请联系客服。',
  'guidance.codes.kind_sms': '短信',
  'guidance.codes.kind_email': '邮件',
  'guidance.codes.why_timeout': '短信或邮件服务商没有及时响应',
  'guidance.codes.why_refused': '服务商拒绝了这条消息，号码或地址可能有误',
  'guidance.codes.why_carrier_limit': '运营商限制了发往该号码的短信频率',
  'guidance.codes.why_other': '暂时的发送故障',
  'guidance.codes.resend_wait': '同一号码或邮箱 {window} 秒内只能获取一次校验码：发往 {target} 的下一条请在 {seconds} 秒后获取。',
  'guidance.codes.daily_cap': '今天发往 {target} 的校验码已达到每天 {max} 次的上限，请在 {hours} 小时后再试。',
  'guidance.codes.and': '、',
} as const;
