// The help panel at the foot of every page: the articles for this page (from the help module,
// through the request), a question box for the assistant and the three ways to get help the
// seeds end every page with — the help centre, the 24-hour assistant and customer service.
// Without JavaScript the box is a GET form to the assistant's answer page; public/help-chat.js
// turns it into a chat in place. (Views come before the help module, so the addresses are
// written here; test/integration/help.test.ts checks they resolve.)
import { useI18n } from './i18n-context.ts';
import { SupportContacts } from './support-contacts.tsx';

export interface PageHelpLink {
  href: string;
  title: string;
}

export function HelpPanel(props: { links: readonly PageHelpLink[] | undefined }) {
  const { t } = useI18n();
  return (
    <section class="help-panel" id="help-panel" aria-labelledby="help-panel-title">
      <h2 id="help-panel-title">{t('help.panel.title')}</h2>
      {props.links && props.links.length > 0 && (
        <nav aria-label={t('help.panel.this_page')} class="help-panel-page">
          <p>{t('help.panel.this_page')}</p>
          <ul>
            {props.links.map((link) => (
              <li key={link.href}>
                <a href={link.href}>{link.title}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <form
        method="get"
        action="/help/assistant"
        role="search"
        aria-label={t('help.panel.ask_label')}
        class="help-ask"
        data-help-chat="help-panel-log"
        data-thinking={t('help.chat.thinking')}
        data-failed={t('help.chat.failed')}
      >
        <label for="help-panel-q">{t('help.panel.ask_label')}</label>
        <span class="help-ask-row">
          <input id="help-panel-q" name="q" type="search" maxLength={200} autocomplete="off" />
          <button type="submit">{t('help.ask.submit')}</button>
        </span>
      </form>
      <div id="help-panel-log" class="help-chat-log" aria-live="polite" hidden></div>
      <p class="help-ways">
        <a href="/help">{t('help.panel.centre')}</a> · <a href="/help/assistant">{t('help.panel.assistant')}</a> ·{' '}
        <a href="/help/contact-support">{t('help.panel.support')}</a>
      </p>
      <SupportContacts />
    </section>
  );
}
