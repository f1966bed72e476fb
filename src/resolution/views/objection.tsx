// A holder's side of 途径3's notice period: the cases that would deregister their account, and the
// objection that sends one to staff.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Notice, Submit } from '../../views/components.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';

export interface ObjectionPageProps {
  cases: Array<{ id: string; state: string; takesEffectAt: Date }>;
  notice?: MessageKey | undefined;
  error?: Message | undefined;
  /** What the person typed, kept when the form was refused. */
  text?: string | undefined;
}

export function ObjectionPage(props: ObjectionPageProps) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary formError={props.error} />
      {props.cases.length === 0 ? (
        <p id="objection-none">{t('objection.none')}</p>
      ) : (
        <>
          <p class="lead">{t('objection.intro')}</p>
          {props.cases.map((c) => (
            <section class="case" data-case={c.id}>
              {c.state === 'waiting' ? (
                <>
                  <p>{t('objection.case', { until: formatBeijing(c.takesEffectAt, lang) })}</p>
                  <Form action={`/account/objection/${c.id}`} id={`object-${c.id}`}>
                    <div class="field">
                      <label for={`f-objection-${c.id}`}>{t('objection.what')}</label>
                      <textarea id={`f-objection-${c.id}`} name="objection" maxLength={500} rows={3}>
                        {props.text ?? ''}
                      </textarea>
                    </div>
                    <Submit>{t('objection.submit')}</Submit>
                  </Form>
                </>
              ) : (
                <p>{t('objection.case_objected')}</p>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
