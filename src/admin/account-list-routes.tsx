// /console/accounts/list: every account, newest first, narrowed by state, real-name status,
// registration date and platform, 50 a page. The filters are a GET query (a page can be
// bookmarked and shared between staff) because none of them is personal data; finding one person
// by phone, email or ID number stays the POST look-up on /console/accounts.
import type { FastifyInstance } from 'fastify';
import type { AccountDeps } from '../accounts/deps.ts';
import type { AccountState } from '../db/schema.ts';
import { CLIENT_ID, listClients } from '../sso/clients.ts';
import { CONSOLE, renderConsole, requireStaff, staffActor } from './console-http.tsx';
import { UUID } from './params.ts';
import { accountListPage } from './account-service.ts';
import type { AccountCursor, AccountFilters } from './account-queries.ts';
import { ACCOUNT_STATES, REALNAME_FILTERS, AccountListPage, type ListQuery } from './views/account-list-page.tsx';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A calendar day in Beijing time (what staff mean by a date), as the instant it begins; undefined if no such day. */
function beijingDay(text: string, plusDays = 0): Date | undefined {
  const m = DAY.exec(text);
  if (!m) return undefined;
  const at = new Date(`${text}T00:00:00+08:00`);
  if (Number.isNaN(at.getTime())) return undefined;
  // 2026-02-30 is not a day (Date would roll it into March).
  const back = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (back !== text) return undefined;
  return new Date(at.getTime() + plusDays * 86_400_000);
}

/** The cursor in the URL: base64url of the last row's registration time (microseconds) and id. */
export const encodeCursor = (c: AccountCursor) => Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');
function decodeCursor(text: string): AccountCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const [createdAt, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length || !createdAt || !id || !UUID.test(id)) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/.test(createdAt)) return undefined;
  return { createdAt, id };
}

const one = (value: unknown) => (typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : '');

/** The query as typed (kept in the form) and what it means, or which parts of it are wrong. */
function parseQuery(raw: Record<string, unknown>): {
  typed: ListQuery;
  filters: AccountFilters;
  cursor: AccountCursor | undefined;
  invalid: Array<keyof ListQuery>;
} {
  const typed: ListQuery = {
    state: one(raw.state),
    realname: one(raw.realname),
    from: one(raw.from),
    to: one(raw.to),
    platform: one(raw.platform),
    after: one(raw.after),
  };
  const invalid: Array<keyof ListQuery> = [];
  const filters: AccountFilters = {};
  if (typed.state) {
    if ((ACCOUNT_STATES as readonly string[]).includes(typed.state)) filters.state = typed.state as AccountState;
    else invalid.push('state');
  }
  if (typed.realname) {
    if ((REALNAME_FILTERS as readonly string[]).includes(typed.realname)) filters.realname = typed.realname as AccountFilters['realname'];
    else invalid.push('realname');
  }
  if (typed.from) {
    filters.registeredFrom = beijingDay(typed.from);
    if (!filters.registeredFrom) invalid.push('from');
  }
  if (typed.to) {
    filters.registeredBefore = beijingDay(typed.to, 1);
    if (!filters.registeredBefore) invalid.push('to');
  }
  if (filters.registeredFrom && filters.registeredBefore && filters.registeredFrom >= filters.registeredBefore) invalid.push('to');
  if (typed.platform) {
    if (CLIENT_ID.test(typed.platform)) filters.clientId = typed.platform;
    else invalid.push('platform');
  }
  const cursor = typed.after ? decodeCursor(typed.after) : undefined;
  if (typed.after && !cursor) invalid.push('after');
  return { typed, filters, cursor, invalid: [...new Set(invalid)] };
}

export function registerAccountList(app: FastifyInstance, deps: AccountDeps): void {
  app.get(`${CONSOLE}/accounts/list`, { onRequest: requireStaff('accounts') }, async (request, reply) => {
    const { typed, filters, cursor, invalid } = parseQuery(request.query as Record<string, unknown>);
    const platforms = (await listClients(deps.db)).map((p) => ({ clientId: p.client_id, name: p.name }));
    const title = request.t('console.list_title');
    if (invalid.length) {
      return renderConsole(request, reply, <AccountListPage query={typed} platforms={platforms} invalid={invalid} />, { title, status: 400 });
    }
    const page = await accountListPage(deps, filters, cursor, staffActor(request));
    const next =
      page.next && new URLSearchParams({ ...Object.fromEntries(Object.entries(typed).filter(([k, v]) => v && k !== 'after')), after: encodeCursor(page.next) });
    return renderConsole(request, reply, <AccountListPage query={typed} platforms={platforms} rows={page.rows} next={next ? `?${next}` : undefined} />, {
      title,
    });
  });
}
