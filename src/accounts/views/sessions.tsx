// 登录设备管理: every live session, each with its own sign-out button. On a phone the rows are
// cards: each cell shows its column's name from data-label (app.css).
import { formatBeijing } from '../../lib/time-format.ts';
import { describeDevice } from '../../lib/user-agent.ts';
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Notice, Submit } from '../../views/components.tsx';

export interface SessionRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const when = formatBeijing;

export function SessionsPage(props: { sessions: SessionRow[]; notice?: string | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <table class="sessions" id="sessions">
        <thead>
          <tr>
            <th>{t('sessions.device')}</th>
            <th>{t('sessions.ip')}</th>
            <th>{t('sessions.started')}</th>
            <th>{t('sessions.last_seen')}</th>
            <th>
              <span class="visually-hidden">{t('sessions.action')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr key={s.id} data-session={s.id}>
              <td title={s.userAgent ?? undefined} data-label={t('sessions.device')}>
                {describeDevice(s.userAgent) || '—'}
              </td>
              <td data-label={t('sessions.ip')}>{s.ip ?? '—'}</td>
              <td data-label={t('sessions.started')}>{when(s.createdAt, lang)}</td>
              <td data-label={t('sessions.last_seen')}>{when(s.lastSeenAt, lang)}</td>
              <td>
                {s.current ? (
                  <strong>{t('sessions.current')}</strong>
                ) : (
                  <Form action={`/account/sessions/${s.id}/revoke`} class="inline">
                    <Submit class="secondary">{t('sessions.revoke')}</Submit>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.sessions.length > 1 && (
        <Form action="/account/sessions/revoke-others" class="inline">
          <Submit class="secondary">{t('sessions.revoke_others')}</Submit>
        </Form>
      )}
    </>
  );
}
