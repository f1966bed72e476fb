// The captcha of guarded forms: the proof-of-work widget, the picture that stands in without
// JavaScript, and the captcha services' button.
export const captcha = {
  'captcha.legend': '安全验证',
  'captcha.picture_intro': '请输入图片中的字符。',
  'captcha.picture_alt': '验证码图片（5 个字符）',
  'captcha.refresh': '看不清？换一张',
  'captcha.refreshed': '已换一张图片，请输入新图片中的字符',
  'captcha.vendor_start': '点击完成安全验证',
  'captcha.widget_label': '确认由本人操作',
  'captcha.widget_verifying': '正在验证，请稍候……',
  'captcha.widget_verified': '验证完成',
  'captcha.widget_error': '验证没有完成，请重试，或输入下方图片中的字符',
  'captcha.widget_expired': '验证已过期，请重新验证',
  'captcha.widget_required': '请先完成安全验证',
} as const;
