// Places the account menu beside every signed-in account page (/account…, /inbox): a hook that,
// before the route runs, works out the entries for the session's account and leaves the menu on
// the request for renderPage to put beside the page.
import type { FastifyInstance } from 'fastify';
import type { AccountDeps } from './deps.ts';
import { accountMenuEntries, accountMenuFacts, currentEntry } from './account-menu.ts';
import { AccountMenu } from './views/account-menu.tsx';

const isAccountPage = (path: string) => path === '/account' || path.startsWith('/account/') || path === '/inbox' || path.startsWith('/inbox/');

export function installAccountMenu(app: FastifyInstance, deps: Pick<AccountDeps, 'db' | 'clock'>, options: { vouchKind: string }): void {
  app.addHook('preHandler', async (request) => {
    const session = request.session;
    const path = request.url.split('?')[0]!;
    if (!session || !isAccountPage(path) || path.endsWith('.json')) return;
    const facts = await accountMenuFacts(deps.db, session.account, options.vouchKind, deps.clock.now());
    const entries = accountMenuEntries(session.account, facts);
    request.pageAside = (
      <AccountMenu entries={entries} current={currentEntry(entries, request.method === 'GET' ? path : pagePathOf(request.headers.referer, path))} />
    );
  });
}

/** A page rendered in answer to a form belongs where the form was (the same-origin Referer), else to the form's address. */
function pagePathOf(referer: string | undefined, fallback: string): string {
  if (!referer) return fallback;
  try {
    return new URL(referer).pathname;
  } catch {
    return fallback;
  }
}
