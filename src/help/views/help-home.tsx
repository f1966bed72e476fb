// /help: the categories and their articles, a search box and the way to the assistant.
import { useI18n } from '../../views/i18n-context.ts';
import { ContactBlock } from './contact-block.tsx';
import type { Article } from '../articles.ts';
import { helpHref } from '../links.tsx';
import type { HelpCategory } from '../slugs.ts';
import { SearchForm } from './search-form.tsx';

export function HelpHome(props: { categories: Array<{ category: HelpCategory; articles: Article[] }> }) {
  const { t } = useI18n();
  return (
    <>
      <p>{t('help.intro')}</p>
      <SearchForm />
      <p>
        <a href="/help/assistant" class="help-assistant-link">
          {t('help.assistant.title')}
        </a>{' '}
        — {t('help.assistant.intro')}
      </p>
      {props.categories.map(({ category, articles }) => (
        <section key={category} class="help-category" id={`category-${category}`} aria-labelledby={`h-${category}`}>
          <h2 id={`h-${category}`}>{t(`help.category.${category}`)}</h2>
          <ul class="help-article-list">
            {articles.map((article) => (
              <li key={article.slug}>
                <a href={helpHref(article.slug)}>{article.title}</a>
                <span class="hint">{article.summary}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2 id="contact">{t('help.support.title')}</h2>
      <ContactBlock />
    </>
  );
}
