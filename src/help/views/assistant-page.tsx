// /help/assistant: the question form and, once asked, the answer. Without JavaScript the form is
// a GET to this page (POST works too); with it, public/help-chat.js shows answers in the log below
// the form as a chat and keeps the page.
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import type { AssistantReply } from '../assistant.ts';
import { ContactBlock } from './contact-block.tsx';
import { SupportContacts } from '../../views/support-contacts.tsx';
import { Answer } from './answer.tsx';

export function AssistantPage(props: { question: string; reply: AssistantReply | undefined; handoffHref?: string | undefined }) {
  const { t } = useI18n();
  const { reply } = props;
  return (
    <>
      <p>{t('help.assistant.intro')}</p>
      <form
        method="get"
        action="/help/assistant"
        class="help-ask form"
        data-help-chat="assistant-log"
        data-thinking={t('help.chat.thinking')}
        data-failed={t('help.chat.failed')}
        novalidate
      >
        <label for="assistant-q">{t('help.ask.label')}</label>
        <span class="help-ask-row">
          <input id="assistant-q" name="q" type="search" maxLength={200} value={props.question} autocomplete="off" />
          <button type="submit" class="primary">
            {t('help.ask.submit')}
          </button>
        </span>
      </form>
      <div id="assistant-log" class="help-chat-log" aria-live="polite">
        {reply?.kind === 'invalid' && <Notice kind="error">{t(reply.message, reply.params)}</Notice>}
        {reply && reply.kind !== 'invalid' && <Answer reply={reply} />}
      </div>
      {props.handoffHref && (
        <p class="help-handoff">
          {t('support.handoff_intro')}{' '}
          <a id="assistant-handoff" href={props.handoffHref}>
            {t('support.handoff')}
          </a>
        </p>
      )}
      {/* Beside the handoff, the contacts too (a question without an answer shows them below). */}
      {props.handoffHref && reply?.kind === 'answer' && <SupportContacts />}
      {reply && reply.kind !== 'answer' && (
        <>
          <h2>{t('help.answer.still_stuck')}</h2>
          <ContactBlock />
        </>
      )}
    </>
  );
}
