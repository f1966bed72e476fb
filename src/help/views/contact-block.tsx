import { useI18n } from '../../views/i18n-context.ts';
import { usePageSettings } from '../../views/page-context.ts';
import { SupportContacts } from '../../views/support-contacts.tsx';

/** The configured customer-service contacts, or where they are published when none are configured. */
export function ContactBlock() {
  const { t } = useI18n();
  const { phone, email } = usePageSettings().support;
  return phone || email ? <SupportContacts /> : <p>{t('help.support.none')}</p>;
}
