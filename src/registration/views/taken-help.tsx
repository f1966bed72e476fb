// The ways out the seeds offer when a phone or address is already in use: sign in, recover the
// password, or (waiting for activation) send the activation email again.
import { useI18n } from '../../views/i18n-context.ts';
import type { FieldError } from '../../views/components.tsx';
import { HelpLink } from '../../help/links.tsx';

const SIGN_IN_CODES = new Set(['register.phone_taken', 'register.email_taken', 'register.phone_bound', 'register.email_bound']);

export function TakenHelp(props: { error: FieldError | undefined; email?: string | undefined }) {
  const { t } = useI18n();
  if (!props.error) return null;
  if (SIGN_IN_CODES.has(props.error.code)) {
    return (
      <p class="help-links">
        <a href="/login">{t('register.go_login')}</a> · <a href="/recover/password">{t('register.go_recover')}</a> ·{' '}
        <HelpLink slug="phone-email-taken" newTab />
      </p>
    );
  }
  if (props.error.code === 'register.email_pending' && props.email) {
    // A separate form would nest inside the registration form; a formaction button avoids that.
    return (
      <p class="help-links">
        <button type="submit" class="link" formAction="/register/email/resend">
          {t('register.resend_activation')}
        </button>
      </p>
    );
  }
  if (props.error.code === 'register.email_ip_limited') {
    return (
      <p class="help-links">
        <HelpLink slug="email-ip-limited" newTab />
      </p>
    );
  }
  return null;
}
