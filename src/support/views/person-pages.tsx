// The person's support pages: the form (with a contact and the captcha when not signed in), the
// reference shown after filing without an account, the list of their requests and one request's
// history with a reply box. The customer-service contacts stand beside every one of them.
import { useI18n } from '../../views/i18n-context.ts';
import { useCsrf } from '../../views/form-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, TextAreaField, type FieldErrors } from '../../views/components.tsx';
import { CaptchaField } from '../../views/captcha-field.tsx';
import { SupportContacts } from '../../views/support-contacts.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { Captcha } from '../../captcha/service.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { MAX_TEXT_CHARS, SUPPORT_CATEGORIES, type requestByFollowLink, type requestOf, type requestsOf } from '../requests.ts';
import { CategorySelect, ImageField, StateLabel } from './parts.tsx';

export interface NewRequestValues {
  category?: string | undefined;
  text?: string | undefined;
  contact?: string | undefined;
  source: 'form' | 'assistant';
}

export function NewRequestPage(props: {
  values: NewRequestValues;
  signedIn: boolean;
  errors: FieldErrors;
  formError?: Message | undefined;
  captcha: Captcha | undefined;
}) {
  const { t } = useI18n();
  const csrf = useCsrf();
  const { values, errors } = props;
  return (
    <>
      <ErrorSummary errors={errors} formError={props.formError} />
      <p>{t('support.new_intro')}</p>
      {!props.signedIn && <p>{t('support.new_intro_anonymous')}</p>}
      {values.source === 'assistant' && <p class="hint">{t('support.from_assistant')}</p>}
      {/* Multipart for the image: the CSRF token travels as a form field, read with the file. */}
      <form method="post" action="/support/new" enctype="multipart/form-data" id="support-form" class="form" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="source" value={values.source} />
        <CategorySelect value={values.category} error={errors.category} />
        <TextAreaField
          name="text"
          label={t('support.text')}
          value={values.text}
          error={errors.text}
          hint={t('support.text_hint', { max: MAX_TEXT_CHARS })}
          rows={6}
          maxLength={MAX_TEXT_CHARS}
          required
        />
        <ImageField error={errors.image} />
        {!props.signedIn && (
          <Field
            name="contact"
            label={t('support.contact')}
            value={values.contact}
            error={errors.contact}
            hint={t('support.contact_hint')}
            autocomplete="tel"
            maxLength={254}
          />
        )}
        {props.captcha && <CaptchaField captcha={props.captcha} error={errors.captcha} />}
        <Submit id="support-submit">{t('support.submit')}</Submit>
      </form>
      <Beside />
    </>
  );
}

/** The support pages are the online request: beside them, the other ways (not a link to themselves). */
function Beside() {
  return <SupportContacts withForm={false} />;
}

export function RequestFiledPage(props: { reference: string }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="success">
        <span id="support-reference-notice">{t('support.filed_anonymous', { reference: props.reference })}</span>
      </Notice>
      <Beside />
    </>
  );
}

export function RequestListPage(props: { requests: Awaited<ReturnType<typeof requestsOf>> }) {
  const { t, lang } = useI18n();
  return (
    <>
      <p>
        <a href="/support/new" id="support-new-link">
          {t('support.new_link')}
        </a>
      </p>
      {props.requests.length === 0 ? (
        <p id="support-empty">{t('support.list_empty')}</p>
      ) : (
        // A list rather than a table: five columns do not fit a phone's width.
        <ul class="support-requests" id="support-requests">
          {props.requests.map((r) => (
            <li data-request={r.reference}>
              <p>
                <a href={`/account/support/${r.reference}`}>{r.reference}</a> · <StateLabel state={r.state} />
              </p>
              <p class="hint">
                {SUPPORT_CATEGORIES.includes(r.category) ? t(`support.category.${r.category}` as MessageKey) : r.category} · {t('support.col.updated')}{' '}
                {formatBeijing(r.updatedAt, lang)}
              </p>
              <p>{[...r.question].slice(0, 60).join('')}</p>
            </li>
          ))}
        </ul>
      )}
      <Beside />
    </>
  );
}

function History(props: { messages: Awaited<ReturnType<typeof requestOf>>['messages'] }) {
  const { t, lang } = useI18n();
  return (
    <>
      <h2>{t('support.history')}</h2>
      <ol class="support-history" id="support-history">
        {props.messages.map((m) => (
          <li data-author={m.author}>
            <p class="hint">
              {m.author === 'staff' ? t('support.author.staff') : t('support.author.person')} · {formatBeijing(m.at, lang)}
              {m.hasImage && <> {t('support.has_image')}</>}
            </p>
            <p class="support-message">{m.body}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** A request filed without signing in, opened by the link in staff's answer: read-only. */
export function FollowPage(props: { found: NonNullable<Awaited<ReturnType<typeof requestByFollowLink>>> }) {
  const { t } = useI18n();
  const r = props.found;
  return (
    <>
      <p>
        {t('support.col.reference')}：<span id="support-reference">{r.reference}</span> · {t('support.col.state')}：
        <span id="support-state">
          <StateLabel state={r.state} />
        </span>
      </p>
      <History messages={r.messages} />
      <p id="support-follow-more">
        {t('support.follow_more', { reference: r.reference })} <a href="/support/new">{t('support.new_link')}</a>
      </p>
      <Beside />
    </>
  );
}

export function RequestPage(props: {
  found: Awaited<ReturnType<typeof requestOf>>;
  notice: MessageKey | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
  typed?: string | undefined;
}) {
  const { t } = useI18n();
  const csrf = useCsrf();
  const r = props.found;
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice, { reference: r.reference })}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>
        {t('support.col.state')}：
        <span id="support-state">
          <StateLabel state={r.state} />
        </span>
      </p>
      <History messages={r.messages} />
      {r.state === 'closed' && <p>{t('support.closed_notice')}</p>}
      <form method="post" action={`/account/support/${r.reference}/reply`} enctype="multipart/form-data" id="support-reply-form" class="form" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <TextAreaField name="text" label={t('support.reply')} value={props.typed} error={props.errors.text} rows={4} maxLength={MAX_TEXT_CHARS} required />
        <ImageField error={props.errors.image} />
        <Submit id="support-reply-submit">{t('support.reply_submit')}</Submit>
      </form>
      {r.state !== 'closed' && (
        <Form action={`/account/support/${r.reference}/close`} id="support-close-form">
          <Submit id="support-close" class="secondary">
            {t('support.close')}
          </Submit>
        </Form>
      )}
      <p>
        <a href="/account/support">{t('support.list_title')}</a>
      </p>
      <Beside />
    </>
  );
}
