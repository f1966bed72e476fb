// The answers of the activation link (seed 004 四), with a resend form when it has expired.
import { useI18n } from '../../http/i18n.ts';
import { Field, Form, Notice, Submit } from '../../views/components.tsx';
import type { ActivationResult } from '../registration-service.ts';

export function ActivationPage(props: { result: ActivationResult }) {
  const { t } = useI18n();
  const r = props.result;
  if (r.status === 'activated')
    return (
      <>
        <Notice kind="success">{t('activate.done_body', { email: r.email })}</Notice>
        <p>
          <a class="button primary" href="/login">
            {t('nav.login')}
          </a>
        </p>
      </>
    );
  if (r.status === 'already_active')
    return (
      <>
        <Notice kind="info">{t('activate.already')}</Notice>
        <p>
          <a href="/login">{t('nav.login')}</a>
        </p>
      </>
    );
  if (r.status === 'expired')
    return (
      <>
        <Notice kind="error">{t('activate.expired')}</Notice>
        <Form action="/register/email/resend">
          <Field name="email" label={t('register.email')} type="email" value={r.email} />
          <Submit>{t('register.resend_activation')}</Submit>
        </Form>
      </>
    );
  return <Notice kind="error">{t('activate.invalid')}</Notice>;
}
