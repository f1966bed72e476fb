// 邮箱注册: address and password; an activation email follows.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { RegisterTabs } from './register-tabs.tsx';
import { TakenHelp } from './taken-help.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';
import { AgreeField } from '../../consent/views/agree-fields.tsx';

export interface RegisterEmailProps {
  values: { email?: string | undefined; agree?: boolean | undefined };
  errors: FieldErrors;
  formError?: Message | undefined;
  notice?: MessageKey | undefined;
}

export function RegisterEmailPage(props: RegisterEmailProps) {
  const { t } = useI18n();
  return (
    <>
      {/* First on the page, so a phone shows it without scrolling even without JavaScript. */}
      <ErrorSummary errors={props.errors} formError={props.formError} order={['email', 'password', 'password2', 'agree']} />
      <RegisterTabs active="email" />
      <p class="lead">{t('register.intro')}</p>
      {props.notice && <Notice kind="info">{t(props.notice)}</Notice>}
      <Form action="/register/email" id="register-email">
        <Field
          name="email"
          label={t('register.email')}
          type="email"
          inputmode="email"
          autocomplete="email"
          value={props.values.email}
          error={props.errors.email}
          maxLength={254}
        />
        <TakenHelp error={props.errors.email} email={props.values.email} />
        <Field
          name="password"
          label={t('register.password')}
          type="password"
          autocomplete="new-password"
          error={props.errors.password}
          hint={t('password.hint')}
          maxLength={128}
        />
        <Field name="password2" label={t('register.password2')} type="password" autocomplete="new-password" error={props.errors.password2} maxLength={128} />
        <AgreeField checked={props.values.agree} error={props.errors.agree} />
        <Submit id="register-submit">{t('register.submit')}</Submit>
      </Form>
      <HelpLinks slugs={['register-email', 'email-ip-limited', 'email-activation']} />
    </>
  );
}

export function EmailSentPage(props: { sentTo: string }) {
  const { t } = useI18n();
  return <Notice kind="success">{t('register.email_sent_body', { to: props.sentTo })}</Notice>;
}
