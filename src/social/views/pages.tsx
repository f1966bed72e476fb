// The pages of a scan that did not end in 帐号管理: an identity bound to no account (sign in with the
// password and bind, or register), the confirmation after that sign-in, and a failure.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Submit } from '../../views/components.tsx';
import { SupportContacts } from '../../views/support-contacts.tsx';
import type { Message } from '../../i18n/index.ts';
import type { SocialProviderName } from '../provider.ts';

export function UnboundIdentityPage(props: { provider: SocialProviderName; displayName: string | undefined; loginHref: string }) {
  const { t } = useI18n();
  const provider = t(`social.provider.${props.provider}`);
  return (
    <>
      <p id="social-unbound">{t('social.unbound_body', { provider, name: props.displayName ?? provider })}</p>
      <ul class="links">
        <li>
          <a href={props.loginHref} id="social-unbound-login">
            {t('social.unbound_sign_in')}
          </a>{' '}
          — {t('social.unbound_sign_in_hint', { provider })}
        </li>
        <li>
          <a href={`/register?next=${encodeURIComponent('/account/social/pending')}`} id="social-unbound-register">
            {t('social.unbound_register')}
          </a>{' '}
          — {t('social.unbound_register_hint', { provider })}
        </li>
      </ul>
    </>
  );
}

export function ConfirmBindingPage(props: { provider: SocialProviderName; displayName: string | undefined; formError?: Message | undefined }) {
  const { t } = useI18n();
  const provider = t(`social.provider.${props.provider}`);
  return (
    <>
      <ErrorSummary errors={{}} formError={props.formError} />
      <p id="social-confirm">{t('social.confirm_body', { provider, name: props.displayName ?? provider })}</p>
      <Form action="/account/social/pending" id="social-confirm-form">
        <Submit id="social-confirm-submit">{t('social.confirm_submit')}</Submit>
      </Form>
    </>
  );
}

export function SocialFailurePage(props: { provider: SocialProviderName; error: Message; signedIn: boolean; retryHref: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={{}} formError={props.error} />
      {(props.error.code === 'login.account_unavailable' || props.error.code === 'social.failure.misconfigured') && <SupportContacts />}
      <p class="help-links">
        {props.retryHref && (
          <>
            <a href={props.retryHref} id="social-retry">
              {t('social.try_again')}
            </a>{' '}
            ·{' '}
          </>
        )}
        <a href={props.signedIn ? '/account/social' : '/login'}>{props.signedIn ? t('social.title') : t('social.back_to_login')}</a>
      </p>
    </>
  );
}
