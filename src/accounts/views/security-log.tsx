// 安全记录: a table of recent sign-ins and changes, newest first; failures marked.
import { isMessageKey } from '../../i18n/index.ts';
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Notice } from '../../views/components.tsx';
import type { SecurityLogEntry } from '../security-log.ts';

export interface SecurityLogProps {
  entries: SecurityLogEntry[];
  recoveredAt: Date | null;
  socialBindingBlockedUntil: Date | null;
}

/** How a sign-in happened (password, registration …), when the page has words for it. */
function Via(props: { via: string | undefined }) {
  const { t, lang } = useI18n();
  const key = `audit.via.${props.via}`;
  if (!props.via || !isMessageKey(key)) return null;
  return <>{lang === 'en' ? ` (${t(key)})` : `（${t(key)}）`}</>;
}

export function SecurityLogPage(props: SecurityLogProps) {
  const { t, lang } = useI18n();
  return (
    <>
      <p>{t('security.intro')}</p>
      {(props.recoveredAt || props.socialBindingBlockedUntil) && (
        <Notice kind="info">
          {props.recoveredAt && t('security.recovered', { at: formatBeijing(props.recoveredAt, lang) })}
          {props.recoveredAt && props.socialBindingBlockedUntil && ' '}
          {props.socialBindingBlockedUntil && t('security.social_paused', { until: formatBeijing(props.socialBindingBlockedUntil, lang) })}
        </Notice>
      )}
      <table class="log" id="security-log">
        <thead>
          <tr>
            <th>{t('security.when')}</th>
            <th>{t('security.what')}</th>
            <th>{t('security.ip')}</th>
            <th>{t('security.device')}</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr key={entry.id} class={entry.warning ? 'warning' : undefined}>
              <td>{formatBeijing(entry.at, lang)}</td>
              <td>
                {entry.label[lang]}
                <Via via={entry.via} />
              </td>
              <td>{entry.ip ?? ''}</td>
              <td>{entry.device}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
