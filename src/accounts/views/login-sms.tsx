// 手机校验码登录: phone, 免费获取校验码 (a second submit button, so it works without JavaScript),
// the captcha for it once the IP has had its first few SMS, the code, 登录.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField, RecoverLinks } from '../../views/captcha-field.tsx';
import type { Message } from '../../i18n/index.ts';
import { SignInPlatform, SignInTabs, SocialSignInLinks } from './sign-in-header.tsx';

export interface SmsLoginProps {
  phone?: string | undefined;
  code?: string | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
  /** Masked phone when a code was just asked for. */
  codeSentTo?: string | undefined;
  /** Seconds before 免费获取校验码 may be pressed again. */
  resendWait?: number | undefined;
  captcha?: Captcha | undefined;
  next?: string | undefined;
  platform?: { name: string; logo?: string } | undefined;
  socialSignIns?: readonly ('wechat' | 'alipay')[] | undefined;
}

const FIELD_ORDER = ['phone', 'captcha', 'code'];

export function SmsLoginPage(props: SmsLoginProps) {
  const { t } = useI18n();
  return (
    <>
      <SignInPlatform platform={props.platform} />
      <ErrorSummary errors={props.errors} formError={props.formError} order={FIELD_ORDER} />
      <SignInTabs active="sms" next={props.next} />
      <p class="lead">{t('smslogin.intro')}</p>
      {props.codeSentTo && (
        <Notice kind="success">
          {t('smslogin.sent', { to: props.codeSentTo })} {t('smslogin.no_code')}
        </Notice>
      )}
      <Form action="/login/sms" id="login-sms">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <Field
          name="phone"
          label={t('smslogin.phone')}
          type="tel"
          inputmode="numeric"
          autocomplete="tel"
          value={props.phone}
          error={props.errors.phone}
          required
          maxLength={20}
        >
          <Submit formaction="/login/sms/code" class="secondary send-code" id="send-code">
            <span data-countdown={props.resendWait ?? 0}>{t('smslogin.send_code')}</span>
          </Submit>
        </Field>
        {props.captcha && <CaptchaField captcha={props.captcha} error={props.errors.captcha} />}
        <Field
          name="code"
          label={t('smslogin.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          value={props.code}
          error={props.errors.code}
          maxLength={6}
        />
        <Submit id="login-sms-submit">{t('smslogin.submit')}</Submit>
      </Form>
      <SocialSignInLinks providers={props.socialSignIns} next={props.next} />
      <p class="help-links">
        {t('login.no_account')} <a href="/register">{t('nav.register')}</a> · <RecoverLinks />
      </p>
    </>
  );
}
