// 实名信息绑定: phone binding and email binding side by side; a contact already proved shows
// 已绑定成功; the other can be bound with a code (免费获取 → 校验码 → 确定).
import { useI18n } from '../../http/i18n.ts';
import { Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { SessionAccount } from '../../sessions/service.ts';
import { maskEmail, maskPhone } from '../../lib/mask.ts';

export interface BindingProps {
  account: SessionAccount;
  /** The latest classmate-assistance request this person sent, if any. */
  classmateRequest?: { state: string } | undefined;
  classmateValues?: { classmateName?: string | undefined; classmatePhone?: string | undefined; ownPhone?: string | undefined } | undefined;
  values: { phone?: string | undefined; email?: string | undefined };
  errors: FieldErrors;
  sentTo?: string | undefined;
  notice?: string | undefined;
  formError?: { code: string; params?: Record<string, string | number> } | undefined;
}

export function BindingPage(props: BindingProps) {
  const { t } = useI18n();
  const a = props.account;
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.formError && <Notice kind="error">{t(props.formError.code, props.formError.params)}</Notice>}
      {props.sentTo && <Notice kind="success">{t('binding.code_sent', { to: props.sentTo })}</Notice>}
      <p id="binding-state">{t(a.realnameBoundAt ? 'identity.bound' : 'identity.not_bound')}</p>

      <h2>{t('binding.by_phone')}</h2>
      {a.phone && a.phoneVerifiedAt ? (
        <p class="bound" id="phone-bound">
          {t('binding.done', { contact: maskPhone(a.phone) })}
        </p>
      ) : (
        <Form action="/account/binding/phone" id="bind-phone">
          <Field name="phone" label={t('register.phone')} type="tel" inputmode="numeric" value={props.values.phone} error={props.errors.phone} maxLength={20}>
            <Submit formaction="/account/binding/phone/code" class="secondary">
              {t('register.send_code')}
            </Submit>
          </Field>
          <Field name="code" label={t('register.code')} inputmode="numeric" autocomplete="one-time-code" error={props.errors.code} maxLength={6} />
          <Submit>{t('identity.submit')}</Submit>
        </Form>
      )}

      <h2>{t('binding.by_email')}</h2>
      {a.email && a.emailVerifiedAt ? (
        <p class="bound" id="email-bound">
          {t('binding.done', { contact: maskEmail(a.email) })}
        </p>
      ) : (
        <Form action="/account/binding/email" id="bind-email">
          <Field name="email" label={t('register.email')} type="email" inputmode="email" value={props.values.email} error={props.errors.email} maxLength={254}>
            <Submit formaction="/account/binding/email/code" class="secondary">
              {t('register.send_code')}
            </Submit>
          </Field>
          <Field name="code" label={t('binding.email_code')} inputmode="numeric" autocomplete="one-time-code" error={props.errors.code} maxLength={6} />
          <Submit>{t('identity.submit')}</Submit>
        </Form>
      )}
      <p class="hint">{t('binding.hint')}</p>

      {!a.realnameBoundAt && (
        <section id="classmate">
          <h2>{t('classmate.title')}</h2>
          <p>{t('classmate.intro')}</p>
          {props.classmateRequest && <p id="classmate-state">{t(`classmate.state_${props.classmateRequest.state}`)}</p>}
          <Form action="/account/binding/classmate" id="classmate-form">
            <Field name="classmateName" label={t('classmate.name')} value={props.classmateValues?.classmateName} error={props.errors.classmateName} maxLength={80} />
            <Field name="classmatePhone" label={t('classmate.phone')} type="tel" inputmode="numeric" value={props.classmateValues?.classmatePhone} error={props.errors.classmatePhone} maxLength={20} />
            <Field name="ownPhone" label={t('classmate.own_phone')} type="tel" inputmode="numeric" value={props.classmateValues?.ownPhone} error={props.errors.ownPhone} maxLength={20} />
            <Submit>{t('identity.submit')}</Submit>
          </Form>
        </section>
      )}
    </>
  );
}
