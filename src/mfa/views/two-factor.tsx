// 帐号管理 › 两步验证: the state, turning it on (QR code, key, the first code), the recovery codes
// shown once, making new ones, and turning it off with a current code.
import { renderSVG } from 'uqr';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import type { SecondFactorStatus } from '../second-factor.ts';
import { PasskeyWayDisable, PasskeyWayEnable } from './passkey-way.tsx';

export function TwoFactorPage(props: {
  status: SecondFactorStatus;
  /** How many passkeys the account has (the passkey way needs one). */
  passkeys: number;
  notice?: string | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
}) {
  const { t, lang } = useI18n();
  const s = props.status;
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      {s.removalAt && (
        <div id="removal-waiting">
          <Notice kind="error">{t('mfa.removal_waiting', { date: formatBeijing(s.removalAt, lang) })}</Notice>
        </div>
      )}
      <p id="two-factor-status">
        {s.enabled && s.enabledAt ? t(s.totp ? 'mfa.status_on' : 'mfa_passkey.status_on', { date: formatBeijing(s.enabledAt, lang) }) : t('mfa.status_off')}
      </p>
      {!s.totp && (
        <p>
          <a class={s.enabled ? 'button' : 'button primary'} id="two-factor-setup" href="/account/two-factor/setup">
            {t(s.enabled ? 'mfa_passkey.add_totp' : 'mfa.setup_start')}
          </a>
        </p>
      )}
      {!s.enabled && <PasskeyWayEnable passkeys={props.passkeys} />}
      {s.enabled && (
        <>
          <h2>{t('mfa.codes_title')}</h2>
          <p id="recovery-codes-left">{t('mfa.codes_left', { count: s.recoveryCodesLeft })}</p>
          <Form action="/account/two-factor/recovery-codes" id="renew-recovery-codes">
            <p class="hint">{t('mfa.codes_renew_hint')}</p>
            <Submit id="renew-recovery-codes-submit">{t('mfa.codes_renew')}</Submit>
          </Form>
          <h2>{t('mfa.disable_title')}</h2>
          <Form action="/account/two-factor/disable" id="disable-two-factor">
            <Field name="code" label={t('mfa.code_label')} autocomplete="one-time-code" error={props.errors.code} maxLength={32} hint={t('mfa.disable_hint')} />
            <Submit id="disable-two-factor-submit">{t('mfa.disable_submit')}</Submit>
          </Form>
          {props.passkeys > 0 && <PasskeyWayDisable />}
        </>
      )}
    </>
  );
}

export function TotpSetupPage(props: { uri: string; secret: string; errors: FieldErrors; formError?: Message | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p class="lead">{t('mfa.setup_scan')}</p>
      <div class="qr" id="totp-qr" role="img" aria-label={t('mfa.setup_qr')} dangerouslySetInnerHTML={{ __html: renderSVG(props.uri, { border: 2 }) }} />
      <p>
        {t('mfa.setup_key')}{' '}
        <span class="secret" id="totp-secret">
          {props.secret}
        </span>
      </p>
      <Form action="/account/two-factor/setup" id="totp-setup">
        <Field
          name="code"
          label={t('mfa.setup_code')}
          autocomplete="one-time-code"
          inputmode="numeric"
          error={props.errors.code}
          maxLength={7}
          inputClass="code-6"
        />
        <Submit id="totp-setup-submit">{t('mfa.setup_confirm')}</Submit>
      </Form>
    </>
  );
}

export function RecoveryCodesPage(props: { codes: string[]; notice: string }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="success">{props.notice}</Notice>
      <h2>{t('mfa.codes_title')}</h2>
      <p>{t('mfa.codes_intro')}</p>
      <ol class="codes" id="recovery-codes">
        {props.codes.map((c) => (
          <li>{c}</li>
        ))}
      </ol>
      <p>
        <a class="button primary" href="/account/two-factor">
          {t('mfa.codes_done')}
        </a>
      </p>
    </>
  );
}
