// Words for the search index and for questions, the same way for both. Chinese has no spaces:
// Intl.Segmenter (ICU's dictionary) cuts a run of Han characters into words, and the run's
// character bigrams are added too, so a question cut differently from the article (收不到验证码 /
// 收不到校验码) or with one wrong character still shares most of its terms. Latin text is split on
// non-letters and lower-cased, without stemming (prefix search catches plurals). Full-width forms
// are folded first (ＩＰ → ip). Words that carry no meaning in a question (怎么, 的, how, the) are
// dropped so they do not rank articles that merely use them often.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
/** Question words and particles, cut out of Chinese text before it is segmented (longest first). */
const ZH_FILLER = /怎么办|怎么样|怎么|咋办|为什么|为啥|如何|什么|请问|一下|能不能|可不可以|是不是|有没有|吗|呢|吧|啊|呀|了|的|我|您|你/g;

const STOP = new Set([
  // zh
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '么',
  '我',
  '你',
  '您',
  '我的',
  '是',
  '在',
  '有',
  '和',
  '与',
  '或',
  '就',
  '都',
  '也',
  '还',
  '怎么',
  '怎么办',
  '怎样',
  '如何',
  '什么',
  '为什么',
  '为啥',
  '咋',
  '咋办',
  '能',
  '能不能',
  '可以',
  '可不可以',
  '要',
  '需要',
  '请问',
  '一下',
  '这个',
  '那个',
  '这',
  '那',
  '个',
  '吗？',
  '了吗',
  '不了',
  '一直',
  '现在',
  '到底',
  '应该',
  '该',
  '会',
  '想',
  '把',
  '被',
  '给',
  '让',
  '从',
  '对',
  // en
  'a',
  'an',
  'the',
  'i',
  'my',
  'me',
  'is',
  'are',
  'am',
  'be',
  'was',
  'do',
  'does',
  'did',
  'to',
  'of',
  'in',
  'on',
  'for',
  'and',
  'or',
  'it',
  'how',
  'what',
  'why',
  'can',
  'cant',
  'could',
  'should',
  'would',
  'with',
  'at',
  'this',
  'that',
  'so',
  'if',
  'you',
  'your',
  'get',
  'got',
  'im',
  'there',
  'any',
  'when',
  'where',
  'which',
  'will',
  'please',
  'help',
  'pls',
  'plz',
  'just',
  'still',
  'from',
  'by',
  'as',
  'but',
]);

/**
 * Spellings that mean the same here, folded to one on both sides (articles and questions): the
 * two written forms of 帐号, common slips (登陆 for 登录, 身分证, 密马) and what people call the code.
 */
const VARIANTS: Array<[RegExp, string]> = [
  [/账/g, '帐'],
  [/帐户/g, '帐号'],
  [/登陆/g, '登录'],
  [/(?:验证码|效验码|较验码|短信码|动态码)/g, '校验码'],
  [/身分证/g, '身份证'],
  [/密马/g, '密码'],
  [/身份证号码?/g, '证件号码'],
  [/(?:e-mail|e mail)/g, 'email'],
];

export function normalise(text: string): string {
  let folded = text.normalize('NFKC').toLowerCase();
  for (const [variant, canonical] of VARIANTS) folded = folded.replace(variant, canonical);
  return folded;
}

export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of normalise(text).replace(ZH_FILLER, ' ').matchAll(RUNS)) {
    if (match[1]) {
      const run = match[1];
      // Single characters the segmenter leaves over are noise; the bigrams below carry them.
      for (const part of segmenter.segment(run)) if (part.isWordLike && part.segment.length > 1 && !STOP.has(part.segment)) terms.push(part.segment);
      const chars = [...run];
      if (chars.length === 1 && !STOP.has(run)) terms.push(run);
      for (let i = 0; i + 1 < chars.length; i++) {
        const bigram = chars[i]! + chars[i + 1]!;
        if (!STOP.has(bigram) && !(STOP.has(chars[i]!) && STOP.has(chars[i + 1]!))) terms.push(bigram);
      }
    } else if (match[2] && match[2].length > 1 && !STOP.has(match[2])) {
      // (A lone letter or digit — "1" of 途径1, "x" — matches too much to mean anything.)
      terms.push(match[2]);
    }
  }
  return terms;
}

export const isHan = (term: string) => HAN.test(term);

/** Whether a text is mostly Chinese: such a question is looked up in the Chinese articles. */
export function looksChinese(text: string): boolean {
  const han = [...text].filter((c) => HAN.test(c)).length;
  const latin = (text.match(/[a-z]+/gi) ?? []).join('').length;
  return han > 0 && han * 3 >= latin;
}
