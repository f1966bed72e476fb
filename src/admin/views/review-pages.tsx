// The photo-review queue and one claimed case: the three photos (served only to the claimant,
// never cached) and the two decisions.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import { REJECTION_REASONS, REJECTION_REASONS_EN, type RejectionReason, type pendingReviews } from '../../resolution/photo-review.ts';
import { PHOTO_KINDS } from '../../resolution/photo-path.ts';
import { QueueTable } from './queue-table.tsx';
import type { MessageKey } from '../../i18n/index.ts';

type Pending = Awaited<ReturnType<typeof pendingReviews>>[number];

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

export function ReviewCasePage(props: { review: Pending; affected: { others: string[]; platforms: string[] }; error?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  const r = props.review;
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {r.suspended && <Notice kind="error">{t('review.account_suspended')}</Notice>}
      <dl class="facts">
        <dt>{t('console.col.name')}</dt>
        <dd id="case-name">{r.name}</dd>
        <dt>{t('console.col.id')}</dt>
        <dd>{r.idMasked}</dd>
        <dt>{t('console.col.account')}</dt>
        <dd>{r.username}</dd>
        <dt>{t('console.col.submitted')}</dt>
        <dd>{formatBeijing(r.submittedAt, lang)}</dd>
        <dt>{t('console.col.due')}</dt>
        <dd class={r.overdue ? 'overdue' : undefined}>{formatBeijing(r.dueBy, lang)}</dd>
      </dl>
      <div class="photos">
        {PHOTO_KINDS.map((kind) => (
          <figure>
            <img src={`/console/reviews/${r.id}/photos/${kind}`} alt={t(`console.photo.${kind}`)} id={`photo-${kind}`} />
            <figcaption>{t(`console.photo.${kind}`)}</figcaption>
          </figure>
        ))}
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
