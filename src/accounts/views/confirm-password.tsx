// 确认密码: the password again before a sensitive change; then back to where the person was going.
import { useI18n } from '../../views/i18n-context.ts';
import { Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';

export function ConfirmPasswordPage(props: { next: string; errors: FieldErrors; formError?: Message | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {props.formError && <Notice kind="error">{t(props.formError.code, props.formError.params)}</Notice>}
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
        <Submit id="confirm-password-submit">{t('settings.confirm_submit')}</Submit>
      </Form>
    </>
  );
}
