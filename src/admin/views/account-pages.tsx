// Support's account pages: the look-up with its results, and one account's card — masked facts,
// state, its timeline from the audit trail, and the actions (each with its reason).
import { useI18n } from '../../views/i18n-context.ts';
import { noteOf } from './audit-format.ts';
import { auditLabel } from '../../audit/actions.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { maskContact } from '../../lib/mask.ts';
import { Field, Form, Notice, Submit } from '../../views/components.tsx';
import { IdTypeName } from '../../identity/views/id-type-name.tsx';
import type { ListedAccount } from '../account-queries.ts';
import type { AccountCard, RevealableField } from '../account-service.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { AccountState } from '../../db/schema.ts';
import { maskedUsername } from '../../accounts/account-view.ts';

export function AccountSearchPage(props: { query: string; results: ListedAccount[] | undefined; error?: MessageKey | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      <Form action="/console/accounts" id="account-search">
        <div class="field">
          <label for="f-q">{t('console.lookup_label')}</label>
          <div class="field-row">
            <input id="f-q" name="q" value={props.query} maxLength={254} aria-describedby="f-q-hint" />
            <button type="submit" class="primary">
              {t('console.lookup')}
            </button>
          </div>
          <p class="hint" id="f-q-hint">
            {t('console.lookup_hint')}
          </p>
        </div>
      </Form>
      <p>
        <a href="/console/accounts/list" id="account-list-link">
          {t('console.list_link')}
        </a>
      </p>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {props.results && props.results.length === 0 && <p id="no-results">{t('console.lookup_none')}</p>}
      {props.results && props.results.length > 0 && (
        <div class="staff-table-scroll" tabIndex={0}>
          <table class="grid" id="lookup-results">
            <thead>
              <tr>
                <th>{t('console.col.account')}</th>
                <th>{t('console.col.name')}</th>
                <th>{t('console.col.id')}</th>
                <th>{t('console.col.state')}</th>
                <th>{t('console.col.registered')}</th>
              </tr>
            </thead>
            <tbody>
              {props.results.map((a) => (
                <tr>
                  <td>
                    <a href={`/console/accounts/${a.id}`}>{a.phone || a.email ? maskedUsername(a) : t('console.no_contact')}</a>
                    {a.kind === 'enterprise' && <span class="pill"> {t('console.enterprise')}</span>}
                  </td>
                  <td>{a.enterprise_name ?? a.name ?? '—'}</td>
                  <td>{a.id_masked ?? '—'}</td>
                  <td>
                    <StatePill state={a.state} />
                  </td>
                  <td>{formatBeijing(a.created_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function StatePill(props: { state: AccountState }) {
  const { t } = useI18n();
  return <span class={`pill state-${props.state}`}>{t(`state.${props.state}`)}</span>;
}

export interface Revealed {
  field: RevealableField;
  value: string;
}

/** A form that was refused, shown again with what was typed in it. */
export interface Retry {
  action: string;
  fields: Record<string, string>;
}

export function AccountCardPage(props: {
  card: AccountCard;
  notice?: MessageKey | undefined;
  error?: MessageKey | undefined;
  revealed?: Revealed | undefined;
  retry?: Retry | undefined;
}) {
  const { t, lang } = useI18n();
  const f = props.card.facts;
  const live = f.state !== 'deregistered';
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {props.revealed && (
        <Notice kind="info">
          {t(`console.field.${props.revealed.field}`)}:{' '}
          <span class="revealed" id="revealed-value">
            {props.revealed.value}
          </span>
        </Notice>
      )}
      <dl class="facts" id="account-card">
        <dt>{t('console.col.state')}</dt>
        <dd id="account-state">
          <StatePill state={f.state} />
        </dd>
        <dt>{t('console.field.phone')}</dt>
        <dd>{f.phone ? `${maskContact('phone', f.phone)}${f.phone_verified_at ? '' : ` (${t('console.unproved')})`}` : '—'}</dd>
        <dt>{t('console.field.email')}</dt>
        <dd>{f.email ? `${maskContact('email', f.email)}${f.email_verified_at ? '' : ` (${t('console.unproved')})`}` : '—'}</dd>
        <dt>{t('console.col.registered')}</dt>
        <dd>{`${formatBeijing(f.created_at, lang)} · ${t(`console.via.${f.registered_via}`)}`}</dd>
        {f.kind === 'enterprise' && (
          <>
            <dt>{t('console.enterprise')}</dt>
            <dd>{`${f.enterprise_name ?? ''} · ${f.credit_code ?? ''} · ${f.contact_name ?? ''}`}</dd>
          </>
        )}
        <dt>{t('console.col.name')}</dt>
        <dd>{f.name ?? '—'}</dd>
        <dt>{t('console.col.id')}</dt>
        <dd>
          {f.id_type ? (
            <>
              <IdTypeName code={f.id_type} /> {f.id_masked}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>{t('console.claim_state')}</dt>
        <dd>{claimLabel(f) ? t(claimLabel(f)!) : '—'}</dd>
        <dt>{t('console.realname')}</dt>
        <dd>{f.realname_bound_at ? formatBeijing(f.realname_bound_at, lang) : t('console.realname_unbound')}</dd>
        <dt>{t('console.live_sessions')}</dt>
        <dd id="live-sessions">{props.card.sessions}</dd>
        {props.card.released.length > 0 && (
          <>
            <dt>{t('console.released')}</dt>
            <dd>
              {props.card.released.map((r) => `${maskContact(r.channel as 'phone' | 'email', r.value)} (${formatBeijing(r.released_at, lang)})`).join('，')}
            </dd>
          </>
        )}
        <dt>{t('retention.evidence')}</dt>
        <dd>
          <Evidence evidence={props.card.evidence} />
        </dd>
      </dl>

      {live && <AccountActions id={f.id} state={f.state} hasIdentity={Boolean(f.id_type)} retry={props.retry} />}

      <h2>{t('console.timeline')}</h2>
      <table tabIndex={0} class="grid" id="timeline">
        <thead>
          <tr>
            <th>{t('console.col.when')}</th>
            <th>{t('console.col.what')}</th>
            <th>{t('console.col.who')}</th>
            <th>{t('console.col.ip')}</th>
            <th>{t('console.col.note')}</th>
          </tr>
        </thead>
        <tbody>
          {props.card.timeline.map((e) => (
            <tr>
              <td>{formatBeijing(e.created_at, lang)}</td>
              <td>{auditLabel(e.action, lang)}</td>
              <td>{e.actor_kind === 'staff' ? `${t('console.actor.staff')} ${e.actor_id ?? ''}` : t(`console.actor.${e.actor_kind}`)}</td>
              <td>{e.ip ?? ''}</td>
              <td>{noteOf(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The account's photo reviews and liveness checks: when, how they ended, and whether their
 * evidence is still held or was erased by the retention rule (EVIDENCE_RETENTION_DAYS). The
 * photos themselves are shown only to the reviewer holding a waiting case.
 */
function Evidence(props: { evidence: AccountCard['evidence'] }) {
  const { t, lang } = useI18n();
  const { photoReviews, livenessChecks } = props.evidence;
  if (photoReviews.length === 0 && livenessChecks.length === 0) return <>{t('retention.none')}</>;
  return (
    <ul id="evidence">
      {photoReviews.map((r) => (
        <li data-photo-review={r.id}>
          {t('retention.photo_review', { state: t(`retention.review_state.${r.state}`), date: formatBeijing(r.submitted_at, lang) })}
          {' · '}
          {r.erased_at
            ? t('retention.erased', { date: formatBeijing(r.erased_at, lang) })
            : Number(r.photos) > 0
              ? t('retention.photos_kept')
              : t('retention.none')}
        </li>
      ))}
      {livenessChecks.map((s) => (
        <li data-liveness={s.id}>
          {t('retention.liveness', { state: t(`retention.liveness_state.${s.state}`), date: formatBeijing(s.completed_at!, lang) })}
          {' · '}
          {s.erased_at ? t('retention.erased', { date: formatBeijing(s.erased_at, lang) }) : t('retention.result_kept')}
        </li>
      ))}
    </ul>
  );
}

/** Where the account stands with its ID number: owner, waiting claimant, or a former holder. */
function claimLabel(f: AccountCard['facts']): MessageKey | undefined {
  if (!f.claim_state) return f.id_type ? 'console.claim.former' : undefined;
  if (f.owner_account_id === f.id) return `console.claim.owner_${f.claim_state}` as const;
  const waiting = f.state === 'needs_verification' || (f.state === 'suspended' && f.state_before_suspension === 'needs_verification');
  return waiting ? 'console.claim.claimant' : 'console.claim.former';
}

/** One per action form; each with its own id so every label names its own input. */
function ReasonField(props: { form: string; retry: Retry | undefined }) {
  const { t } = useI18n();
  const value = props.retry?.action === props.form ? props.retry.fields.reason : undefined;
  return <Field name="reason" id={`f-${props.form}-reason`} label={t('console.reason')} maxLength={200} value={value} />;
}

function AccountActions(props: { id: string; state: string; hasIdentity: boolean; retry: Retry | undefined }) {
  const { t } = useI18n();
  const again = (action: string) => (props.retry?.action === action ? props.retry.fields : {});
  const base = `/console/accounts/${props.id}`;
  return (
    <div class="actions">
      {props.state === 'suspended' ? (
        <Form action={`${base}/restore`} id="restore-form">
          <h2>{t('console.restore_title')}</h2>
          <ReasonField form="restore" retry={props.retry} />
          <Submit id="restore">{t('console.restore')}</Submit>
        </Form>
      ) : (
        <Form action={`${base}/suspend`} id="suspend-form">
          <h2>{t('console.suspend_title')}</h2>
          <p class="hint">{t('console.suspend_intro')}</p>
          <ReasonField form="suspend" retry={props.retry} />
          <Submit id="suspend">{t('console.suspend')}</Submit>
        </Form>
      )}
      <Form action={`${base}/end-sessions`} id="end-sessions-form">
        <h2>{t('console.end_sessions_title')}</h2>
        <ReasonField form="end-sessions" retry={props.retry} />
        <Submit id="end-sessions" class="secondary">
          {t('console.end_sessions')}
        </Submit>
      </Form>
      <Form action={`${base}/remind`} id="remind-form">
        <h2>{t('console.remind_title')}</h2>
        <p class="hint">{t('console.remind_intro')}</p>
        <ReasonField form="remind" retry={props.retry} />
        <Submit id="remind" class="secondary">
          {t('console.remind')}
        </Submit>
      </Form>
      <Form action={`${base}/reset-password`} id="reset-password-form">
        <h2>{t('console.reset_title')}</h2>
        <p class="hint">{t('console.reset_intro')}</p>
        <div class="field">
          <label for="f-to">{t('console.reset_to')}</label>
          <select id="f-to" name="to">
            <option value="phone">{t('console.reset_to_phone')}</option>
            <option value="email" selected={again('reset-password').to === 'email'}>
              {t('console.reset_to_email')}
            </option>
            <option value="other_email" selected={again('reset-password').to === 'other_email'}>
              {t('console.reset_to_other')}
            </option>
          </select>
        </div>
        <Field name="otherEmail" label={t('console.reset_other_email')} type="email" maxLength={254} value={again('reset-password').otherEmail} />
        <ReasonField form="reset-password" retry={props.retry} />
        <Submit id="reset-password" class="secondary">
          {t('console.reset_send')}
        </Submit>
      </Form>
      <Form action={`${base}/reveal`} id="reveal-form">
        <h2>{t('console.reveal_title')}</h2>
        <div class="field">
          <label for="f-field">{t('console.reveal_field')}</label>
          <select id="f-field" name="field">
            <option value="phone">{t('console.field.phone')}</option>
            <option value="email" selected={again('reveal').field === 'email'}>
              {t('console.field.email')}
            </option>
            {props.hasIdentity && (
              <option value="id_number" selected={again('reveal').field === 'id_number'}>
                {t('console.field.id_number')}
              </option>
            )}
          </select>
        </div>
        <ReasonField form="reveal" retry={props.retry} />
        <Submit id="reveal" class="secondary">
          {t('console.reveal')}
        </Submit>
      </Form>
      {props.hasIdentity && (
        <Form action={`${base}/wrong-id`} id="wrong-id-form">
          <h2>{t('console.wrong_id_title')}</h2>
          <p class="hint">{t('console.wrong_id_intro')}</p>
          <ReasonField form="wrong-id" retry={props.retry} />
          <div class="field checkbox">
            <label>
              <input type="checkbox" name="confirm" value="1" /> {t('console.wrong_id_confirm')}
            </label>
          </div>
          <Submit id="wrong-id" class="secondary">
            {t('console.wrong_id')}
          </Submit>
        </Form>
      )}
    </div>
  );
}
