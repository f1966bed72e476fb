// Every text the pages, the API and the console show, by key, in zh-CN (the default) and English.
// One catalogue per namespace and language (zh-CN/<namespace>.ts, en/<namespace>.ts); the zh-CN
// catalogues define the keys and each English one must have exactly the same (its type says so).
// `MessageKey` is the union of every key, so a misspelt key does not compile. This folder imports
// nothing from the rest of the project: everything may import it.
import * as zh from './zh-CN/index.ts';
import * as en from './en/index.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

type Namespaces = typeof zh;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllPhrases = UnionToIntersection<Namespaces[keyof Namespaces]>;

/** Any key of any catalogue. */
export type MessageKey = keyof AllPhrases & string;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;
/** A message with the values it needs: what a service says and a page or the API shows. */
export interface Message {
  code: MessageKey;
  params?: MessageParams | undefined;
}

const flatten = (namespaces: Record<string, Record<string, string>>): Record<string, string> => Object.assign({}, ...Object.values(namespaces));
const catalogues: Record<Lang, Record<string, string>> = { 'zh-CN': flatten(zh), en: flatten(en) };

/** True for a string that names a message (codes that arrive as plain strings: zod issues, stored reasons). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogues['zh-CN'], key);
}

/** `{name}` placeholders are filled from `params`; an unknown placeholder stays as written. */
export function format(template: string, params?: MessageParams): string {
  return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : m)) : template;
}

export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
  return (key, params) => format(catalogue[key] ?? key, params);
}

/** The text of a key in every language, for what is prepared before its reader is known. */
export function inAllLanguages(key: MessageKey, params?: MessageParams): Record<Lang, string> {
  return { 'zh-CN': format(catalogues['zh-CN'][key] ?? key, params), en: format(catalogues.en[key] ?? key, params) };
}

export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  if (value === 'en' || value.toLowerCase().startsWith('en')) return 'en';
  if (value.toLowerCase().startsWith('zh')) return 'zh-CN';
  return undefined;
}
