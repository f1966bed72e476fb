// 实名信息绑定: phone binding and email binding side by side; a contact already proved shows
// 已绑定成功; the other can be bound with a code (免费获取 → 校验码 → 确定).
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { SessionAccount } from '../../sessions/service.ts';
import { maskEmail, maskPhone } from '../../lib/mask.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import type { SentRequest } from '../../inbox/service.ts';
import { codeInputId, ContactCodeForm } from './contact-code-form.tsx';
import { HelpLinks } from '../../help/links.tsx';

export interface BindingProps {
  account: SessionAccount;
  /** The latest classmate-assistance request this person sent, if any. */
  classmateRequest?: Pick<SentRequest, 'state'> | undefined;
  classmateValues?: { classmateName?: string | undefined; classmatePhone?: string | undefined; ownPhone?: string | undefined } | undefined;
  values: { phone?: string | undefined; email?: string | undefined; code?: string | undefined };
  /** The binding form that was submitted: its errors and code show in it, not in the other. */
  channel?: 'phone' | 'email' | undefined;
  errors: FieldErrors;
  sentTo?: string | undefined;
  notice?: MessageKey | undefined;
  formError?: Message | undefined;
}

export function BindingPage(props: BindingProps) {
  const { t } = useI18n();
  const a = props.account;
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} ids={props.channel ? { code: codeInputId(`bind-${props.channel}`) } : {}} />
      {props.sentTo && <Notice kind="success">{t('binding.code_sent', { to: props.sentTo })}</Notice>}
      <p id="binding-state">{t(a.realnameBoundAt ? 'identity.bound' : 'identity.not_bound')}</p>

      <ContactBinding
        channel="phone"
        title={t('binding.by_phone')}
        bound={a.phone && a.phoneVerifiedAt ? maskPhone(a.phone) : undefined}
        value={props.values.phone}
        code={props.channel === 'phone' ? props.values.code : undefined}
        errors={props.channel === 'phone' ? props.errors : {}}
      />
      <ContactBinding
        channel="email"
        title={t('binding.by_email')}
        bound={a.email && a.emailVerifiedAt ? maskEmail(a.email) : undefined}
        value={props.values.email}
        code={props.channel === 'email' ? props.values.code : undefined}
        errors={props.channel === 'email' ? props.errors : {}}
      />
      <p class="hint">{t('binding.hint')}</p>

      {!a.realnameBoundAt && (
        <section id="classmate">
          <h2>{t('classmate.title')}</h2>
          <p>{t('classmate.intro')}</p>
          {props.classmateRequest && <p id="classmate-state">{t(`classmate.state_${props.classmateRequest.state}`)}</p>}
          <Form action="/account/binding/classmate" id="classmate-form">
            <Field
              name="classmateName"
              label={t('classmate.name')}
              value={props.classmateValues?.classmateName}
              error={props.errors.classmateName}
              maxLength={80}
            />
            <Field
              name="classmatePhone"
              label={t('classmate.phone')}
              type="tel"
              inputmode="numeric"
              value={props.classmateValues?.classmatePhone}
              error={props.errors.classmatePhone}
              maxLength={20}
            />
            <Field
              name="ownPhone"
              label={t('classmate.own_phone')}
              type="tel"
              inputmode="numeric"
              value={props.classmateValues?.ownPhone}
              error={props.errors.ownPhone}
              maxLength={20}
            />
            <Submit>{t('identity.submit')}</Submit>
          </Form>
        </section>
      )}
      <HelpLinks slugs={['real-name-binding', 'code-not-received']} />
    </>
  );
}

/** One way of binding: 已绑定成功 when the contact is proved, else its 免费获取 + code form. */
function ContactBinding(props: {
  channel: 'phone' | 'email';
  title: string;
  bound: string | undefined;
  value: string | undefined;
  code: string | undefined;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  const phone = props.channel === 'phone';
  return (
    <>
      <h2>{props.title}</h2>
      {props.bound ? (
        <p class="bound" id={`${props.channel}-bound`}>
          {t('binding.done', { contact: props.bound })}
        </p>
      ) : (
        <ContactCodeForm
          channel={props.channel}
          action={`/account/binding/${props.channel}`}
          id={`bind-${props.channel}`}
          labels={{
            contact: phone ? 'register.phone' : 'register.email',
            code: phone ? 'register.code' : 'binding.email_code',
            send: 'register.send_code',
            submit: 'identity.submit',
          }}
          value={props.value}
          code={props.code}
          errors={props.errors}
        />
      )}
    </>
  );
}
