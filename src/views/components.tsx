// Shared form pieces. Every <Form> posts with its CSRF token; every field shows its own error
// next to it (aria-describedby), so a screen reader hears which field is wrong and why.
import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n-context.ts';
import type { Message } from '../i18n/index.ts';
import { useCsrf } from './form-context.ts';

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
        />
        {props.children}
      </div>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${id}-error`} role="alert">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

/** A labelled multi-line field with its hint and message, as Field is for one line. */
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
        <p class="error" id={`${id}-error`} role="alert">
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
