// The captcha of a form: its label first, then the challenge — the proof-of-work widget (or the
// configured captcha service's) for browsers with JavaScript, and the server-drawn picture with
// its text field and 换一张 for those without. /static/captcha.js hides the picture once the
// widget runs and shows it again if the widget fails; without JavaScript the widget is an
// unknown element that draws nothing and the picture stays.
import { useI18n } from './i18n-context.ts';
import { Field, type FieldError } from './components.tsx';
import type { Captcha } from '../captcha/service.ts';
import { CAPTCHA_HEIGHT, CAPTCHA_WIDTH } from '../captcha/image/draw.ts';
import type { FunctionComponent } from 'preact';

/** ALTCHA's proof-of-work widget, a custom element (served from /static/altcha/). */
const AltchaWidget = 'altcha-widget' as unknown as FunctionComponent<{
  name: string;
  challenge: string;
  /** off: /static/captcha.js starts it once its worker is registered. */
  auto: 'off' | 'onfocus' | 'onload' | 'onsubmit';
  language: string;
  configuration: string;
}>;

const WIDGET_CONFIGURATION = JSON.stringify({ hideFooter: true, hideLogo: true });

export function CaptchaField(props: { captcha: Captcha; error?: FieldError | undefined }) {
  const { t, lang } = useI18n();
  const { captcha } = props;
  // The widget's own words, ours in both languages (captcha.js hands them to the widget).
  const widgetLanguage = lang === 'en' ? 'en' : 'zh-cn';
  const strings = {
    label: t('captcha.widget_label'),
    verifying: t('captcha.widget_verifying'),
    verified: t('captcha.widget_verified'),
    error: t('captcha.widget_error'),
    expired: t('captcha.widget_expired'),
    verificationRequired: t('captcha.widget_required'),
    waitAlert: t('captcha.widget_verifying'),
    verify: t('captcha.widget_label'),
  };
  return (
    <fieldset
      class={props.error ? 'captcha has-error' : 'captcha'}
      data-captcha={captcha.vendor ? captcha.vendor.kind : 'pow'}
      data-language={widgetLanguage}
      data-strings={JSON.stringify(strings)}
    >
      <legend>{t('captcha.legend')}</legend>
      {props.error && (
        <p class="error" id="captcha-error">
          {t(props.error.code, props.error.params)}
        </p>
      )}
      {captcha.pow && (
        <>
          <link rel="stylesheet" href="/static/altcha/altcha.css" />
          <script type="module" src="/static/altcha/altcha.js"></script>
          <script type="module" src="/static/captcha.js"></script>
          <AltchaWidget name="altcha" challenge={captcha.pow} auto="off" language={widgetLanguage} configuration={WIDGET_CONFIGURATION} />
        </>
      )}
      {captcha.vendor && (
        <>
          <script src={captcha.vendor.scriptUrl} defer></script>
          <script type="module" src="/static/captcha.js"></script>
          <div
            class="captcha-vendor"
            data-vendor={captcha.vendor.kind}
            {...Object.fromEntries(Object.entries(captcha.vendor.params).map(([k, v]) => [`data-${k.toLowerCase()}`, v]))}
          >
            <button type="button" class="secondary" data-vendor-start>
              {t('captcha.vendor_start')}
            </button>
            <input type="hidden" name="captchaVendor" value="" />
          </div>
        </>
      )}
      <div class="captcha-fallback" data-captcha-fallback>
        <p class="hint">{t('captcha.picture_intro')}</p>
        <div class="captcha-picture">
          <img
            src={`data:image/png;base64,${captcha.image.png.toString('base64')}`}
            alt={t('captcha.picture_alt')}
            width={CAPTCHA_WIDTH}
            height={CAPTCHA_HEIGHT}
          />
          <button type="submit" name="captchaRefresh" value="1" formnovalidate class="link" id="captcha-refresh">
            {t('captcha.refresh')}
          </button>
        </div>
        <input type="hidden" name="captchaId" value={captcha.image.id} />
        <Field name="captcha" label={t('login.captcha')} autocomplete="off" hint={t('login.captcha_hint')} maxLength={8} />
      </div>
    </fieldset>
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
