// 授权登录: the platform by name and what it asks to see; or, for a platform that requires a
// verified real name, what the person has to do first.
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import { isMessageKey, type Translate } from '../../i18n/index.ts';
import type { IdNumberAccess } from '../../db/schema.ts';

/** What a scope lets a platform read, in the reader's words; a scope with no words shows as is. */
function scopeName(t: Translate, scope: string): string {
  const key = `sso.scope.${scope}`;
  return isMessageKey(key) ? t(key) : scope;
}

/**
 * What a platform asks to see, by name, and that the answer is remembered (OIDC and CAS consents).
 * The ID number says whether the platform receives it whole or masked (PIPL art. 23, 29: what a
 * sensitive item given to another processor is, told before it is given); a platform allowed
 * neither receives none, so it is not listed.
 */
export function ConsentAsk(props: { platform: string; scopes: string[]; idNumberAccess: IdNumberAccess }) {
  const { t } = useI18n();
  const shown = props.scopes.filter((scope) => scope !== 'idnumber' || props.idNumberAccess !== 'none');
  return (
    <>
      <p id="consent-intro">{t('sso.consent_intro', { platform: props.platform })}</p>
      <ul id="consent-scopes">
        {shown.map((scope) => (
          <li key={scope} data-scope={scope}>
            {scope === 'idnumber' ? t(props.idNumberAccess === 'full' ? 'sso.scope.idnumber_full' : 'sso.scope.idnumber_masked') : scopeName(t, scope)}
          </li>
        ))}
      </ul>
      <p class="hint">{t('sso.remember')}</p>
    </>
  );
}

export function ConsentPage(props: { uid: string; platform: string; scopes: string[]; idNumberAccess: IdNumberAccess }) {
  const { t } = useI18n();
  return (
    <>
      <ConsentAsk platform={props.platform} scopes={props.scopes} idNumberAccess={props.idNumberAccess} />
      <Form action={`/sso/interaction/${props.uid}/confirm`} class="inline" id="consent-allow">
        <Submit id="consent-allow-submit">{t('sso.allow')}</Submit>
      </Form>{' '}
      <Form action={`/sso/interaction/${props.uid}/abort`} class="inline" id="consent-deny">
        <Submit class="secondary" id="consent-deny-submit">
          {t('sso.deny')}
        </Submit>
      </Form>
    </>
  );
}

/** Why a platform that requires a verified real name refused the account, and where to go (OIDC and CAS). */
export function RealnameShortfall(props: { platform: string; status: 'unverified' | 'needs_verification' }) {
  const { t } = useI18n();
  const claimant = props.status === 'needs_verification';
  return (
    <>
      <Notice kind="error">{t(claimant ? 'sso.realname_needs_verification' : 'sso.realname_unverified', { platform: props.platform })}</Notice>
      <p>
        <a href={claimant ? '/account/resolution' : '/account/identity'} id="realname-next">
          {t(claimant ? 'sso.resolve_go' : 'sso.realname_go')}
        </a>
      </p>
    </>
  );
}

export function RealnameRequiredPage(props: { uid: string; platform: string; status: 'unverified' | 'needs_verification' }) {
  const { t } = useI18n();
  return (
    <>
      <RealnameShortfall platform={props.platform} status={props.status} />
      <Form action={`/sso/interaction/${props.uid}/abort`} id="realname-back">
        <input type="hidden" name="reason" value="realname_required" />
        <Submit class="secondary">{t('sso.back_to_platform')}</Submit>
      </Form>
    </>
  );
}

export function PlatformsPage(props: { platforms: Array<{ client_id: string; name: string; scopes: string; created_at: Date }>; notice?: string | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.platforms.length === 0 && <p>{t('sso.platforms_none')}</p>}
      <ul id="platforms">
        {props.platforms.map((p) => (
          <li key={p.client_id} data-client={p.client_id}>
            <strong>{p.name}</strong> ·{' '}
            {p.scopes
              .split(' ')
              .map((s) => scopeName(t, s))
              .join(lang === 'en' ? ', ' : '、')}
            <Form action={`/account/platforms/${p.client_id}/withdraw`} class="inline">
              <Submit class="secondary">{t('sso.withdraw')}</Submit>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
