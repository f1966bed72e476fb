// What a signed-in person's question is about, when it is about their own account: a keyword rule
// per intent, in Chinese and in English, over the help search's folded text (normalise: 验证码 /
// 效验码 → 校验码, 登陆 → 登录, full-width forms, lower case), so the slips people type that the
// articles tolerate are tolerated here too. English rules take a stem (receiv, recie?v, arriv…)
// rather than a word, for the misspellings people make. A question may have several intents
// ("途径4 还剩几次，照片审核到哪了"); each is answered. A rule errs towards silence: an
// account answer nobody asked for (学信网 is this service, not a platform refusing; 收到验证码后
// is not a code gone missing; "how do I get a code" is a how-to) crowds out the article.
import { normalise } from '../help/tokenize.ts';

export const INTENTS = ['platform_refused', 'duplicate_case', 'records_tries', 'binding_pause', 'code_missing'] as const;
export type Intent = (typeof INTENTS)[number];

type Rule = { all: RegExp[] };

/** Each rule's patterns must all match (an intent = a subject and what is wrong with it). */
const RULES: Record<Intent, Rule[]> = {
  platform_refused: [
    { all: [/平台|(?<!学信)网(?!上|络|页版)|系统|学校|应用|app/, /拒绝|不让|不能|无法|登录不|登不|进不|不了|失败|不接受|实名|为什么|为啥/] },
    // "can't download the app" is not a refusal: a refusal is about signing in or getting in.
    {
      all: [
        /\b(platform|site|website|app|service|school)s?\b/,
        /refus|reject|deni|denied|block|can ?not|cant|can't|won'?t|unable|not let|real ?name/,
        /sign(?:ing)? ?in|log(?:ging)? ?in|login|access|let me in|get in|enter|refus|reject|denied|real ?name/,
      ],
    },
  ],
  duplicate_case: [
    {
      all: [
        // 审核 alone is also an enterprise letter's or a deregistration's: it counts with 照片/证件.
        /重复|已被注册|被注册|照片|(?:照片|证件|身份)审核|同学|核验|验证身份|身份验证|公示|异议/,
        /进度|等|多久|什么时候|何时|到哪|结果|状态|怎样|怎么样|还要|要多|期限|截止|通过|没有|还没/,
      ],
    },
    {
      all: [
        /duplicat|already registered|photo|review|classmate|vouch|verification|verify|objection|notice period/,
        /wait|how long|when|status|progress|still|pending|deadline|until|result|stuck|case/,
      ],
    },
  ],
  records_tries: [
    { all: [/途径\s*(4|四)|学籍|学历/, /次|机会|剩|还能|还可以|多少|几/] },
    { all: [/(route|path|way|option)\s*(4|four)|student records?|records? path|degree|enrol?ment/, /tr(y|ies)|attempt|left|remain|how many|chances?/] },
  ],
  binding_pause: [
    { all: [/微信|支付宝|第三方|社交/, /绑定|绑不|关联|不能绑|无法绑|2\s*小时|两小时|两个小时|2\s*个小时/] },
    { all: [/wechat|we chat|alipay|social/, /bind|link|connect|attach|2 ?hours?|two hours/] },
  ],
  code_missing: [
    { all: [/校验码|短信|邮件|邮箱|信息/, /收不到|没收到|未收到|没有收到|没到|没来|不来|没有来|收不了|迟迟|没发|发不|没反应|一直没|收到了吗|还没收/] },
    {
      all: [
        /\b(codes?|sms|texts?|e-?mails?|messages?|verification)\b/,
        /arriv|arive|receiv|recie?v|recive|recev|came|got|never|not|didn'?t|didnt|dont|don't|haven'?t|havent|no /,
      ],
    },
  ],
};

/** The intents a question has, in INTENTS order (none for a question about something else). */
export function intentsOf(question: string): Intent[] {
  const text = normalise(question);
  return INTENTS.filter((intent) => RULES[intent].some((rule) => rule.all.every((pattern) => pattern.test(text))));
}
