// The one form a phone or address is proved with, wherever it is added or changed (实名信息绑定,
// 更换手机号, 更换邮箱): the contact with 免费获取 beside it, the code, and the button that binds.
import { useI18n } from '../../views/i18n-context.ts';
import { Field, Form, Submit, type FieldErrors } from '../../views/components.tsx';
import type { MessageKey } from '../../i18n/index.ts';

export interface ContactCodeFormProps {
  channel: 'phone' | 'email';
  /** Where the form posts; 免费获取 posts to the same path + /code. */
  action: string;
  id: string;
  labels: { contact: MessageKey; code: MessageKey; send: MessageKey; submit: MessageKey };
  /** Ids for the two buttons, where a page names them. */
  buttonIds?: { send?: string; submit?: string };
  value: string | undefined;
  /** The code as typed, while it is still good (a refusal about something else). */
  code?: string | undefined;
  errors: FieldErrors;
}

/** The code input's id: a page may hold two of these forms (实名信息绑定), so it is the form's. */
export const codeInputId = (formId: string) => `${formId}-code`;

export function ContactCodeForm(props: ContactCodeFormProps) {
  const { t } = useI18n();
  const phone = props.channel === 'phone';
  return (
    <Form action={props.action} id={props.id}>
      <Field
        name={props.channel}
        label={t(props.labels.contact)}
        type={phone ? 'tel' : 'email'}
        inputmode={phone ? 'numeric' : 'email'}
        value={props.value}
        error={props.errors[props.channel]}
        maxLength={phone ? 20 : 254}
      >
        <Submit formaction={`${props.action}/code`} class="secondary" id={props.buttonIds?.send}>
          {t(props.labels.send)}
        </Submit>
      </Field>
      <Field
        name="code"
        id={codeInputId(props.id)}
        label={t(props.labels.code)}
        inputmode="numeric"
        autocomplete="one-time-code"
        value={props.code}
        error={props.errors.code}
        maxLength={6}
      />
      <Submit id={props.buttonIds?.submit}>{t(props.labels.submit)}</Submit>
    </Form>
  );
}
