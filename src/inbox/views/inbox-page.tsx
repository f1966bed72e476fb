// 收件箱: requests from classmates (and, later, notices), newest first, each answerable once.
import { formatBeijing } from '../../lib/time-format.ts';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Notice, Submit } from '../../views/components.tsx';
import type { Inbox, InboxItem } from '../service.ts';
import type { MessageKey, Message } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

const when = formatBeijing;

export function InboxPage(props: { items: InboxItem[]; inbox: Inbox; notice?: MessageKey | undefined; error?: Message | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary formError={props.error} />
      {props.items.length === 0 && <p>{t('inbox.empty')}</p>}
      <ul class="inbox" id="inbox">
        {props.items.map((item) => {
          const text = props.inbox.kinds.get(item.kind)?.describe(item);
          return (
            <li key={item.id} data-item={item.id} data-state={item.state} class={item.read_at ? '' : 'unread'}>
              <p>
                {text ? t(text.key, text.params) : item.kind}
                {text?.href && (
                  <>
                    {' '}
                    <a href={text.href}>{t(text.link ?? 'inbox.open')}</a>
                  </>
                )}
              </p>
              <p class="hint">{when(item.created_at, lang)}</p>
              {item.state === 'pending' ? (
                <>
                  {item.expires_at && <p class="hint">{t('inbox.pending_until', { date: when(item.expires_at, lang) })}</p>}
                  <Form action={`/inbox/${item.id}/accept`} class="inline">
                    <Submit>{t(text?.accept ?? 'inbox.accept')}</Submit>
                  </Form>{' '}
                  <Form action={`/inbox/${item.id}/decline`} class="inline">
                    <Submit class="secondary">{t(text?.decline ?? 'inbox.decline')}</Submit>
                  </Form>
                </>
              ) : item.state !== 'notice' ? (
                <p class="state">{t(`inbox.${item.state}`)}</p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <HelpLinks slugs={['inbox-requests', 'path-classmate']} />
    </>
  );
}
