// The photo-review queue and one claimed case: the three photos (served only to the claimant,
// never cached) and the two decisions.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import { REJECTION_REASONS, REJECTION_REASONS_EN, type RejectionReason, type pendingReviews, type reviewComparison } from '../../resolution/photo-review.ts';
import { PHOTO_KINDS } from '../../resolution/photo-path.ts';
import { QueueTable } from './queue-table.tsx';
import type { MessageKey } from '../../i18n/index.ts';

type Pending = Awaited<ReturnType<typeof pendingReviews>>[number];
type Comparison = Awaited<ReturnType<typeof reviewComparison>>;

export function ReviewQueuePage(props: { reviews: Pending[]; me: string; notice?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  return (
    <QueueTable
      name="review"
      intro="console.reviews_intro"
      empty="console.reviews_empty"
      columns={['console.col.submitted', 'console.col.age', 'console.col.due', 'console.col.account', 'console.col.name', 'console.col.id']}
      notice={props.notice}
      me={props.me}
      rows={props.reviews.map((r) => ({
        id: r.id,
        caseUrl: `/console/reviews/${r.id}`,
        claimedBy: r.claimedBy,
        claimLapsed: r.claimLapsed,
        cellClasses: [undefined, undefined, r.overdue ? 'overdue' : undefined],
        cells: [
          formatBeijing(r.submittedAt, lang),
          t('console.hours', { hours: r.ageHours }),
          <>
            {formatBeijing(r.dueBy, lang)}
            {r.overdue && ` · ${t('console.overdue')}`}
          </>,
          <>
            {r.username}
            {r.suspended && <span class="pill state-suspended"> {t('state.suspended')}</span>}
          </>,
          r.name,
          r.idMasked,
        ],
      }))}
    />
  );
}

export function ReviewCasePage(props: {
  review: Pending;
  affected: { others: string[]; platforms: string[] };
  comparison: Comparison;
  error?: MessageKey | undefined;
}) {
  const { t, lang } = useI18n();
  const r = props.review;
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {r.suspended && <Notice kind="error">{t('review.account_suspended')}</Notice>}
      <dl class="facts">
        <dt>{t('console.col.name')}</dt>
        <dd id="case-name">{r.name}</dd>
        <dt>{t('console.review_full_id')}</dt>
        <dd>
          <span class="revealed" id="case-id-number">
            {props.comparison.idNumber ?? r.idMasked}
          </span>
          <span class="hint"> {t('console.review_full_id_hint')}</span>
        </dd>
        <dt>{t('console.col.account')}</dt>
        <dd>{r.username}</dd>
        <dt>{t('console.col.submitted')}</dt>
        <dd>{formatBeijing(r.submittedAt, lang)}</dd>
        <dt>{t('console.col.due')}</dt>
        <dd class={r.overdue ? 'overdue' : undefined}>{formatBeijing(r.dueBy, lang)}</dd>
      </dl>
      <section class="panel" id="compare">
        <h2>{t('console.review_compare_title')}</h2>
        <div class="staff-table-scroll" tabIndex={0}>
          <table class="grid" id="compare-holders">
            <thead>
              <tr>
                <th>
                  <span class="visually-hidden">{t('console.review_holder')}</span>
                </th>
                <th>{t('console.col.name')}</th>
                <th>{t('console.col.account')}</th>
                <th>{t('console.col.registered')}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-holder="claimant">
                <th scope="row">{t('console.review_claimant')}</th>
                <td>{r.name}</td>
                <td>{r.username}</td>
                <td>{formatBeijing(r.registeredAt, lang)}</td>
              </tr>
              {props.comparison.holders.map((h) => (
                <tr data-holder="other">
                  <th scope="row">{t('console.review_other_holder')}</th>
                  <td>{h.name}</td>
                  <td>
                    {h.username}
                    {h.suspended && <span class="pill state-suspended"> {t('state.suspended')}</span>}
                  </td>
                  <td>{formatBeijing(h.registeredAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {props.comparison.holders.length === 0 && <p id="compare-none">{t('console.review_no_other_holders')}</p>}
      </section>
      <div class="photos">
        {PHOTO_KINDS.map((kind) => {
          const src = `/console/reviews/${r.id}/photos/${kind}`;
          // Full size in its own tab, where the browser zooms it: no script needed (the CSP has none).
          return (
            <figure>
              <a href={src} target="_blank" rel="noopener">
                <img src={src} alt={t(`console.photo.${kind}`)} id={`photo-${kind}`} />
              </a>
              <figcaption>
                {t(`console.photo.${kind}`)} ·{' '}
                <a href={src} target="_blank" rel="noopener" id={`photo-${kind}-full`}>
                  {t('console.photo_full')}
                </a>
              </figcaption>
            </figure>
          );
        })}
      </div>
      <div class="actions">
        <Form action={`/console/reviews/${r.id}/decision`} id="approve-form">
          <h2>{t('console.approve_title')}</h2>
          <p class="hint">{t('console.approve_intro')}</p>
          <p id="affected-accounts">
            {t('console.affected_accounts')} {props.affected.others.length ? props.affected.others.join('，') : t('console.none')}
          </p>
          <p id="affected-platforms">
            {t('console.affected_platforms')} {props.affected.platforms.length ? props.affected.platforms.join('，') : t('console.none')}
          </p>
          <input type="hidden" name="decision" value="approve" />
          <div class="field">
            <label for="f-approve-note">{t('console.approve_note')}</label>
            <textarea id="f-approve-note" name="note" maxLength={200} rows={2}></textarea>
          </div>
          <Submit id="approve">{t('console.approve')}</Submit>
        </Form>
        <Form action={`/console/reviews/${r.id}/decision`} id="reject-form">
          <h2>{t('console.reject_title')}</h2>
          <input type="hidden" name="decision" value="reject" />
          <div class="field">
            <label for="f-reason">{t('console.reject_reason')}</label>
            <select id="f-reason" name="reason">
              {Object.entries(REJECTION_REASONS).map(([key, text]) => (
                <option value={key}>{lang === 'en' ? REJECTION_REASONS_EN[key as RejectionReason] : text}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-note">{t('console.reject_note')}</label>
            <textarea id="f-note" name="note" maxLength={200} rows={2}></textarea>
          </div>
          <Submit id="reject" class="secondary">
            {t('console.reject')}
          </Submit>
        </Form>
      </div>
    </>
  );
}
