// The left-hand account menu: the entries that apply to the person, the current page marked
// (aria-current="page"). On a narrow screen it stacks above the page as a wrapping list.
import { useI18n } from '../../views/i18n-context.ts';
import type { AccountMenuEntry } from '../account-menu.ts';

export function AccountMenu(props: { entries: readonly AccountMenuEntry[]; current: AccountMenuEntry | undefined }) {
  const { t } = useI18n();
  return (
    <nav class="account-menu" id="account-menu" aria-label={t('menu.label')}>
      <ul>
        {props.entries.map((entry) => (
          <li key={entry.key}>
            <a href={entry.href} aria-current={entry === props.current ? 'page' : undefined}>
              {t(entry.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
