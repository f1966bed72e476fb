// The console's account list: the filter form (a GET form, so each page is a link), one page of
// accounts masked as in the look-up, and the link to the next page.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Notice } from '../../views/components.tsx';
import { maskedUsername } from '../../accounts/account-view.ts';
import type { AccountState } from '../../db/schema.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { listAccounts } from '../account-queries.ts';
import { StatePill } from './account-pages.tsx';

export const ACCOUNT_STATES: readonly AccountState[] = ['pending_activation', 'active', 'needs_verification', 'suspended', 'deregistered'];
export const REALNAME_FILTERS = ['bound', 'entered', 'none'] as const;

export interface ListQuery {
  state: string;
  realname: string;
  from: string;
  to: string;
  platform: string;
  after: string;
}

const LABELS: Record<keyof ListQuery, MessageKey> = {
  state: 'console.list_state',
  realname: 'console.list_realname',
  from: 'console.list_from',
  to: 'console.list_to',
  platform: 'console.list_platform',
  after: 'console.list_page',
};

type Row = Awaited<ReturnType<typeof listAccounts>>[number];

export function AccountListPage(props: {
  query: ListQuery;
  platforms: Array<{ clientId: string; name: string }>;
  rows?: Row[];
  next?: string | undefined;
  invalid?: Array<keyof ListQuery>;
}) {
  const { t, lang } = useI18n();
  const q = props.query;
  const bad = new Set(props.invalid ?? []);
  const invalidAttr = (field: keyof ListQuery) => (bad.has(field) ? { 'aria-invalid': 'true' as const } : {});
  return (
    <>
      <p>
        <a href="/console/accounts">{t('console.list_to_lookup')}</a>
      </p>
      {props.invalid && props.invalid.length > 0 && (
        <Notice kind="error">
          <span id="list-invalid">{t('console.list_invalid', { fields: props.invalid.map((f) => t(LABELS[f])).join('、') })}</span>
        </Notice>
      )}
      <form method="get" action="/console/accounts/list" class="form staff-filters" id="account-filters">
        <div class="field">
          <label for="f-state">{t('console.list_state')}</label>
          <select id="f-state" name="state" {...invalidAttr('state')}>
            <option value="">{t('console.list_any')}</option>
            {ACCOUNT_STATES.map((s) => (
              <option value={s} selected={q.state === s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-realname">{t('console.list_realname')}</label>
          <select id="f-realname" name="realname" {...invalidAttr('realname')}>
            <option value="">{t('console.list_any')}</option>
            {REALNAME_FILTERS.map((r) => (
              <option value={r} selected={q.realname === r}>
                {t(`console.realname.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">{t('console.list_from')}</label>
          <input id="f-from" name="from" type="date" value={q.from} maxLength={10} {...invalidAttr('from')} />
        </div>
        <div class="field">
          <label for="f-to">{t('console.list_to')}</label>
          <input id="f-to" name="to" type="date" value={q.to} maxLength={10} {...invalidAttr('to')} />
        </div>
        <div class="field">
          <label for="f-platform">{t('console.list_platform')}</label>
          <select id="f-platform" name="platform" {...invalidAttr('platform')}>
            <option value="">{t('console.list_any')}</option>
            {props.platforms.map((p) => (
              <option value={p.clientId} selected={q.platform === p.clientId}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" id="account-filter-submit">
          {t('console.list_filter')}
        </button>
      </form>
      {props.rows && props.rows.length === 0 && <p id="list-none">{t('console.list_none')}</p>}
      {props.rows && props.rows.length > 0 && (
        <>
          <p class="hint">{t('console.list_page_size', { n: 50 })}</p>
          <div class="staff-table-scroll" tabIndex={0}>
            <table class="grid" id="account-list">
              <thead>
                <tr>
                  <th>{t('console.col.account')}</th>
                  <th>{t('console.col.name')}</th>
                  <th>{t('console.col.id')}</th>
                  <th>{t('console.list_realname')}</th>
                  <th>{t('console.col.state')}</th>
                  <th>{t('console.col.registered')}</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((a) => (
                  <tr data-account={a.id}>
                    <td>
                      <a href={`/console/accounts/${a.id}`}>{a.phone || a.email ? maskedUsername(a) : t('console.no_contact')}</a>
                      {a.kind === 'enterprise' && <span class="pill"> {t('console.enterprise')}</span>}
                    </td>
                    <td>{a.enterprise_name ?? a.name ?? '—'}</td>
                    <td>{a.id_masked ?? '—'}</td>
                    <td>{t(a.realname_bound_at ? 'console.realname.bound' : a.id_masked ? 'console.realname.entered' : 'console.realname.none')}</td>
                    <td>
                      <StatePill state={a.state} />
                    </td>
                    <td>{formatBeijing(a.created_at, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p class="staff-pager">
        {q.after && (
          <a href={`/console/accounts/list?${new URLSearchParams(Object.entries(q).filter(([k, v]) => v && k !== 'after'))}`} id="list-first">
            {t('console.list_first')}
          </a>
        )}{' '}
        {props.next && (
          <a href={`/console/accounts/list${props.next}`} id="list-next" rel="next">
            {t('console.list_next')}
          </a>
        )}
      </p>
    </>
  );
}
