// What the owner of a deregistered account sees after typing its password: when and why it was
// deregistered (someone else's doing, when a verification caused it), and the ways on — dispute
// it (a fresh 这不是我本人操作 link, behind the ticket the sign-in gave), or recover the username of
// another account.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { MessageKey } from '../../i18n/index.ts';

const REASONS: Record<string, MessageKey> = {
  duplicate_id_resolved: 'login.deregistered_reason.duplicate_id_resolved',
  wrong_id_number: 'login.deregistered_reason.wrong_id_number',
  enterprise_code_confirmed: 'login.deregistered_reason.enterprise_code_confirmed',
  self_requested: 'login.deregistered_reason.self_requested',
};

export function DeregisteredPage(props: { deregisteredAt: Date | undefined; reason: string | undefined; ticket: string }) {
  const { t, lang } = useI18n();
  const reason = props.reason ? REASONS[props.reason] : undefined;
  return (
    <>
      <Notice kind="error">
        <span id="deregistered-when">
          {props.deregisteredAt ? t('login.deregistered_when', { when: formatBeijing(props.deregisteredAt, lang) }) : t('login.deregistered')}
        </span>
      </Notice>
      {reason && <p id="deregistered-reason">{t(reason)}</p>}
      {props.reason === 'duplicate_id_resolved' && (
        <p>
          {t('login.deregistered_dispute_intro')}{' '}
          <a id="dispute-link" href={`/dispute/start?ticket=${encodeURIComponent(props.ticket)}`} rel="noreferrer">
            {t('login.deregistered_dispute')}
          </a>
        </p>
      )}
      <p>
        {t('login.deregistered_other')} <a href="/recover/username">{t('recover.username_title')}</a>
      </p>
      <p>{t('login.deregistered_support')}</p>
      <SupportContacts />
    </>
  );
}
