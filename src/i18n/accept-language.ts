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

/** The weight of a range: 1 without a q, undefined for a malformed one (the range is then ignored). */
function weightOf(params: string[]): number | undefined {
  const q = params.find((p) => /^\s*q\s*=/i.test(p));
  if (q === undefined) return 1;
  const value = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(q)?.[1];
  return value === undefined ? undefined : Number(value);
}

/**
 * The preferred language we have, or undefined when the header names none of ours (or is absent).
 * A language refused with q=0 is never chosen — not even as the default, which the other one
 * then replaces ("fr, zh;q=0" gets English).
 */
export function negotiateLang(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranges = header
    .slice(0, 1_000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      return { tag: tag.trim(), q: weightOf(params), index };
    })
    .filter((r): r is { tag: string; q: number; index: number } => r.tag !== '' && r.q !== undefined);
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => langOfTag(r.tag)));
  const wanted = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of wanted) {
    // `*` is "anything": our default, unless it was refused.
    if (range.tag === '*') break;
    const lang = langOfTag(range.tag);
    if (lang && !refused.has(lang)) return lang;
  }
  if (refused.has('zh-CN')) return refused.has('en') ? undefined : 'en';
  return undefined;
}
