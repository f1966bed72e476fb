// The real-name fields as every form shows them (registration, 基本信息, 找回用户名), with the
// duplicate-ID prompts (情况一/情况二) beside the number and the ways out of them.
import { useI18n } from '../../views/i18n-context.ts';
import { Field, type FieldErrors } from '../../views/components.tsx';
import { RecoverLinks } from '../../views/captcha-field.tsx';
import { useSignedIn } from '../../views/form-context.ts';
import { ID_TYPES } from '../id-numbers/index.ts';
import { HelpLinks } from '../../help/links.tsx';
import { SensitiveConsentField } from '../../consent/views/agree-fields.tsx';

export interface IdentityFormValues {
  name?: string | undefined;
  idType?: string | undefined;
  idNumber?: string | undefined;
  reRegister?: boolean | undefined;
  /** The separate consent to processing the ID number was ticked (kept on a refused form). */
  agreeSensitive?: boolean | undefined;
}

export function IdTypeSelect(props: { value: string | undefined; error?: FieldErrors[string] }) {
  const { t, lang } = useI18n();
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="f-idType">{t('identity.id_type')}</label>
      <select id="f-idType" name="idType" aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'f-idType-error' : undefined}>
        {ID_TYPES.map((type) => (
          <option key={type.code} value={type.code} selected={(props.value ?? 'resident_id') === type.code}>
            {type[lang]}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="error" id="f-idType-error">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

/** The three ways out of 情况二 and, once ticked, the 我要重新注册 warning. */
export function DuplicateHelp(props: { code: string | undefined; reRegister: boolean | undefined }) {
  const { t } = useI18n();
  // Someone signed in (基本信息 on /account) has nothing to 登录 to; the recovery links stay.
  const signedIn = useSignedIn();
  const ways = (
    <p>
      {!signedIn && (
        <>
          <a href="/login">{t('nav.login')}</a> ·{' '}
        </>
      )}
      <RecoverLinks />
    </p>
  );
  if (props.code === 'identity.case1_pending') {
    return (
      <div class="notice notice-info" id="case1-help">
        <p>{t('identity.case1_help')}</p>
        {ways}
        <HelpLinks slugs={['id-pending-review']} newTab />
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
      {ways}
      <HelpLinks slugs={['id-already-registered', 'id-taken-cannot-sign-in']} newTab />
    </div>
  );
}

/**
 * Where the number is collected (registration, 基本信息), with its separate consent (PIPL art. 29).
 * `verifier`: who receives the name and number for the registry check (IDENTITY_VERIFIER_OPERATOR),
 * named in that consent; undefined when none is configured.
 */
export function IdentityFields(props: { values: IdentityFormValues; errors: FieldErrors; verifier: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <Field name="name" label={t('identity.name')} value={props.values.name} error={props.errors.name} autocomplete="name" maxLength={80} />
      <IdTypeSelect value={props.values.idType} error={props.errors.idType} />
      <Field name="idNumber" label={t('identity.id_number')} value={props.values.idNumber} error={props.errors.idNumber} autocomplete="off" maxLength={64} />
      <DuplicateHelp code={props.errors.idNumber?.code} reRegister={props.values.reRegister} />
      <SensitiveConsentField
        kind="id_number"
        params={props.verifier ? { operator: props.verifier } : undefined}
        checked={props.values.agreeSensitive}
        error={props.errors.agreeSensitive}
      />
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
        <HelpLinks slugs={['id-already-registered', 'path-records', 'deregistration']} newTab />
      </li>
    </ol>
  );
}
