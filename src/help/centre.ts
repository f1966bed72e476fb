// The help centre as the rest of the service sees it: the articles, their index, the assistant
// and which articles belong to which page. Built once per process (the articles are files of
// the release, not data), so every app instance in a test run shares it.
import type { Lang } from '../i18n/index.ts';
import { loadArticles, type Article, type ArticleLibrary } from './articles.ts';
import { createAssistant, type AnswerSource, type Assistant, type SupportHandoff } from './assistant.ts';
import { buildIndex, type HelpIndex } from './search.ts';
import { HELP_CATEGORIES, type HelpCategory } from './slugs.ts';
import type { RateLimits } from '../security/rate-limits.ts';

export interface HelpCentre {
  library: ArticleLibrary;
  index: HelpIndex;
  assistant: Assistant;
  /** Set by later work; without it the assistant offers the customer-service contacts. */
  handoff: SupportHandoff | undefined;
  /** Limits questions and searches (absent only where a test builds the centre alone). */
  limits: RateLimits | undefined;
  /** The articles of a category in a language, in the order of their files. */
  inCategory(category: HelpCategory, lang: Lang): Article[];
  /** Articles whose front matter lists this page (the help panel's "help for this page"). */
  forPage(path: string, lang: Lang): Article[];
}

let shared: { library: ArticleLibrary; index: HelpIndex } | undefined;

export function createHelpCentre(options: { sources?: readonly AnswerSource[]; handoff?: SupportHandoff; limits?: RateLimits } = {}): HelpCentre {
  shared ??= (() => {
    const library = loadArticles();
    return { library, index: buildIndex(library) };
  })();
  const { library, index } = shared;
  const byPage = new Map<string, Map<Lang, Article[]>>();
  for (const [lang, articles] of Object.entries(library) as Array<[Lang, ReadonlyMap<string, Article>]>) {
    for (const article of articles.values()) {
      for (const page of article.pages) {
        const langs = byPage.get(page) ?? new Map<Lang, Article[]>();
        langs.set(lang, [...(langs.get(lang) ?? []), article]);
        byPage.set(page, langs);
      }
    }
  }
  return {
    library,
    index,
    assistant: createAssistant(library, index, options.sources ?? []),
    handoff: options.handoff,
    limits: options.limits,
    inCategory: (category, lang) => [...library[lang].values()].filter((a) => a.category === category),
    forPage: (path, lang) => byPage.get(path)?.get(lang) ?? [],
  };
}

export { HELP_CATEGORIES };
