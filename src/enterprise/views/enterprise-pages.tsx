// 企业用户注册 and 企业用户帐号查找申请: the enterprise's own pages.
import { AgreeField } from '../../consent/views/agree-fields.tsx';
import { useI18n } from '../../views/i18n-context.ts';
import { useCsrf } from '../../views/form-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Captcha } from '../../captcha/service.ts';
import { CaptchaField } from '../../views/captcha-field.tsx';
import { RegisterTabs } from '../../registration/views/register-tabs.tsx';
import type { Message } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

type FormError = Message | undefined;

export function EnterpriseRegisterPage(props: { values: Record<string, string | undefined>; errors: FieldErrors; formError?: FormError }) {
  const { t } = useI18n();
  const v = props.values;
  return (
    <>
      <ErrorSummary
        errors={props.errors}
        formError={props.formError}
        order={['enterpriseName', 'creditCode', 'contactName', 'email', 'password', 'password2', 'agree']}
      />
      <RegisterTabs active="enterprise" />
      <p class="lead">{t('enterprise.register_intro')}</p>
      <Form action="/register/enterprise" id="register-enterprise">
        <Field
          name="enterpriseName"
          label={t('enterprise.name')}
          autocomplete="organization"
          value={v.enterpriseName}
          error={props.errors.enterpriseName}
          maxLength={100}
        />
        <Field
          name="creditCode"
          label={t('enterprise.credit_code')}
          autocomplete="off"
          value={v.creditCode}
          error={props.errors.creditCode}
          maxLength={24}
          hint={t('enterprise.credit_code_hint')}
        />
        <Field
          name="contactName"
          label={t('enterprise.contact_name')}
          autocomplete="name"
          value={v.contactName}
          error={props.errors.contactName}
          maxLength={40}
        />
        <Field
          name="email"
          label={t('register.email')}
          type="email"
          inputmode="email"
          autocomplete="email"
          value={v.email}
          error={props.errors.email}
          maxLength={254}
        />
        <Field
          name="password"
          label={t('register.password')}
          type="password"
          autocomplete="new-password"
          error={props.errors.password}
          hint={t('password.hint')}
          maxLength={128}
        />
        <Field name="password2" label={t('register.password2')} type="password" autocomplete="new-password" error={props.errors.password2} maxLength={128} />
        <AgreeField checked={props.values.agree === '1'} error={props.errors.agree} />
        <Submit id="register-enterprise-submit">{t('register.submit')}</Submit>
      </Form>
      <HelpLinks slugs={['enterprise-account']} />
    </>
  );
}

export function LookupRequestPage(props: { values: Record<string, string | undefined>; errors: FieldErrors; formError?: FormError; captcha: Captcha }) {
  const { t } = useI18n();
  const csrf = useCsrf();
  const v = props.values;
  const error = (name: string) =>
    props.errors[name] && (
      <p class="error" id={`f-${name}-error`} role="alert">
        {t(props.errors[name]!.code, props.errors[name]!.params)}
      </p>
    );
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('enterprise.lookup_intro')}</p>
      <p class="hint">{t('enterprise.lookup_not_charged')}</p>
      <form method="post" action="/recover/enterprise" enctype="multipart/form-data" class="form" id="enterprise-lookup" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <Field name="enterpriseName" label={t('enterprise.name')} value={v.enterpriseName} error={props.errors.enterpriseName} maxLength={100} />
        <Field name="creditCode" label={t('enterprise.credit_code')} value={v.creditCode} error={props.errors.creditCode} maxLength={24} />
        <Field name="contactName" label={t('enterprise.contact_name')} value={v.contactName} error={props.errors.contactName} maxLength={40} />
        <Field
          name="contactPhone"
          label={t('enterprise.contact_phone')}
          type="tel"
          inputmode="tel"
          value={v.contactPhone}
          error={props.errors.contactPhone}
          maxLength={20}
        />
        <Field
          name="contactEmail"
          label={t('enterprise.contact_email')}
          type="email"
          inputmode="email"
          value={v.contactEmail}
          error={props.errors.contactEmail}
          maxLength={254}
          hint={t('enterprise.contact_hint')}
        />
        <fieldset class="field">
          <legend>{t('enterprise.wants')}</legend>
          <label>
            <input type="radio" name="wants" value="username" checked={v.wants !== 'password' && v.wants !== 'confirm'} /> {t('enterprise.wants_username')}
          </label>{' '}
          <label>
            <input type="radio" name="wants" value="password" checked={v.wants === 'password'} /> {t('enterprise.wants_password')}
          </label>{' '}
          <label>
            <input type="radio" name="wants" value="confirm" checked={v.wants === 'confirm'} /> {t('enterprise.wants_confirm')}
          </label>
        </fieldset>
        <div class={props.errors.letter ? 'field has-error' : 'field'}>
          <label for="f-letter">{t('enterprise.letter')}</label>
          <input
            id="f-letter"
            name="letter"
            type="file"
            accept=".jpg,.jpeg,.png,.gif,.pdf,image/jpeg,image/png,image/gif,application/pdf"
            aria-invalid={props.errors.letter ? 'true' : undefined}
            aria-describedby={props.errors.letter ? 'f-letter-hint f-letter-error' : 'f-letter-hint'}
          />
          <p class="hint" id="f-letter-hint">
            {t('enterprise.letter_hint')}
          </p>
          {error('letter')}
        </div>
        <CaptchaField captcha={props.captcha} error={props.errors.captcha} />
        <Submit id="enterprise-lookup-submit">{t('enterprise.lookup_submit')}</Submit>
      </form>
      <HelpLinks slugs={['enterprise-account']} />
    </>
  );
}

export function LookupSubmittedPage() {
  const { t } = useI18n();
  return <Notice kind="success">{t('enterprise.lookup_submitted')}</Notice>;
}
