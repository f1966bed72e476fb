// The articles: Markdown files under help/<lang>/<category>/<slug>.md, read once at start,
// checked against the list in slugs.ts (every article in every language, nothing unlisted, the
// category its folder says, every /help/… link pointing at an article) and rendered to HTML by
// markdown-it with raw HTML off — our own files, but a stray tag is still text, never markup.
// Each article is also cut into passages (its introduction and each `##` section): what the
// assistant answers with.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { LANGS, type Lang } from '../i18n/index.ts';
import { parseFrontMatter } from '../lib/front-matter.ts';
import { HELP_ARTICLES, HELP_CATEGORIES, isHelpSlug, type HelpCategory, type HelpSlug } from './slugs.ts';

export const HELP_ROOT = fileURLToPath(new URL('../../help/', import.meta.url));

export interface Passage {
  /** `<lang>:<slug>#<n>`, unique over every language. */
  id: string;
  slug: HelpSlug;
  lang: Lang;
  /** The section's heading (the article's title for its introduction). */
  heading: string;
  /** Plain text, for search and for answers shown as text. */
  text: string;
  html: string;
}

export interface Article {
  slug: HelpSlug;
  lang: Lang;
  category: HelpCategory;
  title: string;
  summary: string;
  keywords: string[];
  /** Paths of our pages this article helps with (a page shows it in its help panel). */
  pages: string[];
  related: HelpSlug[];
  html: string;
  passages: Passage[];
}

export type ArticleLibrary = Record<Lang, ReadonlyMap<HelpSlug, Article>>;

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** /help/<slug> links in a Markdown text, with or without a #part. */
export const helpLinksIn = (text: string) => [...text.matchAll(/\]\(\/help\/([a-z0-9-]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);

export function loadArticles(root: string = HELP_ROOT): ArticleLibrary {
  const problems: string[] = [];
  const library = {} as Record<Lang, Map<HelpSlug, Article>>;
  for (const lang of LANGS) {
    const articles = new Map<HelpSlug, Article>();
    library[lang] = articles;
    for (const file of markdownFiles(join(root, lang))) {
      const rel = relative(root, file);
      const [category, name] = relative(join(root, lang), file).split('/');
      const slug = name?.replace(/\.md$/, '') ?? '';
      if (!isHelpSlug(slug)) {
        problems.push(`${rel}: not in HELP_ARTICLES (src/help/slugs.ts)`);
        continue;
      }
      if (HELP_ARTICLES[slug] !== category) problems.push(`${rel}: belongs in ${HELP_ARTICLES[slug]}/`);
      try {
        articles.set(slug, parseArticle(readFileSync(file, 'utf8'), slug, lang, HELP_ARTICLES[slug]));
      } catch (error) {
        problems.push(`${rel}: ${(error as Error).message}`);
      }
    }
    for (const slug of Object.keys(HELP_ARTICLES) as HelpSlug[])
      if (!articles.has(slug)) problems.push(`help/${lang}/${HELP_ARTICLES[slug]}/${slug}.md is missing`);
  }
  if (problems.length) throw new Error(`help articles:\n  ${problems.join('\n  ')}`);
  return library;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
    });
}

function parseArticle(text: string, slug: HelpSlug, lang: Lang, category: HelpCategory): Article {
  const { fields, body } = parseFrontMatter(text);
  const title = single(fields, 'title');
  const summary = single(fields, 'summary');
  if (fields.category !== category) throw new Error(`category: ${String(fields.category)}, expected ${category}`);
  const related = list(fields, 'related');
  for (const other of [...related, ...helpLinksIn(body)]) if (!isHelpSlug(other)) throw new Error(`links to /help/${other}, which is no article`);
  if (!HELP_CATEGORIES.includes(category)) throw new Error(`unknown category ${category}`);
  return {
    slug,
    lang,
    category,
    title,
    summary,
    keywords: list(fields, 'keywords'),
    pages: list(fields, 'pages'),
    related: related as HelpSlug[],
    html: markdown.render(body),
    passages: passages(body, slug, lang, title, summary),
  };
}

function single(fields: Record<string, string | string[]>, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || !value) throw new Error(`front matter needs ${key}`);
  return value;
}

function list(fields: Record<string, string | string[]>, key: string): string[] {
  const value = fields[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The introduction (under the title) and each `## ` section, as passages. */
function passages(body: string, slug: HelpSlug, lang: Lang, title: string, summary: string): Passage[] {
  const sections: Array<{ heading: string; source: string }> = [{ heading: title, source: '' }];
  for (const line of body.split(/\r?\n/)) {
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) sections.push({ heading: heading[1]!.trim(), source: '' });
    else sections[sections.length - 1]!.source += `${line}\n`;
  }
  if (!sections[0]!.source.trim()) sections[0]!.source = summary;
  return sections
    .filter((s) => s.source.trim())
    .map((s, n) => ({ id: `${lang}:${slug}#${n}`, slug, lang, heading: s.heading, text: plainText(s.source), html: markdown.render(s.source) }));
}

/** Markdown to the words a person reads: links keep their text, marks and list bullets go. */
export function plainText(source: string): string {
  return source
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/^#+\s*/gm, '')
    .replace(/[*_`>]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
