// CAS sign-in pages: an unknown service, the consent and the real-name requirement of a CAS platform.
export const cas = {
  'cas.title': '登录平台',
  'cas.unknown_service': '该平台没有在通行登记，无法用通行帐号登录。请从平台的官方入口进入，或联系平台的管理员。',
  'cas.account_unavailable': '该帐号目前不能登录平台。',
  'cas.signed_out': '您已退出通行帐号，并已通知您登录过的平台。',
  'cas.continue': '继续',
  'cas.continue_hint': '页面没有自动跳转时，请按“继续”返回平台。',
} as const;
