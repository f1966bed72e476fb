// 基本信息: the form while nothing is saved; afterwards the saved facts, masked, and why they
// cannot change.
import { SupportContacts } from '../../views/support-contacts.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { IdTypeName } from '../../identity/views/id-type-name.tsx';
import { IdentityFields, type IdentityFormValues } from '../../identity/views/identity-fields.tsx';
import type { IdentityView } from '../../identity/service.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

/** `verifier`: who receives the name and number for the registry check, named in the ID number's consent. */
export function IdentityFormPage(props: { values: IdentityFormValues; errors: FieldErrors; formError?: Message | undefined; verifier: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p class="lead">{t('identity.intro')}</p>
      <Form action="/account/identity" id="identity-form">
        <IdentityFields values={props.values} errors={props.errors} verifier={props.verifier} />
        <Submit id="identity-submit">{t('identity.submit')}</Submit>
      </Form>
      <p class="hint">{t('identity.case3_help')}</p>
      <HelpLinks slugs={['real-name-info', 'id-number-wrong']} />
      <SupportContacts />
    </>
  );
}

const verifierKey: Record<string, MessageKey> = {
  format_only: 'identity.format_only',
  match: 'identity.registry_match',
  unavailable: 'identity.registry_unavailable',
};

export function IdentitySavedPage(props: { identity: IdentityView; bound: boolean; needsVerification?: boolean; notice?: MessageKey | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <dl class="facts" id="identity">
        <dt>{t('identity.name')}</dt>
        <dd>{props.identity.name}</dd>
        <dt>{t('identity.id_type')}</dt>
        <dd>
          <IdTypeName code={props.identity.idType} />
        </dd>
        <dt>{t('identity.id_number')}</dt>
        <dd id="id-masked">{props.identity.masked}</dd>
        <dt></dt>
        <dd>{t(verifierKey[props.identity.verifierResult] ?? 'identity.format_only')}</dd>
        <dt></dt>
        <dd id="binding">{t(props.bound ? 'identity.bound' : 'identity.not_bound')}</dd>
      </dl>
      <p>
        {props.needsVerification ? (
          <a href="/account/resolution" id="resolution-link">
            {t('identity.resolution_link')}
          </a>
        ) : (
          <a href="/account/binding" id="binding-link">
            {t('binding.title')}
          </a>
        )}
      </p>
      <p class="hint">{t('identity.locked')}</p>
      <p class="hint">{t('identity.case3_help')}</p>
      <HelpLinks slugs={['real-name-info', 'id-number-wrong']} />
      <SupportContacts />
    </>
  );
}
