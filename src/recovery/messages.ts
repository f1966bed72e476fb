// What the recovery pages say. Every answer that follows a username, name or ID number is worded
// so that it is true whether or not an account matched.
import type { Catalogue } from '../http/i18n.ts';

export const recoveryMessages: Catalogue = {
  'recover.title': { 'zh-CN': '找回用户名 / 找回密码', en: 'Forgot username or password' },
  'recover.intro': {
    'zh-CN': '请优先使用下面的自助功能找回；无法找回时，可联系客服协助处理。',
    en: 'Try the self-service pages below first; if they cannot help, customer service can.',
  },
  'recover.username_title': { 'zh-CN': '找回用户名', en: 'Find my username' },
  'recover.password_title': { 'zh-CN': '找回密码', en: 'Reset my password' },
  'recover.username_intro': {
    'zh-CN': '请输入注册时填写的姓名、证件类型和证件号码，用户名将发送到帐号绑定的手机或邮箱。',
    en: 'Enter the name, document type and number you registered with; the username goes to the phone or email bound to the account.',
  },
  'recover.username_sent': {
    'zh-CN': '如果姓名和证件号码与帐号的实名信息相符，用户名已发送至该帐号绑定的手机（短信）或邮箱，请注意查收。',
    en: 'If the name and number match an account, its username has been sent to the phone (SMS) or email bound to it.',
  },
  'recover.username_no_message': {
    'zh-CN': '10 分钟内仍未收到，或帐号未绑定手机和邮箱，请联系客服协助找回。',
    en: 'Nothing within 10 minutes, or no phone or email bound to the account? Customer service can help.',
  },
  'recover.password_intro': {
    'zh-CN': '请输入用户名（手机号、邮箱或证件号码）。已绑定手机的帐号将收到短信校验码，其他帐号将收到含重设链接的邮件。',
    en: 'Enter your username (mobile number, email or ID number). Accounts with a bound phone get an SMS code; others get an email with a link.',
  },
  'recover.username': { 'zh-CN': '用户名（手机号 / 邮箱 / 证件号码）', en: 'Username (mobile number / email / ID number)' },
  'recover.username_invalid': { 'zh-CN': '请输入手机号、邮箱或证件号码', en: 'Enter a mobile number, email address or ID number' },
  'recover.next': { 'zh-CN': '下一步', en: 'Next' },
  'recover.send': { 'zh-CN': '发送', en: 'Send' },
  'recover.code_sent_phone': {
    'zh-CN': '如果该手机号已注册，找回密码校验码已发送至该手机，10 分钟内有效。',
    en: 'If this number is registered, a reset code has been sent to it. It is valid for 10 minutes.',
  },
  'recover.code_sent_id': {
    'zh-CN': '如果该证件号码已绑定帐号，校验码已发送至帐号绑定的手机（10 分钟内有效）；未绑定手机的帐号会收到一封含重设链接的邮件。',
    en: 'If this ID number belongs to an account, a code has been sent to its bound phone (valid 10 minutes); an account without a phone gets an email with a link instead.',
  },
  'recover.link_sent_email': {
    'zh-CN': '如果该邮箱已注册，重设密码的链接已发送至该邮箱，30 分钟内有效。请查收邮件（也请查看垃圾邮件文件夹）。尚未激活的帐号会重新收到激活邮件。',
    en: 'If this address is registered, a link to reset the password has been sent to it, valid for 30 minutes (check the spam folder too). An account not yet activated gets its activation email again.',
  },
  'recover.code': { 'zh-CN': '短信校验码', en: 'SMS code' },
  'recover.expired': { 'zh-CN': '找回密码的请求已失效，请重新找回。', en: 'This reset request is no longer valid; start again.' },
  'recover.start_again': { 'zh-CN': '重新找回密码', en: 'Start again' },
  'recover.reset_title': { 'zh-CN': '设置新密码', en: 'Choose a new password' },
  'recover.reset_for': { 'zh-CN': '帐号：{username}', en: 'Account: {username}' },
  'recover.identity_needed': {
    'zh-CN': '该帐号已填写实名信息，请输入姓名和证件号码以确认是本人。',
    en: 'This account holds real-name information: enter the name and ID number to confirm it is you.',
  },
  'recover.identity_locked': {
    'zh-CN': '姓名或证件号码核对错误次数过多，找回密码已暂停 24 小时。如需帮助请联系客服。',
    en: 'Too many wrong names or ID numbers: password reset is paused for 24 hours. Customer service can help.',
  },
  'recover.identity_mismatch': {
    'zh-CN': '姓名或证件号码与帐号的实名信息不符，还可以尝试 {left} 次',
    en: 'The name or ID number does not match the account; {left} tries left',
  },
  'recover.new_password': { 'zh-CN': '新密码', en: 'New password' },
  'recover.new_password2': { 'zh-CN': '确认新密码', en: 'New password again' },
  'recover.save': { 'zh-CN': '确定', en: 'Save' },
  'recover.done': {
    'zh-CN': '密码已重设，所有设备均已退出登录。请使用新密码登录。',
    en: 'Your password was reset and every device signed out. Sign in with the new password.',
  },
  'recover.links_password': { 'zh-CN': '找回密码', en: 'Reset password' },
  'recover.links_username': { 'zh-CN': '找回用户名', en: 'Find username' },
};
