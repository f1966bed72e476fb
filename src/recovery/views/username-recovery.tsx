// 找回用户名: name, document type and number, image captcha; then one answer for everyone.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField } from '../../views/captcha-field.tsx';
import { IdTypeSelect } from '../../identity/views/identity-fields.tsx';
import type { Message } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

export interface UsernameRecoveryProps {
  values: { name?: string | undefined; idType?: string | undefined; idNumber?: string | undefined };
  errors: FieldErrors;
  formError?: Message | undefined;
  captcha: Captcha;
}

export function UsernameRecoveryPage(props: UsernameRecoveryProps) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('recover.username_intro')}</p>
      <Form action="/recover/username" id="recover-username-form">
        <Field name="name" label={t('identity.name')} autocomplete="name" value={props.values.name} error={props.errors.name} maxLength={60} />
        <IdTypeSelect value={props.values.idType} error={props.errors.idType} />
        <Field name="idNumber" label={t('identity.id_number')} autocomplete="off" value={props.values.idNumber} error={props.errors.idNumber} maxLength={40} />
        <CaptchaField captcha={props.captcha} error={props.errors.captcha} />
        <Submit id="recover-username-submit">{t('recover.send')}</Submit>
      </Form>
      <HelpLinks slugs={['recover-username']} />
    </>
  );
}

/** The same page whatever matched: it promises nothing about who is registered. */
export function UsernameSentPage() {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="success">{t('recover.username_sent')}</Notice>
      <p>{t('recover.username_no_message')}</p>
      <SupportContacts />
      <p>
        <a href="/login">{t('nav.login')}</a> · <a href="/recover/password">{t('recover.password_title')}</a>
      </p>
    </>
  );
}
