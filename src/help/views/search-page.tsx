// /help/search?q=: the articles a search finds, best first.
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';
import type { ArticleRef } from '../assistant.ts';
import { SearchForm } from './search-form.tsx';

export function SearchPage(props: { query: string; results: ArticleRef[] | undefined; error?: Message | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <SearchForm value={props.query} />
      {props.error && <Notice kind="error">{t(props.error.code, props.error.params)}</Notice>}
      {props.results && (
        <>
          <p role="status">{props.results.length ? t('help.search.results', { count: props.results.length }) : t('help.search.none')}</p>
          <ol class="help-article-list">
            {props.results.map((r) => (
              <li key={r.slug}>
                <a href={r.href}>{r.title}</a>
                <span class="hint">{r.summary}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      <p>
        <a href="/help/assistant">{t('help.assistant.title')}</a> · <a href="/help">{t('help.article.back')}</a>
      </p>
    </>
  );
}
