// 这不是我本人操作: the page behind the link of a deregistration notice. The form asks what
// happened and how support can reach the person; a used, expired or unknown link says so.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, TextAreaField, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField } from '../../views/captcha-field.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { Message } from '../../i18n/index.ts';
import { WHAT_HAPPENED_MAX } from '../disputes.ts';

export interface DisputePageProps {
  token: string;
  deregisteredAt: Date | undefined;
  values: { whatHappened?: string | undefined; contact?: string | undefined };
  errors: FieldErrors;
  formError?: Message | undefined;
  captcha: Captcha;
}

export function DisputePage(props: DisputePageProps) {
  const { t, lang } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p class="lead">{t('dispute.intro')}</p>
      {props.deregisteredAt && <p id="dispute-when">{t('dispute.deregistered_at', { when: formatBeijing(props.deregisteredAt, lang) })}</p>}
      <Form action={`/dispute/${props.token}`} id="dispute-form">
        <TextAreaField
          name="whatHappened"
          label={t('dispute.what')}
          hint={t('dispute.what_hint')}
          value={props.values.whatHappened}
          error={props.errors.whatHappened}
          maxLength={WHAT_HAPPENED_MAX}
          rows={5}
        />
        <Field
          name="contact"
          label={t('dispute.contact')}
          hint={t('dispute.contact_hint')}
          value={props.values.contact}
          error={props.errors.contact}
          maxLength={254}
        />
        <CaptchaField captcha={props.captcha} error={props.errors.captcha} />
        <Submit id="dispute-submit">{t('dispute.submit')}</Submit>
      </Form>
    </>
  );
}

/** The link's answer when it no longer opens a form (used, expired, unknown), or after sending. */
export function DisputeDonePage(props: { message: Message; kind: 'success' | 'error' }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind={props.kind}>{t(props.message.code, props.message.params)}</Notice>
      {props.kind === 'error' && <SupportContacts />}
      <p>
        <a href="/login">{t('nav.login')}</a> · <a href="/recover/username">{t('recover.username_title')}</a>
      </p>
    </>
  );
}
