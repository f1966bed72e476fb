// 手机号注册: phone, 免费获取 (sends the SMS code; works without JavaScript as a second submit
// button), the captcha for 免费获取 once the IP has had its first few SMS, code, password twice,
// optional email.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { RegisterTabs } from './register-tabs.tsx';
import { TakenHelp } from './taken-help.tsx';
import { IdentityFields, type IdentityFormValues } from '../../identity/views/identity-fields.tsx';
import type { Message } from '../../i18n/index.ts';
import { CaptchaField } from '../../views/captcha-field.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { HelpLinks } from '../../help/links.tsx';
import { AgreeField } from '../../consent/views/agree-fields.tsx';

export interface RegisterPhoneProps {
  values: {
    phone?: string | undefined;
    code?: string | undefined;
    email?: string | undefined;
    next?: string | undefined;
    agree?: boolean | undefined;
  } & IdentityFormValues;
  errors: FieldErrors;
  /** Masked phone when a code was just sent. */
  codeSentTo?: string | undefined;
  /** Seconds before 免费获取 may be pressed again. */
  resendWait?: number | undefined;
  formError?: Message | undefined;
  /** Asked with 免费获取 (anonymous SMS past the first few from this IP). */
  captcha?: Captcha | undefined;
  /** Who receives the name and ID number for the registry check, named in its consent. */
  verifier: string | undefined;
}

const FIELD_ORDER = ['phone', 'captcha', 'code', 'password', 'password2', 'email', 'name', 'idType', 'idNumber', 'agreeSensitive', 'agree'];

export function RegisterPhonePage(props: RegisterPhoneProps) {
  const { t } = useI18n();
  return (
    <>
      {/* First on the page, so a phone shows it without scrolling even without JavaScript. */}
      <ErrorSummary errors={props.errors} formError={props.formError} order={FIELD_ORDER} />
      <RegisterTabs active="phone" />
      <p class="lead">{t('register.intro')}</p>
      {props.codeSentTo && <Notice kind="success">{t('code.sent_sms', { to: props.codeSentTo })}</Notice>}
      <Form action="/register/phone" id="register-phone">
        {props.values.next && <input type="hidden" name="next" value={props.values.next} />}
        <Field
          name="phone"
          label={t('register.phone')}
          type="tel"
          inputmode="numeric"
          autocomplete="tel"
          value={props.values.phone}
          error={props.errors.phone}
          required
          maxLength={20}
        >
          <Submit formaction="/register/phone/code" class="secondary send-code" id="send-code">
            <span data-countdown={props.resendWait ?? 0}>{t('register.send_code')}</span>
          </Submit>
        </Field>
        <TakenHelp error={props.errors.phone} />
        {props.captcha && <CaptchaField captcha={props.captcha} error={props.errors.captcha} />}
        <Field
          name="code"
          label={t('register.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          value={props.values.code}
          error={props.errors.code}
          maxLength={6}
        />
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
        <Field
          name="email"
          label={t('register.email_optional')}
          type="email"
          inputmode="email"
          autocomplete="email"
          value={props.values.email}
          error={props.errors.email}
          maxLength={254}
        />
        <TakenHelp error={props.errors.email} />
        <fieldset class="identity">
          <legend>{t('register.identity_optional')}</legend>
          <IdentityFields values={props.values} errors={props.errors} verifier={props.verifier} />
        </fieldset>
        <AgreeField checked={props.values.agree} error={props.errors.agree} />
        <Submit id="register-submit">{t('register.submit')}</Submit>
      </Form>
      <HelpLinks slugs={['register-phone', 'code-not-received', 'phone-email-taken']} />
    </>
  );
}
