// The SMS templates an operator applies for at a gateway that sends only approved templates
// (Aliyun 短信服务), and `ALIYUN_SMS_TEMPLATES`, which names the template code of each:
//
//   ALIYUN_SMS_TEMPLATE_CODE  the code template (variable ${code})
//   ALIYUN_SMS_TEMPLATES      the others, name:code separated by commas, e.g.
//                             username:SMS_1,reset_link:SMS_2,data_export:SMS_3,notice:SMS_4,
//                             support_reply:SMS_5,support_follow:SMS_6
//
// Each message names its template (notifications/sms/templates.ts) and fills these variables.

/** Each template and its variables. */
export const SMS_TEMPLATES = {
  /** 校验码: registration, recovery, binding, sign-in codes. */
  code: ['code'],
  /** 找回用户名: the username. */
  username: ['username'],
  /** A password reset that staff started: the link. */
  reset_link: ['link'],
  /** 下载个人信息: the copy is ready, the link and until when it works. */
  data_export: ['link', 'expires'],
  /** An account notice (password changed, contact bound …): its sentence. */
  notice: ['content'],
  /** Staff answered a signed-in person's support request: read it after signing in. */
  support_reply: ['reference'],
  /** Staff answered a request filed without signing in: the link to read the answer. */
  support_follow: ['reference', 'link'],
} as const satisfies Record<string, readonly string[]>;

export type SmsTemplate = keyof typeof SMS_TEMPLATES;
export const SMS_TEMPLATE_NAMES = Object.keys(SMS_TEMPLATES) as SmsTemplate[];

/** ALIYUN_SMS_TEMPLATES as a map with the code template added, or what is wrong with it. */
export function parseSmsTemplates(codeTemplate: string, list: string | undefined): Record<SmsTemplate, string> | string {
  const codes: Partial<Record<SmsTemplate, string>> = { code: codeTemplate };
  for (const entry of (list ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, code, ...rest] = entry.split(':').map((p) => p.trim());
    if (!name || !code || rest.length || !/^[A-Za-z0-9_]+$/.test(code)) return `"${entry}" is not name:TEMPLATE_CODE`;
    if (!(name in SMS_TEMPLATES)) return `"${name}" is no template (${SMS_TEMPLATE_NAMES.join(', ')})`;
    codes[name as SmsTemplate] = code;
  }
  const missing = SMS_TEMPLATE_NAMES.filter((name) => !codes[name]);
  if (missing.length) return `a template code is needed for ${missing.join(', ')} (name:TEMPLATE_CODE, separated by commas)`;
  return codes as Record<SmsTemplate, string>;
}
