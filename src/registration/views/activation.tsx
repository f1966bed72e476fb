// The answers of the activation link (seed 004 四), with a resend form when it has expired.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { ActivationResult } from '../service.ts';
import { HelpLinks } from '../../help/links.tsx';

export function ActivationPage(props: { result: ActivationResult; token?: string; errors?: FieldErrors }) {
  const { t } = useI18n();
  const r = props.result;
  if (r.status === 'ready' || r.status === 'activated')
    return (
      <>
        <ErrorSummary errors={props.errors} />
        <p class="lead">{t('activate.set_password', { email: r.email })}</p>
        <Form action="/activate" id="activate-form">
          <input type="hidden" name="token" value={props.token} />
          <Field
            name="password"
            label={t('register.password')}
            type="password"
            autocomplete="new-password"
            error={props.errors?.password}
            hint={t('password.hint')}
            maxLength={128}
          />
          <Submit id="activate-submit">{t('activate.submit')}</Submit>
        </Form>
      </>
    );
  if (r.status === 'already_active')
    return (
      <>
        <Notice kind="info">{t('activate.already')}</Notice>
        <p>
          <a href="/login">{t('nav.login')}</a>
        </p>
        <HelpLinks slugs={['email-activation']} />
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
        <HelpLinks slugs={['email-activation']} />
      </>
    );
  return <Notice kind="error">{t('activate.invalid')}</Notice>;
}
