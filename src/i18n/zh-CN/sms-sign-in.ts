// 手机校验码登录 and the tabs between the ways of signing in.
export const smsSignIn = {
  'signin.by_password': '密码登录',
  'signin.by_sms': '手机校验码登录',
  'smslogin.title': '手机校验码登录',
  'smslogin.intro': '输入已绑定帐号的手机号，获取校验码后登录，无需密码。',
  'smslogin.phone': '手机号',
  'smslogin.send_code': '免费获取校验码',
  'smslogin.code': '校验码',
  'smslogin.submit': '登录',
  'smslogin.sent': '如果该手机号已绑定帐号，校验码已发送至 {to}，10 分钟内有效。',
  'smslogin.no_code': '收不到校验码？该手机号可能尚未绑定帐号，您可以用密码登录或注册新帐号。',
} as const;
