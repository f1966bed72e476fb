// The ZIP a person downloads: index.html to read, and one JSON file per section to keep or feed
// to a program (dates as ISO 8601 in UTC).
import { renderToString } from 'preact-render-to-string';
import { parseLang, translator } from '../i18n/index.ts';
import { writeZip } from './zip.ts';
import { SECTION_NAMES } from './section-names.ts';
import type { Sections } from './sections.ts';
import { ExportIndex } from './views/export-index.tsx';

export function buildArchive(sections: Sections, options: { lang: string; at: Date }): Buffer {
  const lang = parseLang(options.lang) ?? 'zh-CN';
  const html = `<!doctype html>\n${renderToString(<ExportIndex sections={sections} lang={lang} t={translator(lang)} generatedAt={options.at} />)}`;
  return writeZip(
    [{ name: 'index.html', data: html }, ...SECTION_NAMES.map((name) => ({ name: `${name}.json`, data: `${JSON.stringify(sections[name], null, 2)}\n` }))],
    options.at,
  );
}
