// /console/audit (admins): what staff did — newest first, for one staff member or everyone —
// read from the same append-only audit trail the account timelines come from.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { hasMessage, useI18n } from '../http/i18n.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { CONSOLE, renderConsole, requireStaff } from './console-http.tsx';
import { STAFF_USERNAME } from './staff-auth.ts';
import { noteOf } from './views/account-pages.tsx';

async function staffActions(db: Db, username: string | undefined) {
  let query = db
    .selectFrom('audit_events')
    .select(['created_at', 'action', 'actor_id', 'account_id', 'ip', 'detail'])
    .where('actor_kind', '=', 'staff')
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(200);
  if (username) query = query.where('actor_id', '=', username);
  return query.execute();
}

function AuditPage(props: { username: string; events: Awaited<ReturnType<typeof staffActions>> }) {
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
      <table class="grid" id="audit-events">
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
              <td>{hasMessage(`audit.${e.action}`) ? t(`audit.${e.action}`) : e.action}</td>
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

export function registerAuditPage(app: FastifyInstance, deps: { db: Db }): void {
  app.get<{ Querystring: { staff?: string } }>(`${CONSOLE}/audit`, { onRequest: requireStaff('staff') }, async (request, reply) => {
    const typed = typeof request.query.staff === 'string' ? request.query.staff.trim().toLowerCase() : '';
    const username = STAFF_USERNAME.test(typed) ? typed : '';
    return renderConsole(request, reply, <AuditPage username={username} events={await staffActions(deps.db, username || undefined)} />, { title: request.t('console.audit_title') });
  });
}
