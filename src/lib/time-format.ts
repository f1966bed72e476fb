// Times as people here read them: Beijing time, in their language. Pages and messages share it.

export function formatBeijing(date: Date, lang: 'zh-CN' | 'en' | string = 'zh-CN'): string {
  return date.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}
