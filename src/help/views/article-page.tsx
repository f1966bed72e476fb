// /help/<slug>: one article in the reader's language, its related articles and the way on.
import { useI18n } from '../../views/i18n-context.ts';
import type { Article } from '../articles.ts';
import { helpHref } from '../links.tsx';
import { ContactBlock } from './contact-block.tsx';

export function ArticlePage(props: { article: Article; related: Article[] }) {
  const { t } = useI18n();
  const { article } = props;
  return (
    <>
      <p class="help-breadcrumb">
        <a href="/help">{t('help.title')}</a> › <a href={`/help#category-${article.category}`}>{t(`help.category.${article.category}`)}</a>
      </p>
      {/* markdown-it output of our own files, raw HTML off (articles.ts): escaped text and its own tags only. */}
      <div class="help-article" dangerouslySetInnerHTML={{ __html: article.html }} />
      {props.related.length > 0 && (
        <section aria-labelledby="related-title">
          <h2 id="related-title">{t('help.article.related')}</h2>
          <ul class="help-article-list">
            {props.related.map((other) => (
              <li key={other.slug}>
                <a href={helpHref(other.slug)}>{other.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/help/assistant">{t('help.article.ask')}</a> · <a href="/help">{t('help.article.back')}</a>
      </p>
      <ContactBlock />
    </>
  );
}
