// How other modules' pages point at an article: helpHref('id-already-registered') or
// <HelpLink slug="…" />, which reads the article's title in the reader's language from the
// catalogue (help.link.<slug>), so a link says what it opens.
import type { HelpSlug } from './slugs.ts';
import { useI18n } from '../views/i18n-context.ts';
import type { MessageKey } from '../i18n/index.ts';

export const helpHref = (slug: HelpSlug): string => `/help/${slug}`;

export function HelpLink(props: {
  slug: HelpSlug;
  /** Text instead of the article's title. */
  label?: MessageKey;
  /** Beside a refused form (the answer to a POST), open elsewhere so what was typed stays. */
  newTab?: boolean;
}) {
  const { t } = useI18n();
  return (
    <a href={helpHref(props.slug)} class="help-article-link" {...(props.newTab ? { target: '_blank', rel: 'noopener' } : {})}>
      {t(props.label ?? (`help.link.${props.slug}` as const))}
    </a>
  );
}

/** A line of articles for the page it stands on: 相关帮助：A · B. */
export function HelpLinks(props: { slugs: readonly HelpSlug[]; newTab?: boolean }) {
  const { t } = useI18n();
  return (
    <p class="help-more">
      {t('help.more')}
      {props.slugs.map((slug, i) => (
        <>
          {i > 0 && ' · '}
          <HelpLink key={slug} slug={slug} newTab={props.newTab} />
        </>
      ))}
    </p>
  );
}
