// What the console's overview page says, in zh-CN and English.
import type { Catalogue } from '../http/i18n.ts';

export const dashboardMessages: Catalogue = {
  'console.dashboard_title': { 'zh-CN': '概况', en: 'Overview' },

  'dashboard.intro': { 'zh-CN': '最近 30 天（北京时间）。', en: 'The last 30 days (Beijing time).' },
  'dashboard.headline': { 'zh-CN': '关键数字', en: 'Key numbers' },
  'dashboard.registrations_today': { 'zh-CN': '今日注册', en: 'Registrations today' },
  'dashboard.open_reviews': { 'zh-CN': '待审核照片', en: 'Open photo reviews' },
  'dashboard.overdue_reviews': { 'zh-CN': '超期未审', en: 'Overdue reviews' },
  'dashboard.failed_messages': { 'zh-CN': '30 天内发送失败', en: 'Failed messages (30 days)' },

  'dashboard.bar_value': { 'zh-CN': '{label}：{value}', en: '{label}: {value}' },
  'dashboard.data': { 'zh-CN': '查看数据', en: 'Show the data' },
  'dashboard.col.day': { 'zh-CN': '日期', en: 'Day' },
  'dashboard.col.count': { 'zh-CN': '数量', en: 'Count' },
  'dashboard.col.age': { 'zh-CN': '已等待', en: 'Waiting' },
  'dashboard.col.path': { 'zh-CN': '途径', en: 'Path' },
  'dashboard.col.channel': { 'zh-CN': '渠道', en: 'Channel' },

  'dashboard.registrations': { 'zh-CN': '每日注册数', en: 'Registrations per day' },

  'dashboard.reviews': { 'zh-CN': '待审核照片（按已等待工作日）', en: 'Open photo reviews by working days waited' },
  'dashboard.reviews_promise': { 'zh-CN': '承诺 {days} 个工作日内审核完毕。', en: 'The promise is {days} working days.' },
  'dashboard.bucket.under1': { 'zh-CN': '< 1 工作日', en: '< 1 working day' },
  'dashboard.bucket.from1to2': { 'zh-CN': '1–2 工作日', en: '1–2 working days' },
  'dashboard.bucket.from2to3': { 'zh-CN': '2–3 工作日', en: '2–3 working days' },
  'dashboard.bucket.overdue': { 'zh-CN': '已超期', en: 'Overdue' },

  'dashboard.resolutions': { 'zh-CN': '各途径通过的身份核验', en: 'Resolutions passed by path' },
  'dashboard.path.app': { 'zh-CN': '途径1 APP自助验证', en: 'Path 1: app self-verification' },
  'dashboard.path.photo': { 'zh-CN': '途径2 客服协助验证', en: 'Path 2: staff-assisted (ID photos)' },
  'dashboard.path.classmate': { 'zh-CN': '途径3 大学同班同学协助', en: 'Path 3: university classmates' },
  'dashboard.path.records': { 'zh-CN': '途径4 学籍/学历信息', en: 'Path 4: student-status / degree records' },
  'dashboard.path_short.app': { 'zh-CN': '途径1', en: 'Path 1' },
  'dashboard.path_short.photo': { 'zh-CN': '途径2', en: 'Path 2' },
  'dashboard.path_short.classmate': { 'zh-CN': '途径3', en: 'Path 3' },
  'dashboard.path_short.records': { 'zh-CN': '途径4', en: 'Path 4' },

  'dashboard.messages': { 'zh-CN': '各渠道消息发送情况', en: 'Messages by channel' },
  'dashboard.channel.email': { 'zh-CN': '邮件', en: 'Email' },
  'dashboard.channel.sms': { 'zh-CN': '短信', en: 'SMS' },
  'dashboard.channel.webhook': { 'zh-CN': 'Webhook', en: 'Webhook' },
  'dashboard.channel.backchannel_logout': { 'zh-CN': '后端登出通知', en: 'Back-channel logout' },
  'dashboard.state.sent': { 'zh-CN': '已发送', en: 'Sent' },
  'dashboard.state.failed': { 'zh-CN': '失败', en: 'Failed' },
  'dashboard.state.waiting': { 'zh-CN': '等待发送', en: 'Waiting' },
  'dashboard.message_bar': { 'zh-CN': '{channel}·{state}：{value}', en: '{channel} · {state}: {value}' },
};
