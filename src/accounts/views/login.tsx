// 登录: username (phone or email) and password; an image captcha after repeated failures.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField, RecoverLinks } from '../../views/captcha-field.tsx';
import type { MessageKey, Message } from '../../i18n/index.ts';
import { SignInPlatform, SignInTabs } from './sign-in-header.tsx';
import { PasskeyScripts, PasskeyStrings } from '../../passkeys/views/add-passkey.tsx';

export interface LoginProps {
  username?: string | undefined;
  error?: Message | undefined;
  /** Fields left empty. */
  errors?: FieldErrors | undefined;
  captcha?: Captcha | undefined;
  notice?: MessageKey | undefined;
  next?: string | undefined;
  /** Reached from a platform's sign-in (single sign-on): where the person goes next. */
  platform?: { name: string; logo?: string } | undefined;
  /** A passkey was just refused: its autofill is not offered again at once (the button still is). */
  passkeyRefused?: boolean | undefined;
}

export function LoginPage(props: LoginProps) {
  const { t } = useI18n();
  return (
    <>
      <SignInPlatform platform={props.platform} />
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.error} />
      <SignInTabs active="password" next={props.next} />
      {props.error?.code === 'login.account_unavailable' && <SupportContacts />}
      <Form action="/login" id="login">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <Field
          name="username"
          label={t('login.username')}
          autocomplete="username webauthn"
          value={props.username}
          error={props.errors?.username}
          maxLength={254}
        />
        <Field name="password" label={t('login.password')} type="password" autocomplete="current-password" error={props.errors?.password} maxLength={128} />
        {props.captcha && <CaptchaField captcha={props.captcha} />}
        <Submit id="login-submit">{t('login.submit')}</Submit>
      </Form>
      {/* 使用通行密钥登录: shown by public/passkeys.js where the browser has passkeys (it also offers them in the username's autofill). */}
      <div id="passkey-login-block" hidden data-autofill={props.passkeyRefused ? 'off' : undefined}>
        <Form action="/login/passkey" id="passkey-login">
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <input type="hidden" name="credential" value="" data-passkey-credential />
          <p class="passkey-status" id="passkey-status" role="status" aria-live="polite"></p>
          <Submit id="passkey-login-submit" class="secondary">
            {t('passkeys.sign_in')}
          </Submit>
        </Form>
        <PasskeyStrings />
      </div>
      <PasskeyScripts />
      <p class="help-links">
        {t('login.no_account')} <a href="/register">{t('nav.register')}</a> · <RecoverLinks />
      </p>
    </>
  );
}
