// 找回用户名 / 找回密码: the two self-service ways back in, and customer service after them.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { HelpLinks } from '../../help/links.tsx';

export function RecoverHomePage() {
  const { t } = useI18n();
  return (
    <>
      <p>{t('recover.intro')}</p>
      <SupportContacts />
      <ul class="choices">
        <li>
          <a href="/recover/username" id="recover-username">
            {t('recover.username_title')}
          </a>
        </li>
        <li>
          <a href="/recover/password" id="recover-password">
            {t('recover.password_title')}
          </a>
        </li>
        <li>
          <a href="/recover/enterprise" id="recover-enterprise">
            {t('enterprise.lookup_title')}
          </a>
        </li>
      </ul>
      <HelpLinks slugs={['recover-username', 'recover-password', 'contact-support']} />
    </>
  );
}
