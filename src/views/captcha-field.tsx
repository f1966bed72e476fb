// An image captcha: the picture inline (no second request to fetch it), its id hidden, the answer.
import { useI18n } from './i18n-context.ts';
import { Field, type FieldError } from './components.tsx';

export function CaptchaField(props: { captcha: { id: string; svg: string }; error?: FieldError | undefined }) {
  const { t } = useI18n();
  return (
    <div class="captcha">
      <img src={`data:image/svg+xml;base64,${Buffer.from(props.captcha.svg).toString('base64')}`} alt={t('login.captcha')} width={120} height={44} />
      <input type="hidden" name="captchaId" value={props.captcha.id} />
      <Field name="captcha" label={t('login.captcha')} autocomplete="off" hint={t('login.captcha_hint')} maxLength={8} error={props.error} />
    </div>
  );
}

/** 找回密码 · 找回用户名, where the seeds offer both. */
export function RecoverLinks() {
  const { t, lang } = useI18n();
  return (
    <>
      <a href="/recover/password">{t('recover.links_password')}</a>
      {lang === 'en' ? ' · ' : '、'}
      <a href="/recover/username">{t('recover.links_username')}</a>
    </>
  );
}
