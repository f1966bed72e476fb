// How other modules' pages point at an article: helpHref('id-already-registered') or
// <HelpLink slug="…" />, which reads the article's title in the reader's language from the
// catalogue (help.link.<slug>), so a link says what it opens.
import type { HelpSlug } from './slugs.ts';
import { useI18n } from '../views/i18n-context.ts';
import type { MessageKey } from '../i18n/index.ts';

export const helpHref = (slug: HelpSlug): string => `/help/${slug}`;

export function HelpLink(props: { slug: HelpSlug; /** Text instead of the article's title. */ label?: MessageKey }) {
  const { t } = useI18n();
  return (
    <a href={helpHref(props.slug)} class="help-article-link">
      {t(props.label ?? (`help.link.${props.slug}` as const))}
    </a>
  );
}
