// Accept-Language (RFC 9110 §12.5.4): the first language the person's browser or app asks for,
// by q-value, that Tongxing speaks. Every Chinese tag is zh-CN — Traditional ones too (zh-TW,
// zh-HK, zh-Hant): a reader of Traditional Chinese reads Simplified far more easily than English,
// and the seeds' prompts are the mainland's. Every English tag is en.
import type { Lang } from './index.ts';

function langOfTag(tag: string): Lang | undefined {
  const primary = tag.toLowerCase().split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return undefined;
}

/** The preferred language we have, or undefined when the header names none of ours (or is absent). */
export function negotiateLang(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranges = header
    .slice(0, 1_000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    // `*` is "anything": our default, which the caller already falls back to.
    if (range.tag === '*') return undefined;
    const lang = langOfTag(range.tag);
    if (lang) return lang;
  }
  return undefined;
}
