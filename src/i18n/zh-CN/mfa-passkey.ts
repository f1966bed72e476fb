// 通行密钥作为第二步验证: the step page's passkey way, turning the second factor on with passkeys
// alone, turning it off with a passkey, and the rule that keeps the last passkey.
export const mfaPasskey = {
  'mfa_passkey.step_button': '使用通行密钥验证',
  'mfa_passkey.step_hint': '用本帐号已添加的通行密钥（手机、电脑或安全密钥）完成验证。',
  'mfa_passkey.step_intro_passkey_way': '您的帐号以通行密钥作为第二步验证：请点下面的“使用通行密钥验证”。通行密钥不在身边时，可以输入一个恢复码。',
  'mfa_passkey.not_yours': '这个通行密钥不属于正在登录的帐号，请使用本帐号的通行密钥，或输入恢复码',
  'mfa_passkey.not_verified': '通行密钥验证未通过，请重试，或输入动态口令或恢复码',
  'mfa_passkey.enable_title': '通行密钥作为第二步验证',
  'mfa_passkey.enable_intro': '没有身份验证器也可以开启两步验证：用密码或短信校验码登录后，还需用您已添加的通行密钥确认。',
  'mfa_passkey.enable_submit': '以通行密钥开启两步验证',
  'mfa_passkey.enable_needs_passkey': '请先在“通行密钥”中添加一个通行密钥，再以通行密钥开启两步验证。',
  'mfa_passkey.none': '您还没有添加通行密钥，不能以通行密钥开启两步验证',
  'mfa_passkey.status_on': '已开启（{date} 起）：登录时除密码或短信校验码外，还需使用您的通行密钥确认。',
  'mfa_passkey.add_totp': '再添加身份验证器',
  'mfa_passkey.disable_button': '使用通行密钥确认关闭',
  'mfa_passkey.last_passkey': '这是您唯一的第二步验证方式所用的最后一个通行密钥，现在不能删除。请先添加另一个通行密钥或身份验证器，或先关闭两步验证。',
  'mfa_passkey.enabled': '两步验证已开启：登录时将需要您的通行密钥。',
};
