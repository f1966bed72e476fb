// The assistant: a question in, the best answer out — passages of the article that ranks first,
// the next two articles as candidates, and a clarifying question when the question could mean
// more than one thing. Every word of an answer is a passage of an article (or, later, of another
// AnswerSource); nothing is made up, and a question nothing answers is told so, with the ways to
// reach people.
//
// Two seams for later work:
//   - AnswerSource: a module that knows the signed-in person's account (say, "your photo review
//     is waiting since …") adds its passages through `sources`; they are shown above the articles'.
//   - SupportHandoff: a conversation turned into a support request; when none is given, the
//     answer page offers the customer-service contacts instead.
import type { Lang, MessageKey, MessageParams } from '../i18n/index.ts';
import type { ArticleLibrary, Passage } from './articles.ts';
import type { HelpIndex, RankedArticle } from './search.ts';
import type { HelpSlug } from './slugs.ts';
import { helpHref } from './links.tsx';

/** Longest question taken, in characters (a question, not a letter). */
export const MAX_QUESTION_CHARS = 200;

export interface AssistantQuestion {
  text: string;
  /** The reader's language (the page's). */
  lang: Lang;
  /** The signed-in person, for sources that answer from their account. */
  accountId?: string | undefined;
}

export interface ArticleRef {
  slug: HelpSlug;
  title: string;
  summary: string;
  href: string;
}

export interface AnswerPassage {
  /** Where it comes from: 'articles', or the name of the AnswerSource. */
  source: string;
  heading: string;
  text: string;
  html: string;
  article?: ArticleRef;
}

/** A later module's answers from the person's own account (not the articles). */
export interface AnswerSource {
  name: string;
  answer(question: AssistantQuestion): Promise<AnswerPassage[]>;
}

/**
 * Turns a conversation into a support request: where the person files it, prefilled with what they
 * asked, oldest question first (they choose a category and, signed out, give a contact and solve
 * the captcha there). Only the questions travel: the articles shown are the help centre's and
 * staff can read them; what the person typed is what only they know.
 */
export interface SupportHandoff {
  formHref(questions: readonly string[]): string;
}

export type AssistantReply =
  | { kind: 'invalid'; message: MessageKey; params?: MessageParams }
  | { kind: 'none'; question: string; fromAccount: AnswerPassage[] }
  | {
      kind: 'answer';
      question: string;
      lang: Lang;
      article: ArticleRef;
      passages: AnswerPassage[];
      /** The next two articles. */
      candidates: ArticleRef[];
      /** Set when the question could mean several articles: which one? */
      clarify: ArticleRef[] | undefined;
      fromAccount: AnswerPassage[];
    };

/** Two articles scoring this close (the second's share of the first's) make a question ambiguous. */
const AMBIGUOUS_RATIO = 0.8;
/** Below this score the best match is a coincidence of a common word, not an answer. */
const MIN_SCORE = 3;

export type QuestionCheck = { ok: true; text: string } | { ok: false; message: MessageKey; params?: MessageParams };

/** A question as typed: one string, trimmed, with letters or digits, not too long. */
export function checkQuestion(value: unknown): QuestionCheck {
  if (Array.isArray(value)) return { ok: false, message: 'help.ask.one_question' };
  if (typeof value !== 'string') return { ok: false, message: 'help.ask.empty' };
  // Control characters (a pasted NUL, a stray escape) are not part of a question.
  // eslint-disable-next-line no-control-regex
  const text = value
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return { ok: false, message: 'help.ask.empty' };
  if ([...text].length > MAX_QUESTION_CHARS) return { ok: false, message: 'help.ask.too_long', params: { max: MAX_QUESTION_CHARS } };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, message: 'help.ask.no_words' };
  return { ok: true, text };
}

export interface Assistant {
  /** `text` as it arrived (a query value may be missing or repeated): checked before anything else. */
  ask(question: Omit<AssistantQuestion, 'text'> & { text: unknown }): Promise<AssistantReply>;
}

export function createAssistant(library: ArticleLibrary, index: HelpIndex, sources: readonly AnswerSource[] = []): Assistant {
  const ref = (slug: HelpSlug, lang: Lang): ArticleRef => {
    const article = library[lang].get(slug)!;
    return { slug, title: article.title, summary: article.summary, href: helpHref(slug) };
  };
  const fromPassage = (passage: Passage, article: ArticleRef): AnswerPassage => ({
    source: 'articles',
    heading: passage.heading,
    text: passage.text,
    html: passage.html,
    article,
  });

  return {
    async ask(question) {
      const checked = checkQuestion(question.text);
      if (!checked.ok) return { kind: 'invalid', message: checked.message, ...(checked.params ? { params: checked.params } : {}) };
      const text = checked.text;
      const fromAccount = (await Promise.all(sources.map((source) => source.answer({ ...question, text })))).flat();
      const ranked = index.rank(text);
      const best = ranked[0];
      if (!best || best.score < MIN_SCORE) return { kind: 'none', question: text, fromAccount };
      const lang = best.lang;
      const article = ref(best.slug, lang);
      // The article's best passage, and its second when that one also matched well.
      const found = index.passages(text, best.slug, lang).slice(0, 2);
      return {
        kind: 'answer',
        question: text,
        lang,
        article,
        passages: found.map((p) => fromPassage(p, article)),
        candidates: ranked.slice(1, 3).map((r) => ref(r.slug, lang)),
        clarify: ambiguity(ranked, index.terms(text))?.map((r) => ref(r.slug, lang)),
        fromAccount,
      };
    },
  };
}

/**
 * The articles a question could mean, when it could mean several: the runners-up scoring nearly
 * as high as the first, or — for a one-word question (帐号, register) — the first three.
 */
function ambiguity(ranked: RankedArticle[], terms: string[]): RankedArticle[] | undefined {
  const [first, second] = ranked;
  if (!first || !second) return undefined;
  const close = ranked.slice(0, 3).filter((r) => r.score >= first.score * AMBIGUOUS_RATIO);
  if (close.length > 1) return close;
  if (terms.length <= 1) return ranked.slice(0, 3);
  return undefined;
}
