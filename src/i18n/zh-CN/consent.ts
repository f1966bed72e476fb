// Consent: the user agreement and the personal-information policy at every way in, agreeing again
// to a new version, and the separate consent where sensitive information is collected (PIPL art. 29).
export const consent = {
  'consent.terms': '用户协议',
  'consent.privacy': '个人信息保护政策',
  'consent.agree_before': '我已阅读并同意',
  'consent.required': '请先阅读并勾选同意《用户协议》《个人信息保护政策》',
  'consent.version': '版本：{version}',
  'consent.other_document': '另见',
  'consent.unknown_document': '没有这份文件。',
  'consent.renew_title': '协议已更新',
  'consent.renew_intro': '以下文件已更新。请阅读新版本，同意后继续。',
  'consent.renew_accepted_before': '您此前同意的版本：{version}',
  'consent.renew_never': '您尚未同意过此文件。',
  'consent.renew_submit': '同意并继续',
  'consent.renew_decline': '不同意，退出登录',
  'consent.due': '《用户协议》或《个人信息保护政策》已更新，请先阅读并同意新版本后再继续。',
  'consent.version_changed': '文件已有更新的版本，请阅读最新版本后再同意。',
  'consent.sensitive_required': '请先勾选同意处理这项敏感个人信息',
  'consent.sensitive.id_number':
    '我同意通行处理我的证件号码（敏感个人信息），用于核验身份、确保一个证件号码只属于一个有效帐号，并在我授权时向所登录的平台提供；证件号码加密保存。',
  'consent.sensitive.id_photo':
    '我同意通行处理我上传的证件照片（敏感个人信息），仅用于工作人员核对我是否为该证件号码的本人；申请处理完毕并经过保留期限后照片即被删除。',
  'consent.sensitive.liveness_v1':
    '我同意通行通过人脸核验服务处理我的人脸信息（敏感个人信息），仅用于核对我是否为该证件号码的本人；通行只保存核验结果，不保存人脸图像，结果在保留期限后删除。',
  'consent.sensitive.liveness':
    '我同意通行将我的姓名和证件号码提供给人脸核验服务提供者「{operator}」，由其采集我的人脸信息（敏感个人信息）并与之比对，仅用于核对我是否为该证件号码的本人；通行不保存人脸图像，只保存核验结论（随帐号保存，作为证件号码归属的依据），服务商返回的其他信息在保留期限后删除。',
} as const;
