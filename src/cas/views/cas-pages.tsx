// The pages /cas/login shows on its way to a ticket: the consent to a CAS platform (the words of
// the OIDC consent, the same decision), the real-name requirement, an unknown service, and the
// form that carries the ticket back when the platform asked for method=POST.
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Submit } from '../../views/components.tsx';
import { ConsentAsk } from '../../sso/views/consent.tsx';
import type { IdNumberAccess } from '../../db/schema.ts';

/** The query of the /cas/login being answered, carried through the consent form. */
export type LoginParams = Record<string, string>;

function Hidden(props: { params: LoginParams }) {
  return (
    <>
      {Object.entries(props.params).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
    </>
  );
}

export function CasConsentPage(props: { platform: string; scopes: string[]; idNumberAccess: IdNumberAccess; params: LoginParams }) {
  const { t } = useI18n();
  return (
    <>
      <ConsentAsk platform={props.platform} scopes={['openid', ...props.scopes]} idNumberAccess={props.idNumberAccess} />
      <Form action="/cas/consent" class="inline" id="consent-allow">
        <Hidden params={props.params} />
        <Submit id="consent-allow-submit">{t('sso.allow')}</Submit>
      </Form>{' '}
      <a href="/account" class="button secondary" id="consent-deny">
        {t('sso.deny')}
      </a>
    </>
  );
}

/** method=POST (§2.1.1): the ticket goes back in a form the page submits (cas-post.js), or the person does. */
export function CasPostBackPage(props: { service: string; ticket: string }) {
  const { t } = useI18n();
  return (
    <form method="post" action={props.service} id="cas-post-back">
      <script src="/static/cas-post.js" defer></script>
      <input type="hidden" name="ticket" value={props.ticket} />
      <p class="hint">{t('cas.continue_hint')}</p>
      <button type="submit" class="primary">
        {t('cas.continue')}
      </button>
    </form>
  );
}

/** warn (§2.1.1): the person is signed in, and is asked before Tongxing signs them in to the platform. */
export function CasWarnPage(props: { platform: string; continueTo: string }) {
  const { t } = useI18n();
  return (
    <>
      <p id="cas-warn">{t('cas.warn', { platform: props.platform })}</p>
      <p>
        <a class="button primary" href={props.continueTo} id="cas-warn-continue">
          {t('cas.continue')}
        </a>{' '}
        <a class="button secondary" href="/account">
          {t('sso.deny')}
        </a>
      </p>
    </>
  );
}

/** Declined the new documents at /consent while this platform waited: no ticket, and the way back. */
export function CasConsentDeclinedPage(props: { platform: string; service: string }) {
  const { t } = useI18n();
  return (
    <>
      <p class="notice notice-info" id="cas-consent-declined">
        {t('cas.consent_declined', { platform: props.platform })}
      </p>
      <p>
        <a href={props.service} id="cas-consent-declined-back">
          {t('cas.consent_declined_back', { platform: props.platform })}
        </a>
      </p>
    </>
  );
}
