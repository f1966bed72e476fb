// The documents a person agrees to at every way in: the user agreement (用户协议) and the
// personal-information policy (个人信息保护政策). Markdown files under <root>/<lang>/<kind>.md
// (the repository's legal/ by default, LEGAL_DIR for an operator's own), each with front matter
// naming its title and version, read once at start. One version per document across languages:
// the version is what an account agrees to, whichever language it read. Raw HTML is off, as for
// help articles. An operator publishes a new version by editing the files and raising `version`;
// every account is asked again at its next sign-in (sign-in's way on, consent/service.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { LANGS, type Lang } from '../i18n/index.ts';
import { parseFrontMatter } from '../lib/front-matter.ts';

export const LEGAL_ROOT = fileURLToPath(new URL('../../legal/', import.meta.url));

/** The documents every account agrees to, in the order the pages name them. */
export const LEGAL_DOCUMENTS = ['terms', 'privacy'] as const;
export type LegalDocumentKind = (typeof LEGAL_DOCUMENTS)[number];
export const isLegalDocument = (value: string): value is LegalDocumentKind => (LEGAL_DOCUMENTS as readonly string[]).includes(value);

export interface LegalDocument {
  kind: LegalDocumentKind;
  lang: Lang;
  title: string;
  version: string;
  html: string;
}

export interface LegalLibrary {
  document(kind: LegalDocumentKind, lang: Lang): LegalDocument;
  /** The current version of each document: what an account must have agreed to. */
  versions: Readonly<Record<LegalDocumentKind, string>>;
}

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
/** A version is what the consent record keeps: short, printable, no spaces. */
const VERSION = /^[0-9A-Za-z._-]{1,32}$/;

export function loadLegalDocuments(root: string = LEGAL_ROOT): LegalLibrary {
  const problems: string[] = [];
  const documents = new Map<string, LegalDocument>();
  const versions = {} as Record<LegalDocumentKind, string>;
  for (const kind of LEGAL_DOCUMENTS) {
    for (const lang of LANGS) {
      const file = join(root, lang, `${kind}.md`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        problems.push(`${file} is missing`);
        continue;
      }
      try {
        const { fields, body } = parseFrontMatter(text);
        const title = fields.title;
        const version = fields.version;
        if (typeof title !== 'string' || !title) throw new Error('front matter needs "title:"');
        if (typeof version !== 'string' || !VERSION.test(version)) throw new Error('front matter needs "version:" (letters, digits, . _ -; e.g. 2026-12-01)');
        if (versions[kind] !== undefined && versions[kind] !== version)
          throw new Error(`version ${version} differs from ${versions[kind]} in another language: one version per document`);
        versions[kind] = version;
        documents.set(`${kind}:${lang}`, { kind, lang, title, version, html: markdown.render(body) });
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
      }
    }
  }
  if (problems.length) throw new Error(`legal documents (LEGAL_DIR):\n  ${problems.join('\n  ')}`);
  return { document: (kind, lang) => documents.get(`${kind}:${lang}`)!, versions };
}
