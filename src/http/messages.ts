// Messages shared by every page and the API.
import type { Catalogue } from './i18n.ts';

export const commonMessages: Catalogue = {
  'app.name': { 'zh-CN': '通行帐号', en: 'Tongxing Account' },
  'app.tagline': { 'zh-CN': '一个帐号，通行各教育平台', en: 'One account for every education platform' },
  'nav.login': { 'zh-CN': '登录', en: 'Sign in' },
  'nav.register': { 'zh-CN': '注册', en: 'Register' },
  'nav.logout': { 'zh-CN': '退出', en: 'Sign out' },
  'nav.account': { 'zh-CN': '帐号管理', en: 'My account' },
  'nav.language': { 'zh-CN': 'English', en: '中文' },
  'rate.limited': { 'zh-CN': '操作过于频繁，操作被禁止，请 {wait} 秒后再试。', en: 'Too many requests; this action is blocked. Try again in {wait} seconds.' },
  'validation.failed': { 'zh-CN': '请检查填写的内容。', en: 'Please check what you entered.' },
  'csrf.invalid': { 'zh-CN': '页面已过期，请刷新后重新提交。', en: 'This page has expired. Reload it and submit again.' },
  'error.not_found.title': { 'zh-CN': '页面不存在', en: 'Page not found' },
  'error.not_found.body': { 'zh-CN': '您访问的页面不存在或已被移除。', en: 'The page you asked for does not exist or has moved.' },
  'error.refused.title': { 'zh-CN': '无法完成操作', en: 'That could not be done' },
  'error.forbidden.title': { 'zh-CN': '没有权限', en: 'Not allowed' },
  'error.server.title': { 'zh-CN': '服务暂时不可用', en: 'Something went wrong' },
  'error.server.body': {
    'zh-CN': '服务器出现问题，请稍后再试。您的操作未被保存。',
    en: 'The server ran into a problem. Please try again later; nothing was saved.',
  },
  'error.back_home': { 'zh-CN': '返回首页', en: 'Back to the start page' },
  'error.unauthenticated': { 'zh-CN': '请先登录。', en: 'Please sign in first.' },
  'error.bad_request': { 'zh-CN': '请求格式有误。', en: 'The request is malformed.' },
  'dev.outbox.title': { 'zh-CN': '开发发件箱', en: 'Dev outbox' },
};
