// What the account pages and API say. Prompts quoted by the seeds are kept word for word.
import type { Catalogue } from '../http/i18n.ts';

export const accountMessages: Catalogue = {
  // fields
  'phone.required': { 'zh-CN': '请输入手机号码', en: 'Enter your mobile number' },
  'phone.invalid': { 'zh-CN': '请输入正确的 11 位手机号码', en: 'Enter a valid 11-digit mainland mobile number' },
  'email.required': { 'zh-CN': '请输入邮箱地址', en: 'Enter your email address' },
  'email.invalid': { 'zh-CN': '邮箱地址格式不正确', en: 'This email address is not valid' },
  'code.required': { 'zh-CN': '请输入校验码', en: 'Enter the verification code' },
  'code.format': { 'zh-CN': '校验码为 6 位数字', en: 'The code has 6 digits' },
  'code.missing': { 'zh-CN': '校验码不正确或已失效，请重新获取', en: 'This code is not valid any more; request a new one' },
  'code.expired': { 'zh-CN': '校验码已过期，请重新获取校验码', en: 'The code has expired; request a new one' },
  'code.wrong': { 'zh-CN': '校验码错误，还可以尝试 {left} 次', en: 'Wrong code; {left} tries left' },
  'code.too_many_tries': { 'zh-CN': '校验码错误次数过多，请重新获取校验码', en: 'Too many wrong codes; request a new one' },
  'code.sent_sms': { 'zh-CN': '校验码已发送至 {to}，1 天内有效，请勿频繁获取。', en: 'A code was sent to {to}. It is valid for 1 day; no need to ask again.' },
  'password.required': { 'zh-CN': '请输入密码', en: 'Enter a password' },
  'password.too_short': { 'zh-CN': '密码至少 8 个字符', en: 'Use at least 8 characters' },
  'password.too_long': { 'zh-CN': '密码最多 128 个字符', en: 'Use at most 128 characters' },
  'password.equals_username': { 'zh-CN': '密码不能与用户名相同', en: 'The password must differ from the username' },
  'password.too_common': { 'zh-CN': '该密码过于常见，容易被猜中，请换一个', en: 'This password is too common and easy to guess; choose another' },
  'password.mismatch': { 'zh-CN': '两次输入的密码不一致', en: 'The two passwords differ' },
  'password.hint': {
    'zh-CN': '至少 8 个字符，可使用任意字符（含空格、中文），越长越安全',
    en: 'At least 8 characters; any characters (spaces too). Longer is stronger.',
  },

  // already used (seed 004 一 items 4-6)
  'register.phone_taken': { 'zh-CN': '该手机号已经注册，可直接登录', en: 'This mobile number is already registered; sign in directly' },
  'register.email_taken': { 'zh-CN': '该邮箱已经注册，可直接登录', en: 'This email address is already registered; sign in directly' },
  'register.email_pending': { 'zh-CN': '该邮箱已经注册，正在等待激活', en: 'This email address is registered and waiting for activation' },
  'register.phone_bound': { 'zh-CN': '手机号已被用户 {owner} 绑定手机时使用', en: 'This mobile number was bound by user {owner}' },
  'register.email_bound': { 'zh-CN': '电子邮件已被用户 {owner} 绑定邮箱时使用', en: 'This email address was bound by user {owner}' },
  'register.email_used': {
    'zh-CN': '该邮箱在本站已有使用记录，安全邮箱仅限注册使用一次，请更换邮箱或不填写邮箱',
    en: 'This address has been used on this site before; a security email serves one registration only. Use another or leave it empty',
  },
  'register.email_ip_limited': {
    'zh-CN': '邮箱 IP 受限：此网络今天注册的邮箱帐号过多。可不填写邮箱、使用手机号注册，登录后再绑定邮箱。',
    en: 'Email IP limit: too many email registrations from this network today. Register with a mobile number instead and bind an email later.',
  },
  'register.resend_activation': { 'zh-CN': '重新发送激活邮件', en: 'Send the activation email again' },
  'register.go_login': { 'zh-CN': '登录', en: 'Sign in' },
  'register.go_recover': { 'zh-CN': '找回密码', en: 'Reset password' },

  // registration pages
  'register.title': { 'zh-CN': '注册通行帐号', en: 'Create a Tongxing account' },
  'register.by_phone': { 'zh-CN': '手机号注册', en: 'With a mobile number' },
  'register.by_email': { 'zh-CN': '邮箱注册', en: 'With an email address' },
  'home.enterprise': { 'zh-CN': '企业帐号', en: 'Enterprise account' },
  'register.by_enterprise': { 'zh-CN': '企业用户注册', en: 'For an enterprise' },
  'register.intro': {
    'zh-CN': '已有帐号的请直接登录，避免重复注册。请确保填写的手机号、邮箱有效，并牢记密码。',
    en: 'Already have an account? Sign in instead of registering again. Use a mobile number and email you own, and remember your password.',
  },
  'register.phone': { 'zh-CN': '手机号码', en: 'Mobile number' },
  'register.code': { 'zh-CN': '短信校验码', en: 'SMS code' },
  'register.send_code': { 'zh-CN': '免费获取', en: 'Get code' },
  'register.password': { 'zh-CN': '密码', en: 'Password' },
  'register.password2': { 'zh-CN': '确认密码', en: 'Confirm password' },
  'register.email': { 'zh-CN': '邮箱', en: 'Email' },
  'register.email_optional': { 'zh-CN': '邮箱（选填，用于找回密码）', en: 'Email (optional, for password recovery)' },
  'register.identity_optional': {
    'zh-CN': '实名信息（可稍后在“基本信息”中填写；保存后不能修改）',
    en: 'Real-name information (can be added later under Basic information; cannot be changed once saved)',
  },
  'register.submit': { 'zh-CN': '立即注册', en: 'Register' },
  'register.email_sent_title': { 'zh-CN': '激活邮件已发送', en: 'Activation email sent' },
  'register.email_sent_body': {
    'zh-CN': '我们已向 {to} 发送了一封“通行帐号激活邮件”，请在 1 天内点击邮件中的激活链接完成激活。收件箱中找不到时，请查看垃圾邮件等文件夹。',
    en: 'We sent an activation email to {to}. Open the link in it within 1 day. If it is not in your inbox, look in spam or other folders.',
  },
  'register.resent': {
    'zh-CN': '如果该邮箱正在等待激活，激活邮件已重新发送。',
    en: 'If this address is waiting for activation, the email has been sent again.',
  },
  'register.email_verify_sent': {
    'zh-CN': '我们已向 {to} 发送了确认邮件，点击其中的链接即可将该邮箱用于登录和找回密码。',
    en: 'We sent a confirmation email to {to}; open its link to use that address for sign-in and recovery.',
  },

  // activation (seed 004 四)
  'activate.done_title': { 'zh-CN': '帐号已激活', en: 'Account activated' },
  'activate.done_body': { 'zh-CN': '邮箱 {email} 已激活，帐号可以正常使用了。', en: 'The address {email} is active; your account is ready.' },
  'activate.already': { 'zh-CN': '该邮箱已激活，请不要重复操作', en: 'This email address is already active; there is nothing more to do' },
  'activate.expired': { 'zh-CN': '校验码已过期，请重新注册或重新获取校验码', en: 'The activation link has expired. Register again or request a new link' },
  'activate.invalid': { 'zh-CN': '激活链接无效，请检查链接是否完整。', en: 'This activation link is not valid; check that it was copied completely.' },
  'activate.set_password': {
    'zh-CN': '激活帐号 {email}：请输入登录密码完成激活（可以是注册时设置的密码，也可以设置新密码，以此次输入为准）。',
    en: 'Activate {email}: enter the password to sign in with (the one chosen at registration, or a new one; this one counts).',
  },
  'activate.submit': { 'zh-CN': '激活并登录', en: 'Activate and sign in' },
  'activate.title': { 'zh-CN': '激活帐号', en: 'Activate account' },
  'verify_email.taken': {
    'zh-CN': '该邮箱已被其他帐号使用，未能绑定。可在帐号管理中绑定其他邮箱。',
    en: 'Another account uses this address now, so it was not added. Bind another one in account management.',
  },
  'verify_email.done': { 'zh-CN': '邮箱 {email} 已确认。', en: 'The address {email} is confirmed.' },

  // sign-in
  'login.title': { 'zh-CN': '登录', en: 'Sign in' },
  'login.username': { 'zh-CN': '手机号 / 邮箱 / 证件号码', en: 'Mobile number / email / ID number' },
  'login.password': { 'zh-CN': '密码', en: 'Password' },
  'login.submit': { 'zh-CN': '登录', en: 'Sign in' },
  'login.failed': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'login.username_required': { 'zh-CN': '请输入用户名', en: 'Enter your username' },
  'login.not_activated': {
    'zh-CN': '该邮箱已经注册，正在等待激活，请先点击激活邮件中的链接。',
    en: 'This email address is registered and waiting for activation; open the link in the activation email first.',
  },
  'login.captcha': { 'zh-CN': '图片验证码', en: 'Image code' },
  'login.captcha_hint': { 'zh-CN': '看不清？刷新页面换一张', en: 'Hard to read? Reload the page for another' },
  'login.captcha_required': { 'zh-CN': '请输入图片中的字符', en: 'Enter the characters in the picture' },
  'login.captcha_wrong': { 'zh-CN': '图片验证码错误，请重新输入', en: 'The image code is wrong; try the new one' },
  'login.no_account': { 'zh-CN': '还没有帐号？', en: 'No account yet?' },
  'login.forgot': { 'zh-CN': '找回用户名 / 找回密码', en: 'Forgot username or password' },
  'login.signed_out': { 'zh-CN': '您已安全退出。', en: 'You have signed out.' },
  'login.account_unavailable': { 'zh-CN': '该帐号已停用，请联系客服。', en: 'This account is disabled; contact customer service.' },

  // account home
  'home.title': { 'zh-CN': '帐号管理', en: 'My account' },
  'home.username': { 'zh-CN': '用户名', en: 'Username' },
  'home.state': { 'zh-CN': '帐号状态', en: 'Account state' },
  'home.todo': { 'zh-CN': '待办事项', en: 'To do' },
  'home.todo_realname': {
    'zh-CN': '填写实名信息（姓名、证件类型、证件号码），完成后才能使用需要实名的平台。',
    en: 'Enter your real-name information (name, ID type and number); platforms that need it require this.',
  },
  'home.todo_resolve': {
    'zh-CN': '您的证件号码与其他帐号重复，需要验证身份信息：请查看【解决方法】。验证通过前不能使用各平台。',
    en: 'Your ID number is also held by another account; verify your identity (see Solutions). Until then platforms are not available.',
  },
  'home.todo_realname_soon': { 'zh-CN': '实名信息填写即将开放。', en: 'Real-name information opens soon.' },
  'home.phone': { 'zh-CN': '手机号', en: 'Mobile' },
  'home.email': { 'zh-CN': '邮箱', en: 'Email' },
  'home.not_bound': { 'zh-CN': '未绑定', en: 'Not bound' },
  'home.unverified': { 'zh-CN': '待确认', en: 'unconfirmed' },
  'home.sessions_link': { 'zh-CN': '登录设备管理', en: 'Signed-in devices' },
  'state.pending_activation': { 'zh-CN': '待激活', en: 'Waiting for activation' },
  'state.active': { 'zh-CN': '正常', en: 'Active' },
  'state.needs_verification': { 'zh-CN': '待身份核验', en: 'Identity check needed' },
  'state.suspended': { 'zh-CN': '已停用', en: 'Suspended' },
  'state.deregistered': { 'zh-CN': '已注销', en: 'Deregistered' },

  // sessions
  'sessions.title': { 'zh-CN': '登录设备管理', en: 'Signed-in devices' },
  'sessions.current': { 'zh-CN': '当前设备', en: 'This device' },
  'sessions.started': { 'zh-CN': '登录时间', en: 'Signed in' },
  'sessions.last_seen': { 'zh-CN': '最近活动', en: 'Last active' },
  'sessions.ip': { 'zh-CN': 'IP 地址', en: 'IP address' },
  'sessions.device': { 'zh-CN': '设备', en: 'Device' },
  'sessions.revoke': { 'zh-CN': '下线', en: 'Sign out' },
  'sessions.revoked': { 'zh-CN': '该设备已下线。', en: 'That device has been signed out.' },
  'sessions.revoke_others': { 'zh-CN': '下线其他所有设备', en: 'Sign out all other devices' },
  'sessions.others_revoked': { 'zh-CN': '已下线其他 {count} 台设备。', en: 'Signed out {count} other devices.' },
  'sessions.not_found': { 'zh-CN': '该登录记录不存在或已下线。', en: 'That session does not exist or has ended.' },
};
