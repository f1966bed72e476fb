// The queue of deregistration disputes and one claimed case: what the person said, how to reach
// them, what the account gave up, the verification that deregistered it, and the two decisions.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import type { DisputeSummary, disputeCase } from '../../resolution/disputes.ts';
import { QueueTable } from './queue-table.tsx';
import type { MessageKey } from '../../i18n/index.ts';

const pathKey = (path: string | null): MessageKey | undefined =>
  path === 'app' || path === 'photo' || path === 'classmate' || path === 'records' ? (`dashboard.path.${path}` as const) : undefined;

export function DisputeQueuePage(props: { disputes: DisputeSummary[]; me: string; notice?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  return (
    <QueueTable
      name="dispute"
      intro="console.disputes_intro"
      empty="console.disputes_empty"
      columns={['console.col.opened_dispute', 'console.col.deregistered', 'console.col.path', 'console.col.name', 'console.col.id']}
      notice={props.notice}
      me={props.me}
      rows={props.disputes.map((d) => {
        const path = pathKey(d.path);
        return {
          id: d.id,
          caseUrl: `/console/disputes/${d.id}`,
          claimedBy: d.claimedBy,
          claimLapsed: d.claimLapsed,
          cells: [formatBeijing(d.openedAt, lang), d.deregisteredAt ? formatBeijing(d.deregisteredAt, lang) : '—', path ? t(path) : '—', d.name, d.idMasked],
        };
      })}
    />
  );
}

export function DisputeCasePage(props: { found: Awaited<ReturnType<typeof disputeCase>>; error?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  const d = props.found;
  const path = pathKey(d.path);
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      <dl class="facts">
        <dt>{t('console.col.name')}</dt>
        <dd id="case-name">{d.name}</dd>
        <dt>{t('console.col.id')}</dt>
        <dd>{d.idMasked}</dd>
        <dt>{t('console.col.deregistered')}</dt>
        <dd>
          {d.deregisteredAt ? formatBeijing(d.deregisteredAt, lang) : '—'}
          {path && ` · ${t(path)}`}
        </dd>
        <dt>{t('console.dispute_released')}</dt>
        <dd id="dispute-released">{d.released.length ? d.released.map((c) => c.masked).join('，') : t('console.none')}</dd>
        <dt>{t('console.dispute_claimant')}</dt>
        <dd id="dispute-claimant">{d.claimant ? `${d.claimant.username} · ${t(`state.${d.claimant.state}`)}` : '—'}</dd>
        <dt>{t('console.col.opened_dispute')}</dt>
        <dd>{formatBeijing(d.openedAt, lang)}</dd>
        <dt>{t('console.dispute_contact')}</dt>
        <dd id="dispute-contact">{d.contact.value}</dd>
      </dl>
      <h2>{t('console.dispute_what')}</h2>
      <blockquote id="dispute-what">{d.whatHappened}</blockquote>
      <div class="actions">
        {d.reversible ? (
          <Form action={`/console/disputes/${d.id}/decision`} id="reverse-form">
            <h2>{t('console.dispute_reverse_title')}</h2>
            <p class="hint">{t('console.dispute_reverse_intro')}</p>
            <input type="hidden" name="decision" value="reverse" />
            <div class="field">
              <label for="f-reverse-reason">{t('console.reason')}</label>
              <textarea id="f-reverse-reason" name="reason" maxLength={200} rows={2} required></textarea>
            </div>
            <Submit id="reverse">{t('console.dispute_reverse')}</Submit>
          </Form>
        ) : (
          <p id="not-reversible">{t('console.dispute_not_reversible')}</p>
        )}
        <Form action={`/console/disputes/${d.id}/decision`} id="dismiss-form">
          <h2>{t('console.dispute_dismiss_title')}</h2>
          <p class="hint">{t('console.dispute_dismiss_intro')}</p>
          <input type="hidden" name="decision" value="dismiss" />
          <div class="field">
            <label for="f-dismiss-reason">{t('console.reject_note')}</label>
            <textarea id="f-dismiss-reason" name="reason" maxLength={200} rows={2} required></textarea>
          </div>
          <Submit id="dismiss" class="secondary">
            {t('console.dispute_dismiss')}
          </Submit>
        </Form>
      </div>
    </>
  );
}
