// 基本信息: the form while nothing is saved; afterwards the saved facts, masked, and why they
// cannot change. The duplicate-ID prompts (情况一/情况二) appear beside the number.
import { useI18n } from '../../views/i18n-context.ts';
import { Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { RecoverLinks } from '../../views/captcha-field.tsx';
import { IdTypeName } from './id-type-name.tsx';
import { ID_TYPES } from '../id-numbers/index.ts';
import type { IdentityView } from '../service.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';

export interface IdentityFormValues {
  name?: string | undefined;
  idType?: string | undefined;
  idNumber?: string | undefined;
  reRegister?: boolean | undefined;
}

export function IdTypeSelect(props: { value: string | undefined; error?: FieldErrors[string] }) {
  const { t, lang } = useI18n();
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="f-idType">{t('identity.id_type')}</label>
      <select id="f-idType" name="idType">
        {ID_TYPES.map((type) => (
          <option key={type.code} value={type.code} selected={(props.value ?? 'resident_id') === type.code}>
            {type[lang]}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="error" role="alert">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

/** The three ways out of 情况二 and, once ticked, the 我要重新注册 warning. */
export function DuplicateHelp(props: { code: string | undefined; reRegister: boolean | undefined }) {
  const { t } = useI18n();
  if (props.code === 'identity.case1_pending') {
    return (
      <div class="notice notice-info" id="case1-help">
        <p>{t('identity.case1_help')}</p>
        <p>
          <a href="/login">{t('nav.login')}</a> · <RecoverLinks />
        </p>
      </div>
    );
  }
  if (props.code !== 'identity.case2_registered') return null;
  // The solutions open inline (and the full page in a new tab): the refused form is the answer
  // to a POST, so leaving it in the same tab would lose what the person typed.
  return (
    <div class="notice notice-info" id="case2-help">
      <details id="solutions-inline">
        <summary>{t('identity.solutions_title')}</summary>
        <DuplicateHelpPage />
        <p>
          <a href="/help/duplicate-id" target="_blank" rel="noopener">
            {t('identity.solutions_open')}
          </a>
        </p>
      </details>
      <p>{t('identity.re_register_warning')}</p>
      <label class="check">
        <input type="checkbox" name="reRegister" value="1" checked={props.reRegister} /> {t('identity.re_register')}
      </label>
      <p>
        <a href="/login">{t('nav.login')}</a> · <RecoverLinks />
      </p>
    </div>
  );
}

export function IdentityFields(props: { values: IdentityFormValues; errors: FieldErrors }) {
  const { t } = useI18n();
  return (
    <>
      <Field name="name" label={t('identity.name')} value={props.values.name} error={props.errors.name} autocomplete="name" maxLength={80} />
      <IdTypeSelect value={props.values.idType} error={props.errors.idType} />
      <Field name="idNumber" label={t('identity.id_number')} value={props.values.idNumber} error={props.errors.idNumber} autocomplete="off" maxLength={64} />
      <DuplicateHelp code={props.errors.idNumber?.code} reRegister={props.values.reRegister} />
    </>
  );
}

export function IdentityFormPage(props: { values: IdentityFormValues; errors: FieldErrors; formError?: Message | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <p class="lead">{t('identity.intro')}</p>
      {props.formError && <Notice kind="error">{t(props.formError.code, props.formError.params)}</Notice>}
      <Form action="/account/identity" id="identity-form">
        <IdentityFields values={props.values} errors={props.errors} />
        <Submit id="identity-submit">{t('identity.submit')}</Submit>
      </Form>
      <p class="hint">{t('identity.case3_help')}</p>
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
    </>
  );
}

export function DuplicateHelpPage() {
  const { t } = useI18n();
  return (
    <ol class="solutions">
      <li>{t('identity.solution_login')}</li>
      <li>
        {t('identity.solution_recover')} <RecoverLinks />
      </li>
      <li>
        {t('identity.solution_re_register')}
        <p class="hint">{t('identity.re_register_warning')}</p>
      </li>
    </ol>
  );
}
