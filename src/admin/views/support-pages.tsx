// The console's support queue and one claimed request: who asked (an account, or the contact of
// someone who could not sign in), the history, and the answer form.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { ErrorSummary, Form, Submit, TextAreaField, type FieldErrors } from '../../views/components.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import type { staffRequest, supportQueue } from '../../support/requests.ts';
import { MAX_TEXT_CHARS } from '../../support/requests.ts';
import { StateLabel } from '../../support/views/parts.tsx';
import { QueueTable } from './queue-table.tsx';

export function SupportQueuePage(props: {
  requests: Awaited<ReturnType<typeof supportQueue>>;
  me: string;
  notice?: MessageKey | undefined;
  notFound?: string | undefined;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      {/* Any request by the reference a person quotes, answered and closed ones too. */}
      <form method="get" action="/console/support/find" id="support-find" class="form inline" role="search">
        <label for="support-find-ref">{t('support.staff_find')}</label>{' '}
        <input id="support-find-ref" name="ref" value={props.notFound ?? ''} maxLength={20} autocomplete="off" spellcheck={false} />{' '}
        <button type="submit">{t('support.staff_find_submit')}</button>
      </form>
      {props.notFound !== undefined && (
        <p class="hint" id="support-find-none" role="status">
          {t('support.staff_find_none')}
        </p>
      )}
      <QueueTable
        name="support"
        intro="support.console_intro"
        empty="support.console_empty"
        columns={['support.col.waiting', 'support.col.reference', 'support.col.category', 'support.col.question']}
        notice={props.notice}
        me={props.me}
        rows={props.requests.map((r) => ({
          id: r.id,
          caseUrl: `/console/support/${r.id}`,
          claimedBy: r.claimedBy,
          claimLapsed: r.claimLapsed,
          cells: [formatBeijing(r.waitingSince, lang), r.reference, t(`support.category.${r.category}` as MessageKey), [...r.question].slice(0, 60).join('')],
        }))}
      />
    </>
  );
}

export function SupportRequestPage(props: {
  found: Awaited<ReturnType<typeof staffRequest>>;
  errors: FieldErrors;
  formError?: Message | undefined;
  typed?: string | undefined;
}) {
  const { t, lang } = useI18n();
  const r = props.found;
  const who = r.account ? (r.account.phone ?? r.account.email ?? r.accountId) : t('support.anonymous', { contact: r.contact?.value ?? '' });
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <dl class="facts">
        <dt>{t('support.col.reference')}</dt>
        <dd id="support-reference">{r.reference}</dd>
        <dt>{t('support.col.who')}</dt>
        <dd id="support-who">{r.accountId ? <a href={`/console/accounts/${r.accountId}`}>{who}</a> : who}</dd>
        <dt>{t('support.col.category')}</dt>
        <dd>{t(`support.category.${r.category}` as MessageKey)}</dd>
        <dt>{t('support.col.state')}</dt>
        <dd id="support-state">
          <StateLabel state={r.state} />
        </dd>
      </dl>
      {!r.accountId && (
        <p class="hint" id="support-anonymous-warning">
          <strong>{t('support.staff_anonymous_warning')}</strong>
        </p>
      )}
      <h2>{t('support.history')}</h2>
      <ol class="support-history" id="support-history">
        {r.messages.map((m) => (
          <li data-author={m.author}>
            <p class="hint">
              {m.author === 'staff' ? `${t('support.author.staff')} ${m.staff ?? ''}` : t('support.author.person_staff_view')} · {formatBeijing(m.at, lang)}
            </p>
            <p class="support-message">{m.body}</p>
            {/* The person's image is shown to the one holding the request only (as ID photos are). */}
            {m.hasImage && r.mine && (
              <p>
                <a href={`/console/support/${r.id}/images/${m.id}`} target="_blank" rel="noopener">
                  {t('support.view_image')}
                </a>
              </p>
            )}
          </li>
        ))}
      </ol>
      {!r.mine && r.state !== 'closed' && (
        <Form action={`/console/support/${r.id}/claim`} id="support-claim-form">
          <p class="hint">{t('support.staff_read_only')}</p>
          <Submit id="support-claim">{t('support.staff_claim')}</Submit>
        </Form>
      )}
      {r.mine && r.state !== 'closed' && (
        <div class="actions">
          <Form action={`/console/support/${r.id}/reply`} id="support-reply-form">
            <TextAreaField
              name="text"
              label={t('support.staff_reply')}
              value={props.typed}
              error={props.errors.text}
              hint={t(r.reachable ? 'support.staff_reply_hint' : 'support.staff_reply_unreachable')}
              rows={5}
              maxLength={MAX_TEXT_CHARS}
              required
            />
            <Submit id="support-reply">{t('support.staff_reply_submit')}</Submit>{' '}
            <Submit id="support-reply-close" name="close" value="1" class="secondary">
              {t('support.staff_reply_close')}
            </Submit>
          </Form>
          <Form action={`/console/support/${r.id}/close`} id="support-close-form">
            <Submit id="support-close" class="secondary">
              {t('support.staff_close')}
            </Submit>
          </Form>
        </div>
      )}
    </>
  );
}
