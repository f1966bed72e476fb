// The help centre's pages: /help (categories), /help/<slug> (an article in the reader's
// language), /help/search?q=, /help/assistant (GET form and answer; POST answers too, for a
// form that posts) and /help/assistant/answer?q= (the same answer as JSON, for the chat script).
// A question that cannot be asked (empty, too long, two of them) gets its message in the reader's
// language and a 400 for JSON; nothing here answers 5xx to what a person types.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import type { Translate } from '../i18n/index.ts';
import type { AssistantReply } from './assistant.ts';
import { checkQuestion } from './assistant.ts';
import type { HelpCentre } from './centre.ts';
import { HELP_CATEGORIES, isHelpSlug } from './slugs.ts';
import { helpHref } from './links.tsx';
import { HelpHome } from './views/help-home.tsx';
import { ArticlePage } from './views/article-page.tsx';
import { SearchPage } from './views/search-page.tsx';
import { AssistantPage } from './views/assistant-page.tsx';

const SEARCH_RESULTS = 10;

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
    const answer = await ask(help, request, (request.query as Record<string, unknown>).q);
    reply.header('cache-control', 'no-store');
    if (answer.kind === 'invalid') return reply.status(400).send({ kind: 'invalid', message: request.t(answer.message, answer.params) });
    const handoff = handoffHref(help, answer);
    return reply.send({
      ...answerJson(answer, request.t),
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

/** 转人工: the support request form prefilled with the question, when support requests are wired in. */
function handoffHref(help: HelpCentre, answer: AssistantReply): string | undefined {
  if (!help.handoff || answer.kind === 'invalid') return undefined;
  return help.handoff.formHref([{ question: answer.question, answeredWith: answer.kind === 'answer' ? answer.article.slug : undefined }]);
}

function ask(help: HelpCentre, request: FastifyRequest, raw: unknown): Promise<AssistantReply> {
  return help.assistant.ask({ text: raw, lang: request.lang, accountId: request.session?.accountId });
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

function labels(t: Translate) {
  return {
    best: t('help.answer.best'),
    readArticle: t('help.answer.read_article'),
    candidates: t('help.answer.candidates'),
    clarify: t('help.answer.clarify'),
    fromAccount: t('help.answer.from_account'),
  };
}
