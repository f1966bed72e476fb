// What heads every sign-in page: the platform the person is signing in to, if any, and the two
// ways of signing in with a form (密码登录, 手机校验码登录), switching between which keeps `next`
// (the platform's sign-in waiting).
import { useI18n } from '../../views/i18n-context.ts';

export function SignInTabs(props: { active: 'password' | 'sms'; next?: string | undefined }) {
  const { t } = useI18n();
  const query = props.next ? `?next=${encodeURIComponent(props.next)}` : '';
  return (
    <nav class="tabs" aria-label={t('login.title')}>
      <a href={`/login${query}`} id="tab-password" aria-current={props.active === 'password' ? 'page' : undefined}>
        {t('signin.by_password')}
      </a>
      <a href={`/login/sms${query}`} id="tab-sms" aria-current={props.active === 'sms' ? 'page' : undefined}>
        {t('signin.by_sms')}
      </a>
    </nav>
  );
}

/** 登录后将进入 …: shown when a platform's sign-in (OIDC or CAS) sent the person here. */
export function SignInPlatform(props: { platform: { name: string; logo?: string } | undefined }) {
  const { t } = useI18n();
  if (!props.platform) return null;
  return (
    <p class="signin-platform" id="signin-platform">
      {props.platform.logo && <img src={props.platform.logo} alt="" width={32} height={32} />} {t('sso.signin_for', { platform: props.platform.name })}
    </p>
  );
}

/** 微信扫码登录 · 支付宝登录: the scan sign-ins this deployment offers, keeping `next`. */
export function SocialSignInLinks(props: { providers: readonly ('wechat' | 'alipay')[] | undefined; next?: string | undefined }) {
  const { t } = useI18n();
  if (!props.providers || props.providers.length === 0) return null;
  return (
    <p class="social-sign-ins" id="social-sign-ins">
      {t('social.other_ways')}:{' '}
      {props.providers.map((provider, i) => (
        <>
          {i > 0 && ' · '}
          <a href={`/login/${provider}${props.next ? `?next=${encodeURIComponent(props.next)}` : ''}`} id={`login-${provider}`}>
            {t(`social.sign_in_with.${provider}`)}
          </a>
        </>
      ))}
    </p>
  );
}
