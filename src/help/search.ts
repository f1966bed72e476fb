// Ranking: MiniSearch (BM25+) over the articles of each language, title and keywords weighing
// more than the text, with fuzzy matching for Latin words (typos) and prefixes (plurals); Chinese
// tolerates slips through the bigrams of tokenize.ts. A second index holds the passages, to pick
// the part of the chosen article that answers. A question mostly in Chinese is looked up in the
// Chinese articles, any other in the English ones, whatever the page's language.
import MiniSearch, { type SearchOptions } from 'minisearch';
import { LANGS, type Lang } from '../i18n/index.ts';
import type { ArticleLibrary, Passage } from './articles.ts';
import type { HelpSlug } from './slugs.ts';
import { isHan, looksChinese, tokenize } from './tokenize.ts';

export interface RankedArticle {
  slug: HelpSlug;
  /** The language whose articles matched (the question's). */
  lang: Lang;
  score: number;
  /** The question's terms this article matched. */
  terms: string[];
}

export interface HelpIndex {
  /** Articles for a question, best first (empty when nothing matches). */
  rank(question: string): RankedArticle[];
  /** The passages of one article that answer a question, best first (at least the first). */
  passages(question: string, slug: HelpSlug, lang: Lang): Passage[];
  /** The terms a question is looked up by (after folding, segmentation and stop words). */
  terms(question: string): string[];
  languageOf(question: string): Lang;
}

interface ArticleDoc {
  id: string;
  slug: HelpSlug;
  title: string;
  keywords: string;
  summary: string;
  headings: string;
  body: string;
}

const options: SearchOptions = {
  boost: { title: 2.5, keywords: 3, summary: 1.5, headings: 1.2, body: 1 },
  fuzzy: (term) => (isHan(term) || term.length < 5 ? false : 0.2),
  prefix: (term) => !isHan(term) && term.length >= 4,
  combineWith: 'OR',
};

export function buildIndex(library: ArticleLibrary): HelpIndex {
  const articles = {} as Record<Lang, MiniSearch<ArticleDoc>>;
  const passages = {} as Record<Lang, MiniSearch<Passage>>;
  const passageById = new Map<string, Passage>();
  for (const lang of LANGS) {
    articles[lang] = new MiniSearch<ArticleDoc>({
      fields: ['title', 'keywords', 'summary', 'headings', 'body'],
      storeFields: ['slug'],
      tokenize,
      processTerm: (term) => term,
      searchOptions: options,
    });
    passages[lang] = new MiniSearch<Passage>({
      fields: ['heading', 'text'],
      storeFields: ['slug'],
      tokenize,
      processTerm: (term) => term,
      searchOptions: { ...options, boost: { heading: 1.5, text: 1 } },
    });
    for (const article of library[lang].values()) {
      articles[lang].add({
        id: article.slug,
        slug: article.slug,
        title: article.title,
        keywords: article.keywords.join(' '),
        summary: article.summary,
        headings: article.passages.map((p) => p.heading).join(' '),
        body: article.passages.map((p) => p.text).join('\n'),
      });
      for (const passage of article.passages) passageById.set(passage.id, passage);
      passages[lang].addAll(article.passages);
    }
  }
  const languageOf = (question: string): Lang => (looksChinese(question) ? 'zh-CN' : 'en');

  return {
    languageOf,
    terms: (question) => [...new Set(tokenize(question))],
    rank(question) {
      const lang = languageOf(question);
      return articles[lang].search(question).map((hit) => ({ slug: hit.slug as HelpSlug, lang, score: hit.score, terms: hit.terms }));
    },
    passages(question, slug, lang) {
      const hits = passages[lang].search(question, { filter: (hit) => hit.slug === slug });
      const found = hits.map((hit) => passageById.get(hit.id as string)!);
      const all = library[lang].get(slug)!.passages;
      return found.length ? found : all.slice(0, 1);
    },
  };
}
