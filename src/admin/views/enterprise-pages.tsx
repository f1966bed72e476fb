// Enterprise look-up requests in the console: the queue, and one claimed request with its letter,
// the enterprise accounts its credit code names, and the three answers.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { maskContact } from '../../lib/mask.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import type { enterpriseRequestDetail, handledEnterpriseRequests, pendingEnterpriseRequests } from '../../enterprise/requests.ts';
import { StatePill } from './account-pages.tsx';
import { ClaimAction } from './claim-action.tsx';
import type { MessageKey } from '../../i18n/index.ts';

type Queue = Awaited<ReturnType<typeof pendingEnterpriseRequests>>;
type Detail = Awaited<ReturnType<typeof enterpriseRequestDetail>>;
type Handled = Awaited<ReturnType<typeof handledEnterpriseRequests>>;

export function EnterpriseQueuePage(props: { requests: Queue; handled: Handled; me: string; notice?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.requests.length === 0 ? (
        <p id="requests-empty">{t('console.requests_empty')}</p>
      ) : (
        <table tabIndex={0} class="grid" id="enterprise-queue">
          <thead>
            <tr>
              <th>{t('console.col.submitted')}</th>
              <th>{t('enterprise.name')}</th>
              <th>{t('enterprise.credit_code')}</th>
              <th>{t('enterprise.wants')}</th>
              <th>{t('console.col.claimed')}</th>
              <th>
                <span class="visually-hidden">{t('console.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.requests.map((r) => (
              <tr data-request={r.id}>
                <td>{formatBeijing(r.submitted_at, lang)}</td>
                <td>{r.enterprise_name}</td>
                <td>{r.credit_code}</td>
                <td>{t(`enterprise.wants_${r.wants}`)}</td>
                <td>{r.claimed_by ?? '—'}</td>
                <td>
                  <ClaimAction caseUrl={`/console/enterprise/${r.id}`} claimedBy={r.claimed_by} claimLapsed={r.claimLapsed} me={props.me} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('console.requests_handled')}</h2>
      {props.handled.length === 0 ? (
        <p>{t('console.none')}</p>
      ) : (
        <table tabIndex={0} class="grid" id="enterprise-handled">
          <thead>
            <tr>
              <th>{t('console.col.submitted')}</th>
              <th>{t('enterprise.name')}</th>
              <th>{t('enterprise.credit_code')}</th>
              <th>{t('console.col.state')}</th>
              <th>{t('console.col.who')}</th>
              <th>{t('console.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {props.handled.map((r) => (
              <tr>
                <td>{formatBeijing(r.submitted_at, lang)}</td>
                <td>{r.enterprise_name}</td>
                <td>{r.credit_code}</td>
                <td>{`${t(`console.request_state.${r.state}`)}${r.handled_at ? ` · ${formatBeijing(r.handled_at, lang)}` : ''}`}</td>
                <td>{r.handled_by ?? ''}</td>
                <td>{r.outcome ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A PDF letter as the page images drawn at upload; the PDF itself is never offered. */
function LetterPages(props: { requestId: string; pages: number }) {
  const { t } = useI18n();
  if (props.pages === 0)
    return (
      <div id="letter-not-rendered">
        <Notice kind="info">{t('console.letter_not_rendered')}</Notice>
      </div>
    );
  const numbers = Array.from({ length: props.pages }, (_, i) => i + 1);
  return (
    <>
      <p>{t('console.letter_pdf_pages')}</p>
      <div class="photos" id="letter-pages">
        {numbers.map((page) => {
          const caption = t('console.letter_page', { page, pages: props.pages });
          return (
            <figure>
              <img
                src={`/console/enterprise/${props.requestId}/letter/pages/${page}`}
                alt={`${t('enterprise.letter')} ${caption}`}
                id={`letter-page-${page}`}
              />
              <figcaption>{caption}</figcaption>
            </figure>
          );
        })}
      </div>
    </>
  );
}

export function EnterpriseRequestPage(props: { detail: Detail; error?: MessageKey | undefined; retry?: Record<string, string> | undefined }) {
  const { t, lang } = useI18n();
  const r = props.detail.request;
  const letterUrl = `/console/enterprise/${r.id}/letter`;
  const live = props.detail.accounts.filter((a) => a.state !== 'deregistered');
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      <dl class="facts">
        <dt>{t('enterprise.name')}</dt>
        <dd id="request-name">{r.enterprise_name}</dd>
        <dt>{t('enterprise.credit_code')}</dt>
        <dd>{r.credit_code}</dd>
        <dt>{t('enterprise.contact_name')}</dt>
        <dd>{r.contact_name}</dd>
        <dt>{t('enterprise.contact_phone')}</dt>
        <dd>{r.contact_phone ?? '—'}</dd>
        <dt>{t('enterprise.contact_email')}</dt>
        <dd>{r.contact_email ?? '—'}</dd>
        <dt>{t('enterprise.wants')}</dt>
        <dd>{t(`enterprise.wants_${r.wants}`)}</dd>
        <dt>{t('console.col.submitted')}</dt>
        <dd>{`${formatBeijing(r.submitted_at, lang)} · ${r.ip ?? ''}`}</dd>
      </dl>
      <h2>{t('enterprise.letter')}</h2>
      {r.letter_media_type === 'application/pdf' ? (
        <LetterPages requestId={r.id} pages={props.detail.letterPages} />
      ) : (
        <div class="photos">
          <figure>
            <img src={letterUrl} alt={t('enterprise.letter')} id="letter-image" />
          </figure>
        </div>
      )}
      <h2>{t('console.enterprise_accounts')}</h2>
      {live.length === 0 ? (
        <p id="no-enterprise-account">{t('console.enterprise_none')}</p>
      ) : (
        <table tabIndex={0} class="grid" id="enterprise-accounts">
          <tbody>
            {live.map((a) => (
              <tr>
                <td>{a.enterprise_name}</td>
                <td>{a.email ? maskContact('email', a.email) : '—'}</td>
                <td>
                  <StatePill state={a.state} />
                </td>
                <td class="enterprise-confirmation">{t(a.confirmed_at ? 'console.enterprise_confirmed' : 'console.enterprise_unconfirmed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        {live.length > 0 && (
          <Form action={`/console/enterprise/${r.id}/answer`} id="answer-form">
            <h2>{t('console.enterprise_answer')}</h2>
            <div class="field">
              <label for="f-accountId">{t('console.col.account')}</label>
              <select id="f-accountId" name="accountId">
                {live.map((a) => (
                  <option value={a.id}>{`${a.enterprise_name ?? ''} ${a.email ? maskContact('email', a.email) : ''}`}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-reason-answer">{t('console.reason')}</label>
              <input id="f-reason-answer" name="reason" maxLength={200} value={props.retry?.action !== 'reject' ? props.retry?.reason : undefined} />
            </div>
            {r.wants === 'confirm' ? (
              <Submit id="confirm-account" name="action" value="confirm">
                {t('console.enterprise_confirm')}
              </Submit>
            ) : (
              <Submit id="send-username" name="action" value="send_username">
                {t('console.enterprise_send_username')}
              </Submit>
            )}{' '}
            {r.contact_email && r.wants !== 'confirm' && (
              <Submit id="start-reset" name="action" value="start_reset" class="secondary">
                {t('console.enterprise_start_reset')}
              </Submit>
            )}
          </Form>
        )}
        <Form action={`/console/enterprise/${r.id}/answer`} id="reject-request-form">
          <h2>{t('console.enterprise_reject')}</h2>
          <input type="hidden" name="action" value="reject" />
          <div class="field">
            <label for="f-reason-reject">{t('console.enterprise_reject_reason')}</label>
            <input id="f-reason-reject" name="reason" maxLength={200} value={props.retry?.action === 'reject' ? props.retry.reason : undefined} />
          </div>
          <Submit id="reject-request" class="secondary">
            {t('console.enterprise_reject')}
          </Submit>
        </Form>
      </div>
    </>
  );
}
