import { useI18n } from '../../views/i18n-context.ts';

export function RegisterTabs(props: { active: 'phone' | 'email' | 'enterprise' }) {
  const { t } = useI18n();
  return (
    <nav class="tabs" aria-label={t('register.title')}>
      <a href="/register/phone" aria-current={props.active === 'phone' ? 'page' : undefined}>
        {t('register.by_phone')}
      </a>
      <a href="/register/email" aria-current={props.active === 'email' ? 'page' : undefined}>
        {t('register.by_email')}
      </a>
      <a href="/register/enterprise" aria-current={props.active === 'enterprise' ? 'page' : undefined}>
        {t('register.by_enterprise')}
      </a>
    </nav>
  );
}
