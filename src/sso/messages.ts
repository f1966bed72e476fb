// What the sign-in-to-a-platform pages say.
import type { Catalogue } from '../http/i18n.ts';

export const ssoMessages: Catalogue = {
  'sso.consent_title': { 'zh-CN': '授权登录', en: 'Sign in to a platform' },
  'sso.consent_intro': {
    'zh-CN': '“{platform}”请求使用您的通行帐号登录，并获取以下信息：',
    en: '“{platform}” asks to sign you in with your Tongxing account and to see:',
  },
  'sso.scope.openid': { 'zh-CN': '帐号标识（不含手机号、邮箱等个人信息）', en: 'An identifier for your account (no personal details)' },
  'sso.scope.profile': { 'zh-CN': '姓名', en: 'Your name' },
  'sso.scope.phone': { 'zh-CN': '手机号', en: 'Your mobile number' },
  'sso.scope.email': { 'zh-CN': '邮箱', en: 'Your email address' },
  'sso.scope.realname': { 'zh-CN': '实名认证状态', en: 'Whether your real name is verified' },
  'sso.scope.idnumber': { 'zh-CN': '证件类型和证件号码', en: 'Your ID document type and number' },
  'sso.scope.offline_access': {
    'zh-CN': '在您离开后保持登录（可随时在帐号中撤销）',
    en: 'Stay signed in after you leave (you can withdraw this in your account)',
  },
  'sso.remember': { 'zh-CN': '授权会被记住，可随时在“已授权的平台”中撤销。', en: 'This is remembered; withdraw it any time under “Platforms you allowed”.' },
  'sso.allow': { 'zh-CN': '同意并登录', en: 'Allow and sign in' },
  'sso.deny': { 'zh-CN': '拒绝', en: 'Deny' },
  'sso.realname_title': { 'zh-CN': '该平台要求实名认证', en: 'This platform requires a verified real name' },
  'sso.realname_unverified': {
    'zh-CN': '“{platform}”只接受已完成实名认证的帐号。请先填写基本信息并完成实名信息绑定，然后回到该平台重新登录。',
    en: '“{platform}” accepts only accounts with a verified real name. Enter your basic information and complete real-name binding, then sign in to the platform again.',
  },
  'sso.realname_needs_verification': {
    'zh-CN': '“{platform}”只接受已完成实名认证的帐号。您的证件号码与其他帐号重复，请先在【解决办法】中验证身份信息，通过后再回到该平台登录。',
    en: '“{platform}” accepts only verified accounts. Your ID number is also held by another account: verify your identity under Solutions first, then sign in to the platform again.',
  },
  'sso.realname_go': { 'zh-CN': '去完成实名认证', en: 'Verify my real name' },
  'sso.resolve_go': { 'zh-CN': '查看解决办法', en: 'See the solutions' },
  'sso.back_to_platform': { 'zh-CN': '返回平台', en: 'Back to the platform' },
  'sso.expired': {
    'zh-CN': '登录请求已过期或无效，请回到平台重新登录。',
    en: 'This sign-in request has expired or is not valid; start again from the platform.',
  },
  'sso.logout_title': { 'zh-CN': '退出登录', en: 'Sign out' },
  'sso.logout_from': { 'zh-CN': '要退出“{platform}”和通行帐号的登录吗？', en: 'Sign out of “{platform}” and your Tongxing account?' },
  'sso.logout_question': { 'zh-CN': '要退出通行帐号的登录吗？', en: 'Sign out of your Tongxing account?' },
  'sso.logout_yes': { 'zh-CN': '退出登录', en: 'Sign out' },
  'sso.logout_no': { 'zh-CN': '保持登录', en: 'Stay signed in' },
  'sso.logged_out_title': { 'zh-CN': '已退出', en: 'Signed out' },
  'sso.logged_out': { 'zh-CN': '您已退出登录。', en: 'You have signed out.' },
  'sso.error_title': { 'zh-CN': '登录请求有误', en: 'Sign-in request problem' },
  'sso.error_body': {
    'zh-CN': '平台发来的登录请求无法处理，请回到平台重新登录；如仍不行，请联系该平台。',
    en: 'The platform’s sign-in request could not be handled. Go back to the platform and try again; if it keeps failing, contact the platform.',
  },
  'sso.platforms_title': { 'zh-CN': '已授权的平台', en: 'Platforms you allowed' },
  'sso.platforms_none': { 'zh-CN': '您还没有授权任何平台。', en: 'You have not allowed any platform yet.' },
  'sso.platforms_since': { 'zh-CN': '授权时间', en: 'Allowed on' },
  'sso.withdraw': { 'zh-CN': '撤销授权', en: 'Withdraw' },
  'sso.withdrawn': { 'zh-CN': '已撤销对“{platform}”的授权，该平台持有的令牌已失效。', en: 'Withdrawn: “{platform}” can no longer use its tokens.' },
};
