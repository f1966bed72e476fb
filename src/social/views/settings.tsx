// 帐号管理 › 微信和支付宝: each offered provider, bound (with its nickname and since when) or not,
// with 绑定 / 解除绑定; the 2-hour pause after a recovery is said before anyone tries.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Notice, Submit } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import type { SocialProviderName } from '../provider.ts';
import type { BindingView } from '../bindings.ts';
import { HelpLinks } from '../../help/links.tsx';

export interface SocialSettingsProps {
  providers: readonly SocialProviderName[];
  bindings: BindingView[];
  pausedUntil: string | undefined;
  notice?: Message | undefined;
  formError?: Message | undefined;
}

export function SocialSettingsPage(props: SocialSettingsProps) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice.code, props.notice.params)}</Notice>}
      <ErrorSummary errors={{}} formError={props.formError} />
      {props.pausedUntil && !props.formError && <Notice kind="info">{t('social.paused_notice', { until: props.pausedUntil })}</Notice>}
      <p>{t('social.intro')}</p>
      {props.providers.length === 0 && <p id="social-none">{t('social.unconfigured')}</p>}
      <ul class="links" id="social-bindings">
        {props.providers.map((provider) => {
          const name = t(`social.provider.${provider}`);
          const binding = props.bindings.find((b) => b.provider === provider);
          return (
            <li key={provider} id={`social-${provider}`} data-bound={binding ? 'yes' : 'no'}>
              <strong>{name}</strong>{' '}
              {binding ? t('social.bound_as', { name: binding.displayName ?? name, at: formatBeijing(binding.boundAt, lang) }) : t('social.not_bound')}
              <Form action={`/account/social/${provider}/${binding ? 'unbind' : 'bind'}`} id={`social-${provider}-form`} class="inline">
                <Submit class={binding ? 'secondary' : 'primary'} id={`social-${provider}-${binding ? 'unbind' : 'bind'}`}>
                  {binding ? t('social.unbind') : t('social.bind', { provider: name })}
                </Submit>
              </Form>
            </li>
          );
        })}
      </ul>
      <HelpLinks slugs={['social-sign-in']} />
      <p>
        <a href="/account">{t('menu.account')}</a>
      </p>
    </>
  );
}
