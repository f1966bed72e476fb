// Staff management (admin only): who has which roles, who enrolled TOTP; create, suspend,
// restore, start TOTP over. A new member's first password is shown once.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { STAFF_ROLES } from '../roles.ts';
import type { listStaff } from '../staff-queries.ts';
import type { MessageKey } from '../../i18n/index.ts';

type StaffList = Awaited<ReturnType<typeof listStaff>>;

export function StaffPage(props: {
  staff: StaffList;
  me: string;
  created?: { username: string; password: string } | undefined;
  passwordReset?: { username: string; password: string } | undefined;
  notice?: MessageKey | undefined;
  error?: MessageKey | undefined;
  errors?: FieldErrors;
  /** What was typed into the new-member form when it was refused. */
  values?: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {props.created && (
        <Notice kind="success">
          {t('console.staff_created', { username: props.created.username })}{' '}
          <span class="revealed" id="first-password">
            {props.created.password}
          </span>
        </Notice>
      )}
      {props.passwordReset && (
        <Notice kind="success">
          {t('console.staff_password_reset_done', { username: props.passwordReset.username })}{' '}
          <span class="revealed" id="reset-password">
            {props.passwordReset.password}
          </span>
        </Notice>
      )}
      <table tabIndex={0} class="grid" id="staff-list">
        <thead>
          <tr>
            <th>{t('console.username')}</th>
            <th>{t('console.staff_name')}</th>
            <th>{t('console.staff_roles')}</th>
            <th>{t('console.col.state')}</th>
            <th>TOTP</th>
            <th>{t('console.col.registered')}</th>
            <th>
              <span class="visually-hidden">{t('console.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.staff.map((s) => (
            <tr data-staff={s.username}>
              <td>{s.username}</td>
              <td>{s.display_name}</td>
              <td>
                {s.roles.map((r) => t(`console.role.${r}`)).join('、')}
                {s.username !== props.me && (
                  <details>
                    <summary>{t('console.staff_change_roles')}</summary>
                    <Form action={`/console/staff/${s.id}/roles`} class="form">
                      {STAFF_ROLES.map((r) => (
                        <label>
                          <input type="checkbox" name={`role_${r}`} value="1" checked={s.roles.includes(r)} /> {t(`console.role.${r}`)}{' '}
                        </label>
                      ))}
                      <input name="reason" aria-label={t('console.reason')} placeholder={t('console.reason')} maxLength={200} />{' '}
                      <Submit class="secondary">{t('settings.save')}</Submit>
                    </Form>
                  </details>
                )}
              </td>
              <td>{t(`console.staff_state.${s.state}`)}</td>
              <td>{s.totp_enrolled_at ? t('console.totp_on') : t('console.totp_off')}</td>
              <td>{`${formatBeijing(s.created_at, lang)} · ${s.created_by}`}</td>
              <td>
                {s.username !== props.me && (
                  <Form action={`/console/staff/${s.id}/${s.state === 'active' ? 'suspend' : 'restore'}`} class="inline">
                    <input name="reason" aria-label={t('console.reason')} placeholder={t('console.reason')} maxLength={200} />{' '}
                    <Submit class="secondary">{t(s.state === 'active' ? 'console.suspend' : 'console.restore')}</Submit>{' '}
                    <Submit class="secondary" formaction={`/console/staff/${s.id}/reset-totp`}>
                      {t('console.reset_totp')}
                    </Submit>{' '}
                    <Submit class="secondary" formaction={`/console/staff/${s.id}/reset-password`}>
                      {t('console.reset_password')}
                    </Submit>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('console.staff_new')}</h2>
      <Form action="/console/staff" id="staff-create">
        <Field
          name="username"
          label={t('console.username')}
          error={props.errors?.username}
          maxLength={32}
          hint={t('console.staff_username_hint')}
          value={props.values?.username}
        />
        <Field name="displayName" label={t('console.staff_name')} error={props.errors?.displayName} maxLength={40} value={props.values?.displayName} />
        <fieldset class="field checkbox">
          <legend>{t('console.staff_roles')}</legend>
          {STAFF_ROLES.map((r) => (
            <label>
              <input type="checkbox" name={`role_${r}`} value="1" checked={props.values?.[`role_${r}`] === '1'} /> {t(`console.role.${r}`)}{' '}
            </label>
          ))}
          {props.errors?.roles && <p class="error">{t(props.errors.roles.code)}</p>}
        </fieldset>
        <Submit id="staff-create-submit">{t('console.staff_create')}</Submit>
      </Form>
    </>
  );
}
