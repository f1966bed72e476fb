// The help centre's pages: /help (categories), /help/<slug> (an article in the reader's
// language), /help/search?q=, /help/assistant (GET form and answer; POST answers too, for a
// form that posts) and /help/assistant/answer?q= (the same answer as JSON, for the chat script).
// A question that cannot be asked (empty, too long, two of them) gets its message in the reader's
// language and a 400 for JSON; nothing here answers 5xx to what a person types.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import type { Translate } from '../i18n/index.ts';
import { NO_PAGE_SETTINGS, type PageSettings } from '../views/page-context.ts';
import type { AssistantReply } from './assistant.ts';
import { checkQuestion } from './assistant.ts';
import { RateLimitedError } from '../lib/errors.ts';
import type { HelpCentre } from './centre.ts';
import { HELP_CATEGORIES, isHelpSlug } from './slugs.ts';
import { helpHref } from './links.tsx';
import { HelpHome } from './views/help-home.tsx';
import { ArticlePage } from './views/article-page.tsx';
import { SearchPage } from './views/search-page.tsx';
import { AssistantPage } from './views/assistant-page.tsx';

const SEARCH_RESULTS = 10;
/** Earlier questions of a chat carried into a support request. */
const EARLIER_QUESTIONS = 4;

export function registerHelpPages(app: FastifyInstance, help: HelpCentre): void {
  // Every page's help panel lists the articles written for it.
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST') return;
    const links = help.forPage(request.url.split('?')[0]!, request.lang);
    if (links.length) request.pageHelp = links.map((a) => ({ href: helpHref(a.slug), title: a.title }));
  });

  app.get('/help', async (request, reply) => {
    const categories = HELP_CATEGORIES.map((category) => ({ category, articles: help.inCategory(category, request.lang) }));
    return renderPage(request, reply, <HelpHome categories={categories} />, { title: request.t('help.title') });
  });

  app.get('/help/search', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).q;
    if (raw === undefined || raw === '') {
      return renderPage(request, reply, <SearchPage query="" results={undefined} />, { title: request.t('help.search.title_empty') });
    }
    const checked = checkQuestion(raw);
    if (checked.ok) await spendQuestion(help, request);
    if (!checked.ok) {
      return renderPage(request, reply, <SearchPage query="" results={undefined} error={{ code: checked.message, params: checked.params }} />, {
        title: request.t('help.search.title_empty'),
        status: 400,
      });
    }
    const results = help.index
      .rank(checked.text)
      .slice(0, SEARCH_RESULTS)
      .map((r) => {
        const article = help.library[request.lang].get(r.slug)!;
        return { slug: r.slug, title: article.title, summary: article.summary, href: helpHref(r.slug) };
      });
    return renderPage(request, reply, <SearchPage query={checked.text} results={results} />, { title: request.t('help.search.title', { q: checked.text }) });
  });

  const assistantPage = async (request: FastifyRequest, reply: FastifyReply, raw: unknown) => {
    const asked = raw !== undefined && raw !== '';
    const answer = asked ? await ask(help, request, raw) : undefined;
    const question = typeof raw === 'string' ? raw.slice(0, 200) : '';
    return renderPage(request, reply, <AssistantPage question={question} reply={answer} handoffHref={answer && handoffHref(help, answer)} />, {
      title: request.t('help.assistant.title'),
      status: answer?.kind === 'invalid' ? 400 : 200,
    });
  };
  app.get('/help/assistant', async (request, reply) => assistantPage(request, reply, (request.query as Record<string, unknown>).q));
  app.post('/help/assistant', async (request, reply) => assistantPage(request, reply, ((request.body ?? {}) as Record<string, unknown>).q));

  app.get('/help/assistant/answer', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    let answer: AssistantReply;
    try {
      answer = await ask(help, request, (request.query as Record<string, unknown>).q);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(429).send({ kind: 'invalid', message: request.t(error.code, error.params) });
    }
    if (answer.kind === 'invalid') return reply.status(400).send({ kind: 'invalid', message: request.t(answer.message, answer.params) });
    const handoff = handoffHref(help, answer, earlierQuestions((request.query as Record<string, unknown>).earlier));
    return reply.send({
      ...answerJson(answer, request.t),
      contacts: contactsText((reply.server.pageSettings ?? NO_PAGE_SETTINGS).support, request.t),
      labels: labels(request.t),
      ...(handoff ? { handoff: { intro: request.t('support.handoff_intro'), label: request.t('support.handoff'), href: handoff } } : {}),
    });
  });

  app.get<{ Params: { slug: string } }>('/help/:slug', async (request, reply) => {
    const slug = request.params.slug;
    if (!isHelpSlug(slug)) return reply.callNotFound();
    const article = help.library[request.lang].get(slug)!;
    const related = article.related.map((other) => help.library[request.lang].get(other)!);
    return renderPage(request, reply, <ArticlePage article={article} related={related} />, { title: article.title });
  });
}

/**
 * 转人工: the support request form prefilled with the conversation's questions (the chat sends the
 * earlier ones as `earlier`; the answer page has only the one), when support requests are wired in.
 */
function handoffHref(help: HelpCentre, answer: AssistantReply, earlier: readonly string[] = []): string | undefined {
  if (!help.handoff || answer.kind === 'invalid') return undefined;
  return help.handoff.formHref([...earlier, answer.question]);
}

/** The chat's earlier questions: the last few that could be asked, oldest first; anything else is dropped. */
function earlierQuestions(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values
    .map((value) => checkQuestion(value))
    .flatMap((checked) => (checked.ok ? [checked.text] : []))
    .slice(-EARLIER_QUESTIONS);
}

async function ask(help: HelpCentre, request: FastifyRequest, raw: unknown): Promise<AssistantReply> {
  if (checkQuestion(raw).ok) await spendQuestion(help, request);
  return help.assistant.ask({ text: raw, lang: request.lang, accountId: request.session?.accountId });
}

/** A question that will be answered spends one point: the signed-in person's, else the address's. */
async function spendQuestion(help: HelpCentre, request: FastifyRequest): Promise<void> {
  const accountId = request.session?.accountId;
  await help.limits?.consume('helpQuestions', accountId ? `account:${accountId}` : `ip:${request.ip}`);
}

/** The answer for the chat script: text only (the script sets textContent, never HTML). */
function answerJson(answer: Exclude<AssistantReply, { kind: 'invalid' }>, t: Translate) {
  const passage = (p: { heading: string; text: string; source: string }) => ({ heading: p.heading, text: p.text, source: p.source });
  const link = (a: { title: string; href: string }) => ({ title: a.title, href: a.href });
  if (answer.kind === 'none') return { kind: 'none', question: answer.question, message: t('help.answer.none'), fromAccount: answer.fromAccount.map(passage) };
  return {
    kind: 'answer',
    question: answer.question,
    article: link(answer.article),
    passages: answer.passages.map(passage),
    candidates: answer.candidates.map(link),
    clarify: answer.clarify?.map(link) ?? null,
    fromAccount: answer.fromAccount.map(passage),
  };
}

/**
 * The customer-service contacts as one line, as the answer page's contact block reads: the chat
 * shows it where the page would (no answer: under 仍未解决; an answer: beside the handoff).
 */
function contactsText(support: PageSettings['support'], t: Translate): string {
  if (!support.phone && !support.email) return t('help.support.none');
  const parts = [support.phone && `${t('support.phone')} ${support.phone}`, support.email && `${t('support.email')} ${support.email}`].filter(Boolean);
  return `${t('support.heading')}${parts.join(' ')}${support.hours ? t('support.hours', { hours: support.hours }) : ''}`;
}

function labels(t: Translate) {
  return {
    best: t('help.answer.best'),
    readArticle: t('help.answer.read_article'),
    candidates: t('help.answer.candidates'),
    clarify: t('help.answer.clarify'),
    fromAccount: t('help.answer.from_account'),
  };
}
