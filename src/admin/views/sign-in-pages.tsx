// Staff sign-in pages: password, then the second factor, or TOTP enrolment with its QR code and
// the recovery codes shown once.
import { renderSVG } from 'uqr';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';

type FormError = Message | undefined;

export function StaffLoginPage(props: { username?: string | undefined; errors: FieldErrors; formError?: FormError; notice?: MessageKey | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="info">{t(props.notice)}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <Form action="/console/login" id="staff-login">
        <Field name="username" label={t('console.username')} autocomplete="username" value={props.username} error={props.errors.username} maxLength={64} />
        <Field name="password" label={t('console.password')} type="password" autocomplete="current-password" error={props.errors.password} maxLength={128} />
        <Submit id="staff-login-submit">{t('console.sign_in')}</Submit>
      </Form>
    </>
  );
}

export function SecondFactorPage(props: { errors: FieldErrors; formError?: FormError }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p class="lead">{t('console.code_intro')}</p>
      <Form action="/console/login/code" id="staff-code">
        <Field
          name="code"
          label={t('console.code')}
          autocomplete="one-time-code"
          inputmode="text"
          error={props.errors.code}
          maxLength={16}
          hint={t('console.code_hint')}
        />
        <Submit id="staff-code-submit">{t('console.verify')}</Submit>
      </Form>
    </>
  );
}

export function EnrolPage(props: { uri: string; secret: string; errors: FieldErrors; formError?: FormError }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p class="lead">{t('console.enrol_intro')}</p>
      <div class="qr" id="totp-qr" role="img" aria-label={t('console.enrol_qr')} dangerouslySetInnerHTML={{ __html: renderSVG(props.uri, { border: 2 }) }} />
      <p>
        {t('console.enrol_secret')}{' '}
        <span class="secret" id="totp-secret">
          {props.secret}
        </span>
      </p>
      <Form action="/console/enrol" id="staff-enrol">
        <Field
          name="code"
          label={t('console.totp_code')}
          autocomplete="one-time-code"
          inputmode="numeric"
          error={props.errors.code}
          maxLength={6}
          inputClass="code-6"
        />
        <Submit id="staff-enrol-submit">{t('console.verify')}</Submit>
      </Form>
    </>
  );
}

export function RecoveryCodesPage(props: { codes: string[] }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="success">{t('console.enrolled')}</Notice>
      <p>{t('console.recovery_intro')}</p>
      <ol class="codes" id="recovery-codes">
        {props.codes.map((c) => (
          <li>{c}</li>
        ))}
      </ol>
      <p>
        <a class="button primary" href="/console">
          {t('console.continue')}
        </a>
      </p>
    </>
  );
}

export function StaffPasswordPage(props: { errors: FieldErrors; done?: boolean; mustChange: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {props.done && <Notice kind="success">{t('console.password_changed')}</Notice>}
      {props.mustChange && <Notice kind="info">{t('console.password_must_change')}</Notice>}
      <ErrorSummary errors={props.errors} />
      <Form action="/console/password" id="staff-password">
        <Field
          name="current"
          label={t('settings.current_password')}
          type="password"
          autocomplete="current-password"
          error={props.errors.current}
          maxLength={128}
        />
        <Field
          name="password"
          label={t('settings.new_password')}
          type="password"
          autocomplete="new-password"
          error={props.errors.password}
          maxLength={128}
          hint={t('console.password_hint')}
        />
        <Field
          name="password2"
          label={t('settings.new_password2')}
          type="password"
          autocomplete="new-password"
          error={props.errors.password2}
          maxLength={128}
        />
        <Submit id="staff-password-submit">{t('settings.save')}</Submit>
      </Form>
    </>
  );
}
