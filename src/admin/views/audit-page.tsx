// The staff audit page: a filter by staff username and the events, newest first.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import type { listStaffActions } from '../../audit/audit.ts';
import { noteOf } from './audit-format.ts';
import { auditLabel } from '../../audit/actions.ts';

export function AuditPage(props: { username: string; events: Awaited<ReturnType<typeof listStaffActions>> }) {
  const { t, lang } = useI18n();
  return (
    <>
      <form method="get" action="/console/audit" class="form" id="audit-filter">
        <div class="field">
          <label for="f-staff">{t('console.username')}</label>
          <div class="field-row">
            <input id="f-staff" name="staff" value={props.username} maxLength={32} />
            <button type="submit" class="primary">
              {t('console.lookup')}
            </button>
          </div>
        </div>
      </form>
      <table tabIndex={0} class="grid" id="audit-events">
        <thead>
          <tr>
            <th>{t('console.col.when')}</th>
            <th>{t('console.col.who')}</th>
            <th>{t('console.col.what')}</th>
            <th>{t('console.col.account')}</th>
            <th>{t('console.col.ip')}</th>
            <th>{t('console.col.note')}</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>{formatBeijing(e.created_at, lang)}</td>
              <td>{e.actor_id}</td>
              <td>{auditLabel(e.action, lang)}</td>
              <td>{e.account_id ? <a href={`/console/accounts/${e.account_id}`}>{t('console.open')}</a> : ''}</td>
              <td>{e.ip ?? ''}</td>
              <td>{noteOf(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
