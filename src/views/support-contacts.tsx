// The configured ways to reach customer service (SUPPORT_PHONE, SUPPORT_EMAIL, SUPPORT_HOURS),
// placed where a page says 请联系客服; nothing at all when none is configured, so the sentence
// stands as it did.
import { useI18n } from './i18n-context.ts';
import { usePageSettings } from './page-context.ts';

export function SupportContacts() {
  const { t } = useI18n();
  const { phone, email, hours } = usePageSettings().support;
  if (!phone && !email) return null;
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
    </p>
  );
}
