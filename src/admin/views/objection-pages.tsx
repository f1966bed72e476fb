// The queue of objected 途径3 cases and one claimed case: who vouched, for which school, what the
// holder said, and what upholding the vouches would deregister.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';
import type { ObjectedCase, objectedCase } from '../../resolution/objection-review.ts';
import { QueueTable } from './queue-table.tsx';
import type { MessageKey } from '../../i18n/index.ts';

export function ObjectionQueuePage(props: { cases: ObjectedCase[]; me: string; notice?: MessageKey | undefined }) {
  const { lang } = useI18n();
  return (
    <QueueTable
      name="objection"
      intro="console.objections_intro"
      empty="console.objections_empty"
      columns={['console.col.objected', 'console.col.account', 'console.col.name', 'console.col.id']}
      notice={props.notice}
      me={props.me}
      rows={props.cases.map((c) => ({
        id: c.id,
        caseUrl: `/console/objections/${c.id}`,
        claimedBy: c.claimedBy,
        claimLapsed: c.claimLapsed,
        cells: [formatBeijing(c.objectedAt, lang), c.claimant, c.name, c.idMasked],
      }))}
    />
  );
}

export function ObjectionCasePage(props: {
  found: Awaited<ReturnType<typeof objectedCase>>;
  affected: { others: string[]; platforms: string[] };
  error?: MessageKey | undefined;
}) {
  const { t, lang } = useI18n();
  const c = props.found;
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      <dl class="facts">
        <dt>{t('console.col.account')}</dt>
        <dd>{c.claimant}</dd>
        <dt>{t('console.col.name')}</dt>
        <dd id="case-name">{c.name}</dd>
        <dt>{t('console.col.id')}</dt>
        <dd>{c.idMasked}</dd>
        <dt>{t('console.col.opened')}</dt>
        <dd>{formatBeijing(c.openedAt, lang)}</dd>
        <dt>{t('console.col.objected')}</dt>
        <dd>
          {formatBeijing(c.objectedAt, lang)} · {c.objector}
        </dd>
      </dl>
      <h2>{t('console.objection_text')}</h2>
      <blockquote id="objection-text">{c.objection}</blockquote>
      <h2>{t('console.vouches')}</h2>
      <table tabIndex={0} class="grid" id="vouches">
        <thead>
          <tr>
            <th>{t('console.col.name')}</th>
            <th>{t('console.col.account')}</th>
            <th>{t('console.col.school')}</th>
            <th>{t('console.col.when')}</th>
          </tr>
        </thead>
        <tbody>
          {c.vouches.map((v) => (
            <tr>
              <td>{v.name}</td>
              <td>{v.username}</td>
              <td>{v.school}</td>
              <td>{v.at ? formatBeijing(v.at, lang) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <Form action={`/console/objections/${c.id}/decision`} id="uphold-form">
          <h2>{t('console.objection_uphold_title')}</h2>
          <p class="hint">{t('console.objection_uphold_intro')}</p>
          <p id="affected-accounts">
            {t('console.affected_accounts')} {props.affected.others.length ? props.affected.others.join('，') : t('console.none')}
          </p>
          <p id="affected-platforms">
            {t('console.affected_platforms')} {props.affected.platforms.length ? props.affected.platforms.join('，') : t('console.none')}
          </p>
          <input type="hidden" name="decision" value="uphold" />
          <div class="field">
            <label for="f-uphold-note">{t('console.approve_note')}</label>
            <textarea id="f-uphold-note" name="note" maxLength={200} rows={2}></textarea>
          </div>
          <Submit id="uphold">{t('console.objection_uphold')}</Submit>
        </Form>
        <Form action={`/console/objections/${c.id}/decision`} id="reject-form">
          <h2>{t('console.objection_reject_title')}</h2>
          <p class="hint">{t('console.objection_reject_intro')}</p>
          <input type="hidden" name="decision" value="reject" />
          <div class="field">
            <label for="f-note">{t('console.reject_note')}</label>
            <textarea id="f-note" name="note" maxLength={200} rows={2} required></textarea>
          </div>
          <Submit id="reject" class="secondary">
            {t('console.objection_reject')}
          </Submit>
        </Form>
      </div>
    </>
  );
}
