// 找回密码 in three pages: the username (+ captcha); what was sent and, for SMS, the code; the new
// password (with the real-name check when the account has one).
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField } from '../../views/captcha-field.tsx';
import { IdTypeName } from '../../identity/views/id-type-name.tsx';
import type { ResetRequest } from '../password-recovery.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

type FormError = Message | undefined;

export function PasswordRequestPage(props: { username?: string | undefined; errors: FieldErrors; formError?: FormError; captcha: Captcha }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('recover.password_intro')}</p>
      <Form action="/recover/password" id="recover-password-form">
        <Field name="username" label={t('recover.username')} autocomplete="username" value={props.username} error={props.errors.username} maxLength={254} />
        <CaptchaField captcha={props.captcha} error={props.errors.captcha} />
        <Submit id="recover-password-submit">{t('recover.next')}</Submit>
      </Form>
      <HelpLinks slugs={['recover-password', 'too-frequent']} />
    </>
  );
}

const SENT_MESSAGE: Record<ResetRequest['kind'], MessageKey> = {
  phone: 'recover.code_sent_phone',
  id: 'recover.code_sent_id',
  email: 'recover.link_sent_email',
};

/** After step 1: worded by the kind of username typed, never by whether it matched. */
export function PasswordCodePage(props: { kind: ResetRequest['kind']; flow: string; code?: string | undefined; errors: FieldErrors; formError?: FormError }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      {!props.formError && <Notice kind="info">{t(SENT_MESSAGE[props.kind])}</Notice>}
      {props.kind !== 'email' && (
        <Form action="/recover/password/code" id="recover-code-form">
          <input type="hidden" name="flow" value={props.flow} />
          <input type="hidden" name="kind" value={props.kind} />
          <Field
            name="code"
            label={t('recover.code')}
            autocomplete="one-time-code"
            inputmode="numeric"
            value={props.code}
            error={props.errors.code}
            maxLength={6}
          />
          <Submit id="recover-code-submit">{t('recover.next')}</Submit>
        </Form>
      )}
      <p>
        <a href="/recover/password">{t('recover.start_again')}</a>
      </p>
      <HelpLinks slugs={['code-not-received', 'recover-password']} />
    </>
  );
}

export function PasswordResetPage(props: {
  secret: string;
  username: string;
  identity: { idType: string } | null;
  values: { name?: string | undefined; idNumber?: string | undefined; removeSecondFactor?: boolean | undefined };
  errors: FieldErrors;
  /** The account has a second factor: offer to remove it after the waiting period (mfa/removal.ts). */
  secondFactor?: { waitDays: number } | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <p id="reset-account">{t('recover.reset_for', { username: props.username })}</p>
      <Form action="/recover/password/reset" id="recover-reset-form">
        <input type="hidden" name="secret" value={props.secret} />
        {props.identity && (
          <fieldset>
            <legend>{t('recover.identity_needed')}</legend>
            <Field name="name" label={t('identity.name')} autocomplete="name" value={props.values.name} error={props.errors.name} maxLength={60} />
            <p class="hint">
              {t('identity.id_type')}：<IdTypeName code={props.identity.idType} />
            </p>
            <Field
              name="idNumber"
              label={t('identity.id_number')}
              autocomplete="off"
              value={props.values.idNumber}
              error={props.errors.idNumber}
              maxLength={40}
            />
          </fieldset>
        )}
        <Field
          name="password"
          label={t('recover.new_password')}
          type="password"
          autocomplete="new-password"
          hint={t('password.hint')}
          error={props.errors.password}
          maxLength={128}
        />
        <Field name="password2" label={t('recover.new_password2')} type="password" autocomplete="new-password" error={props.errors.password2} maxLength={128} />
        {props.secondFactor && (
          <label class="check">
            <input type="checkbox" name="removeSecondFactor" value="1" id="remove-second-factor" checked={props.values.removeSecondFactor} />{' '}
            {t('mfa.recovery_remove', { days: props.secondFactor.waitDays })}
          </label>
        )}
        <Submit id="recover-reset-submit">{t('recover.save')}</Submit>
      </Form>
    </>
  );
}

export function ResetExpiredPage(props: { reason?: 'recover.expired' | 'recover.identity_locked' }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="error">{t(props.reason ?? 'recover.expired')}</Notice>
      {props.reason === 'recover.identity_locked' && <SupportContacts />}
      <p>
        <a href="/recover/password">{t('recover.start_again')}</a>
      </p>
    </>
  );
}
