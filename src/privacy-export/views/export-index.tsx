// index.html inside the ZIP: every section as headings, lists and definition lists, readable in
// any browser offline (no script, no outside style), in the language the person asked in. The
// same data is in full in each section's JSON file beside it.
import type { ComponentChildren } from 'preact';
import type { Lang, MessageKey, Translate } from '../../i18n/index.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { SECTION_NAMES } from '../section-names.ts';
import type { Sections } from '../sections.ts';

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}' +
  'dl{margin:.25rem 0 .5rem 1rem}dt{font-weight:600}dd{margin:0 0 .25rem 1rem;overflow-wrap:anywhere}' +
  'section{border-top:1px solid #ccc;margin-top:1.5rem}ol{padding-left:1.5rem}.file{color:#555}';

function Value(props: { value: unknown; none: string; lang: Lang }): ComponentChildren {
  const { value, none, lang } = props;
  if (value === null || value === undefined || value === '') return <span>{none}</span>;
  if (value instanceof Date) return <span>{formatBeijing(value, lang)}</span>;
  if (Array.isArray(value))
    return value.length === 0 ? (
      <span>{none}</span>
    ) : (
      <ol>
        {value.map((item) => (
          <li>
            <Value value={item} none={none} lang={lang} />
          </li>
        ))}
      </ol>
    );
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span>{none}</span>;
    return (
      <dl>
        {entries.map(([key, inner]) => (
          <>
            <dt>{key}</dt>
            <dd>
              <Value value={inner} none={none} lang={lang} />
            </dd>
          </>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}

export function ExportIndex(props: { sections: Sections; lang: Lang; t: Translate; generatedAt: Date }) {
  const { t, lang } = props;
  const none = t('export.index.none');
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('export.index.title')}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <h1>{t('export.index.title')}</h1>
        <p>{t('export.index.generated', { at: formatBeijing(props.generatedAt, lang) })}</p>
        <p>{t('export.index.intro')}</p>
        <ul>
          {SECTION_NAMES.map((name) => (
            <li>
              <a href={`#${name}`}>{t(`export.section.${name}` as MessageKey)}</a>
            </li>
          ))}
        </ul>
        {SECTION_NAMES.map((name) => (
          <section id={name}>
            <h2>{t(`export.section.${name}` as MessageKey)}</h2>
            <p class="file">
              {t('export.index.file', { file: `${name}.json` })} (<a href={`${name}.json`}>{name}.json</a>)
            </p>
            <Value value={props.sections[name]} none={none} lang={lang} />
          </section>
        ))}
      </body>
    </html>
  );
}
