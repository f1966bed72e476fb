// One answer of the assistant: the passages (and where they come from), a clarifying question
// when the question could mean several articles, and the next two candidates.
import { useI18n } from '../../views/i18n-context.ts';
import type { AnswerPassage, AssistantReply } from '../assistant.ts';

export function Answer(props: { reply: Exclude<AssistantReply, { kind: 'invalid' }> }) {
  const { t } = useI18n();
  const { reply } = props;
  return (
    <section class="help-answer" aria-labelledby="answer-title">
      <h2 id="answer-title">{t('help.answer.you_asked', { q: reply.question })}</h2>
      {reply.fromAccount.length > 0 && (
        <div class="help-answer-account">
          <h3>{t('help.answer.from_account')}</h3>
          {reply.fromAccount.map((p, i) => (
            <PassageView key={i} passage={p} />
          ))}
        </div>
      )}
      {reply.kind === 'none' ? (
        <Notice>{t('help.answer.none')}</Notice>
      ) : (
        <>
          {reply.clarify && (
            <div class="help-clarify">
              <p>{t('help.answer.clarify')}</p>
              <ul>
                {reply.clarify.map((option) => (
                  <li key={option.slug}>
                    <a href={option.href}>{option.title}</a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h3>{t('help.answer.best')}</h3>
          <p class="help-answer-source">
            {t('help.answer.from', { title: reply.article.title })} · <a href={reply.article.href}>{t('help.answer.read_article')}</a>
          </p>
          {reply.passages.map((p, i) => (
            <PassageView key={i} passage={p} />
          ))}
          {reply.candidates.length > 0 && (
            <>
              <h3>{t('help.answer.candidates')}</h3>
              <ul class="help-article-list">
                {reply.candidates.map((c) => (
                  <li key={c.slug}>
                    <a href={c.href}>{c.title}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

function Notice(props: { children: string }) {
  return (
    <p class="notice notice-info" role="status">
      {props.children}
    </p>
  );
}

function PassageView(props: { passage: AnswerPassage }) {
  return (
    <blockquote class="help-passage">
      <p class="help-passage-heading">{props.passage.heading}</p>
      {/* A passage of our own Markdown, rendered with raw HTML off (articles.ts). */}
      <div dangerouslySetInnerHTML={{ __html: props.passage.html }} />
    </blockquote>
  );
}
