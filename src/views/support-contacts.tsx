// The ways to reach customer service, placed where a page says 请联系客服: the configured
// SUPPORT_PHONE, SUPPORT_EMAIL and SUPPORT_HOURS, and always the online support request, so the
// sentence leads somewhere even where the operator configured no phone or address.
import { useI18n } from './i18n-context.ts';
import { usePageSettings } from './page-context.ts';

export function SupportContacts(props: { withForm?: boolean } = {}) {
  const { t } = useI18n();
  const { phone, email, hours } = usePageSettings().support;
  const withForm = props.withForm !== false;
  if (!phone && !email)
    return (
      withForm && (
        <p class="support-contacts">
          <a href="/support/new">{t('support.file_only')}</a>
        </p>
      )
    );
  return (
    <p class="support-contacts">
      {t('support.heading')}
      {phone && (
        <>
          {' '}
          {t('support.phone')} <a href={`tel:${phone.replace(/[^0-9+]/g, '')}`}>{phone}</a>
        </>
      )}
      {email && (
        <>
          {' '}
          {t('support.email')} <a href={`mailto:${email}`}>{email}</a>
        </>
      )}
      {hours && <> {t('support.hours', { hours })}</>}
      {withForm && (
        <>
          {t('support.separator')}
          <a href="/support/new">{t('support.file_online')}</a>
        </>
      )}
    </p>
  );
}
