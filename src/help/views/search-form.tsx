import { useI18n } from '../../views/i18n-context.ts';

/** The help search box (GET /help/search?q=). */
export function SearchForm(props: { value?: string }) {
  const { t } = useI18n();
  return (
    <form method="get" action="/help/search" role="search" aria-label={t('help.search.label')} class="help-search">
      <label for="help-search-q">{t('help.search.label')}</label>
      <span class="help-ask-row">
        <input id="help-search-q" name="q" type="search" maxLength={200} value={props.value} />
        <button type="submit">{t('help.search.submit')}</button>
      </span>
    </form>
  );
}
