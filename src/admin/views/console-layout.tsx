// The frame of every console page: the console's own header (who is signed in, what their roles
// open), never the people's navigation. No inline scripts; charts are SVG drawn on the server.
import type { ComponentChildren } from 'preact';
import { useI18n } from '../../views/i18n-context.ts';
import { useCsrf } from '../../views/form-context.ts';
import { can, type Permission } from '../roles.ts';
import type { StaffSession } from '../staff-auth.ts';
import type { MessageKey } from '../../i18n/index.ts';

const SECTIONS: Array<{ href: string; key: MessageKey; permission: Permission }> = [
  { href: '/console', key: 'console.nav.dashboard', permission: 'dashboard' },
  { href: '/console/reviews', key: 'console.nav.reviews', permission: 'reviews' },
  { href: '/console/objections', key: 'console.nav.objections', permission: 'reviews' },
  { href: '/console/accounts', key: 'console.nav.accounts', permission: 'accounts' },
  { href: '/console/disputes', key: 'console.nav.disputes', permission: 'accounts' },
  { href: '/console/enterprise', key: 'console.nav.enterprise', permission: 'enterprise' },
  { href: '/console/support', key: 'support.nav', permission: 'support' },
  { href: '/console/records', key: 'console.nav.records', permission: 'records' },
  { href: '/console/staff', key: 'console.nav.staff', permission: 'staff' },
  { href: '/console/audit', key: 'console.nav.audit', permission: 'staff' },
  { href: '/console/platforms', key: 'console.nav.platforms', permission: 'platforms' },
];

export function ConsoleLayout(props: { title: string; staff: StaffSession | undefined; path: string; children: ComponentChildren }) {
  const { lang, t } = useI18n();
  const csrf = useCsrf();
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const full = props.staff?.stage === 'full' ? props.staff : undefined;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${props.title} · ${t('console.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/static/console.css" />
        {/* Moves the focus to a refused form's error summary. */}
        <script src="/static/app.js" defer></script>
      </head>
      <body class="console">
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <a class="brand" href="/console">
            <span class="brand-mark">通行</span> {t('console.name')}
          </a>
          <nav aria-label={t('console.name')}>
            {full &&
              SECTIONS.filter((s) => can(full.roles, s.permission)).map((s) => (
                <a href={s.href} aria-current={props.path === s.href || (s.href !== '/console' && props.path.startsWith(s.href)) ? 'page' : undefined}>
                  {t(s.key)}
                </a>
              ))}
            <a href={`/lang/${other}?next=${encodeURIComponent(props.path)}`} hreflang={other} lang={other}>
              {t('nav.language')}
            </a>
            {props.staff && (
              <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                {full ? (
                  <a class="staff-name" href="/console/password" title={t('settings.password_title')}>
                    {props.staff.displayName}
                  </a>
                ) : (
                  <span class="staff-name">{props.staff.displayName}</span>
                )}{' '}
                <button type="submit" class="link">
                  {t('nav.logout')}
                </button>
              </form>
            )}
          </nav>
        </header>
        <main id="main" class="console-main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}
