// The frame of every page: header with the service name, language switch and sign-in state,
// then the page, then a footer. No inline scripts (the CSP forbids them).
import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n-context.ts';
import { useCsrf } from './form-context.ts';
import { HelpPanel, type PageHelpLink } from './help-panel.tsx';

export function Layout(props: {
  title: string;
  signedIn: boolean;
  inboxUnread: number;
  path: string;
  /** Beside the page (the account menu): with it, the page and the aside share a frame. */
  aside?: ComponentChildren;
  /** Help articles for this page, shown in the help panel. */
  help?: readonly PageHelpLink[] | undefined;
  children: ComponentChildren;
}) {
  const { lang, t } = useI18n();
  const csrf = useCsrf();
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const next = encodeURIComponent(props.path.startsWith('/') ? props.path : '/');
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
        <script src="/static/help-chat.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            <span class="brand-mark">通行</span> {t('app.name')}
          </a>
          <nav>
            <a href={`/lang/${other}?next=${next}`} hreflang={other} lang={other}>
              {t('nav.language')}
            </a>
            {props.signedIn ? (
              <>
                {/* The envelope is decoration: what is seen and heard is the count (axe: the visible
                    text is part of the accessible name). */}
                <a href="/inbox" id="inbox-icon" aria-label={t('inbox.icon', { count: props.inboxUnread })}>
                  <span aria-hidden="true">✉</span>
                  {props.inboxUnread > 0 && <span class="badge">{props.inboxUnread}</span>}
                </a>
                <a href="/account">{t('nav.account')}</a>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button type="submit" class="link">
                    {t('nav.logout')}
                  </button>
                </form>
              </>
            ) : (
              <>
                <a href="/login">{t('nav.login')}</a>
                <a href="/register">{t('nav.register')}</a>
              </>
            )}
          </nav>
        </header>
        <div class={props.aside ? 'with-aside' : 'page'}>
          {props.aside}
          <main id="main">
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </div>
        <footer class="site-footer">
          <HelpPanel links={props.help} />
          <p>{t('app.tagline')}</p>
        </footer>
      </body>
    </html>
  );
}
