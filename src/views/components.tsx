// Shared form pieces. Every <Form> posts with its CSRF token; every field shows its own error
// next to it (aria-describedby), so a screen reader hears which field is wrong and why; and a
// refused form lists all its errors at the top (ErrorSummary), each a link to its field. The
// field messages carry no role=alert: the summary announces the refusal once (eight alerts for
// seven errors would drown it), and each message is read with its field.
import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n-context.ts';
import type { Message } from '../i18n/index.ts';
import { useCsrf } from './form-context.ts';
import type { MessageKey } from '../i18n/index.ts';

export type FieldError = Message;
export type FieldErrors = Record<string, FieldError | undefined>;

export function Form(props: { action: string; children: ComponentChildren; id?: string; class?: string }) {
  const csrf = useCsrf();
  return (
    <form method="post" action={props.action} id={props.id} class={props.class ?? 'form'} novalidate>
      <input type="hidden" name="_csrf" value={csrf} />
      {props.children}
    </form>
  );
}

export function Field(props: {
  name: string;
  /** The input's id when one page holds several fields of the same name (default f-NAME). */
  id?: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'tel';
  value?: string | undefined;
  error?: FieldError | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  hint?: string;
  required?: boolean;
  children?: ComponentChildren;
  maxLength?: number;
  /** code-6: sized for a six-digit code (app.css). */
  inputClass?: 'code-6';
}) {
  const { t } = useI18n();
  const id = props.id ?? `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <div class="field-row">
        <input
          id={id}
          name={props.name}
          type={(props.type ?? 'text') as 'text'}
          value={props.value ?? ''}
          autocomplete={props.autocomplete}
          inputMode={props.inputmode}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy}
          required={props.required}
          maxLength={props.maxLength}
          class={props.inputClass}
        />
        {props.children}
      </div>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

/** A labelled multi-line field with its hint and message, as Field is for one line. */
/** A tick the form needs (a consent, an acknowledgement), never ticked in advance; its error beside it. */
export function CheckboxField(props: {
  name: string;
  checked?: boolean | undefined;
  error?: FieldError | undefined;
  children: ComponentChildren;
  id?: string;
}) {
  const { t } = useI18n();
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class={props.error ? 'field checkbox has-error' : 'field checkbox'}>
      <label>
        <input
          type="checkbox"
          id={id}
          name={props.name}
          value="1"
          checked={props.checked}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
        />{' '}
        {props.children}
      </label>
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

export function TextAreaField(props: {
  name: string;
  label: string;
  value?: string | undefined;
  error?: FieldError | undefined;
  hint?: string;
  rows?: number;
  maxLength?: number;
  required?: boolean;
}) {
  const { t } = useI18n();
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
      >
        {props.value ?? ''}
      </textarea>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

export function Notice(props: { kind: 'info' | 'success' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function Submit(props: { children: ComponentChildren; name?: string; value?: string; formaction?: string; class?: string; id?: string }) {
  return (
    <button type="submit" name={props.name} value={props.value} formAction={props.formaction} class={props.class ?? 'primary'} id={props.id}>
      {props.children}
    </button>
  );
}

/** The input id a field gets when it sets none (Field, TextAreaField, the captcha, the ID type). */
export const fieldInputId = (name: string) => `f-${name}`;

/**
 * Messages with a way out of their own: the bracketed part of the text becomes a link (the
 * solutions open in a new tab, so the refused form keeps what was typed).
 */
const MESSAGE_LINKS: Partial<Record<MessageKey, { href: string; label: MessageKey }>> = {
  'identity.case2_registered': { href: '/help/duplicate-id', label: 'identity.case2_solutions_link' },
};

/** One error's text, with its link out when it has one (证件号码已被注册，查看【解决方法】). */
function SummaryItem(props: { href: string; error: FieldError }) {
  const { t } = useI18n();
  const text = t(props.error.code, props.error.params);
  const out = MESSAGE_LINKS[props.error.code];
  const label = out ? t(out.label) : '';
  const at = label ? text.indexOf(label) : -1;
  if (!out || at < 0) return <a href={props.href}>{text}</a>;
  return (
    <>
      <a href={props.href}>{text.slice(0, at)}</a>
      <a href={out.href} target="_blank" rel="noopener" class="summary-help-link">
        {label}
      </a>
      {text.slice(at + label.length)}
    </>
  );
}

/**
 * The top of a refused form (after the GOV.UK error summary): a titled box with the form's own
 * error and one link per field error to that field's input. public/app.js moves the focus to it
 * on load, so a screen reader hears it first and a phone shows it without scrolling; without
 * JavaScript it is simply the first thing on the page. Errors come in the page's order (`order`),
 * else in the order the checks gave them.
 */
export function ErrorSummary(props: {
  errors?: FieldErrors | undefined;
  formError?: Message | undefined;
  /** Input ids of fields whose id is not f-NAME. */
  ids?: Record<string, string>;
  /** The fields in the order the page shows them, where the checks report them otherwise. */
  order?: readonly string[];
}) {
  const { t } = useI18n();
  const rank = (name: string) => {
    const at = props.order?.indexOf(name) ?? -1;
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  const fields = Object.entries(props.errors ?? {})
    .filter((entry): entry is [string, FieldError] => entry[1] !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b));
  if (!props.formError && fields.length === 0) return null;
  return (
    <div class="error-summary" id="error-summary" tabindex={-1} data-error-summary>
      <div role="alert">
        <h2 class="error-summary-title" id="error-summary-title">
          {t('form.error_summary_title')}
        </h2>
        {props.formError && <p class="error-summary-form">{t(props.formError.code, props.formError.params)}</p>}
        {fields.length > 0 && (
          <ul class="error-summary-list">
            {fields.map(([name, error]) => (
              <li key={name}>
                <SummaryItem href={`#${props.ids?.[name] ?? fieldInputId(name)}`} error={error} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
