// CAS sign-in pages: an unknown service, the consent and the real-name requirement of a CAS platform.
export const cas = {
  'cas.title': '登录平台',
  'cas.unknown_service': '该平台没有在通行登记，无法用通行帐号登录。请从平台的官方入口进入，或联系平台的管理员。',
  'cas.account_unavailable': '该帐号目前不能登录平台。',
  'cas.signed_out': '您已退出通行帐号，并已通知您登录过的平台。',
  'cas.service_not_anchored': '服务地址的模式须以 ^ 开头、以 $ 结尾：{entry}',
  'cas.service_host_literal': '服务地址的模式须以 ^https:// 加上原样书写的域名（点写作 \\.）开头，域名后接 / 或 :：{entry}',
  'cas.service_nested_quantifier':
    '服务地址的模式不能在带重复的分组里再重复（如 (a+)+），也不能有三处以上不限次数的重复（* 或 +），这类写法匹配时可能极慢：{entry}',
  'cas.service_bad_pattern': '服务地址的模式写法有误：{entry}',
  'cas.service_not_https': '服务地址须使用 https（仅 127.0.0.1 或 localhost 在非生产环境可用 http）：{entry}',
  'cas.service_not_url': '不是有效的网址：{entry}',
  'cas.service_fragment': '服务地址不能带 # 片段：{entry}',
  'cas.service_too_long': '服务地址太长：{entry}',
  'cas.service_not_normal': '请按浏览器的写法填写：{written}（或写成 ^…$ 模式）：{entry}',
  'cas.services_required': '至少填写一个服务地址',
  'cas.services_too_many': '服务地址最多 {max} 个',
  'cas.warn': '您已登录通行帐号。是否用这个帐号登录“{platform}”？',
  'cas.continue': '继续',
  'cas.continue_hint': '页面没有自动跳转时，请按“继续”返回平台。',
  'cas.consent_declined': '您没有同意新版本的《用户协议》《个人信息保护政策》，已退出通行帐号，也没有登录“{platform}”。',
  'cas.consent_declined_back': '返回“{platform}”',
} as const;
