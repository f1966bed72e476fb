// 修改密码: current password, the new one twice, and whether other devices sign out (ticked).
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';

export function ChangePasswordPage(props: { errors: FieldErrors; formError?: Message | undefined; notice?: string | undefined; endOthers?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <Form action="/account/password" id="change-password">
        <Field
          name="currentPassword"
          label={t('settings.current_password')}
          type="password"
          autocomplete="current-password"
          error={props.errors.currentPassword}
          maxLength={128}
        />
        <Field
          name="password"
          label={t('settings.new_password')}
          type="password"
          autocomplete="new-password"
          hint={t('password.hint')}
          error={props.errors.password}
          maxLength={128}
        />
        <Field
          name="password2"
          label={t('settings.new_password2')}
          type="password"
          autocomplete="new-password"
          error={props.errors.password2}
          maxLength={128}
        />
        <div class="field checkbox">
          <label>
            <input type="checkbox" name="endOthers" value="1" checked={props.endOthers ?? true} /> {t('settings.end_others')}
          </label>
        </div>
        <Submit id="change-password-submit">{t('settings.save')}</Submit>
      </Form>
    </>
  );
}
