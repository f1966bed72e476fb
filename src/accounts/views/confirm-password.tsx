// 确认密码: the password again before a sensitive change; then back to where the person was going.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';

export function ConfirmPasswordPage(props: {
  next: string;
  errors: FieldErrors;
  formError?: Message | undefined;
  /** Why the password is asked for, before anything was submitted. */
  reason?: MessageKey | undefined;
  /** The account has a second factor: a code (or a recovery code) is asked too. */
  askCode?: boolean | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      {props.reason && <Notice kind="error">{t(props.reason)}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('settings.confirm_intro')}</p>
      <Form action="/account/confirm-password" id="confirm-password">
        <input type="hidden" name="next" value={props.next} />
        <Field
          name="currentPassword"
          label={t('settings.current_password')}
          type="password"
          autocomplete="current-password"
          error={props.errors.currentPassword}
          maxLength={128}
        />
        {props.askCode && (
          <Field
            name="code"
            label={t('mfa.code_label')}
            hint={t('mfa.code_hint')}
            inputmode="text"
            autocomplete="one-time-code"
            error={props.errors.code}
            maxLength={16}
          />
        )}
        <Submit id="confirm-password-submit">{t('settings.confirm_submit')}</Submit>
      </Form>
    </>
  );
}
