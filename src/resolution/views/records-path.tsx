// 途径4: in-school (学籍) or graduated (学历) details, with the tries used so far.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Submit, type FieldErrors } from '../../views/components.tsx';
import type { RecordKind } from '../../db/schema.ts';
import { LEVELS } from '../../records/normalize.ts';
import { AcknowledgeField, ResolutionWarning } from './warning.tsx';
import type { Message } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';

export interface RecordsPathProps {
  kind: RecordKind;
  values: {
    school?: string | undefined;
    number?: string | undefined;
    year?: string | undefined;
    level?: string | undefined;
    acknowledge?: boolean | undefined;
  };
  errors: FieldErrors;
  formError?: Message | undefined;
  tries: { used: number; max: number };
  others: string[];
  platforms: string[];
}

export function RecordsPathPage(props: RecordsPathProps) {
  const { t } = useI18n();
  const enrolment = props.kind === 'enrolment';
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} order={['school', 'number', 'year', 'level', 'acknowledge']} />
      <ResolutionWarning others={props.others} platforms={props.platforms} />
      <p id="record-tries">{t('records.tries', props.tries)}</p>
      <nav class="tabs" aria-label={t('records.title')}>
        <a href="/account/resolution/records?kind=enrolment" aria-current={enrolment ? 'page' : undefined}>
          {t('records.enrolment')}
        </a>
        <a href="/account/resolution/records?kind=degree" aria-current={enrolment ? undefined : 'page'}>
          {t('records.degree')}
        </a>
      </nav>
      <Form action="/account/resolution/records" id="records-form">
        <input type="hidden" name="kind" value={props.kind} />
        <Field name="school" label={t('records.school')} value={props.values.school} error={props.errors.school} maxLength={100} />
        <Field
          name="number"
          label={t(enrolment ? 'records.student_number' : 'records.certificate_number')}
          value={props.values.number}
          error={props.errors.number}
          maxLength={40}
        />
        <Field
          name="year"
          label={t(enrolment ? 'records.enrolment_year' : 'records.graduation_year')}
          inputmode="numeric"
          value={props.values.year}
          error={props.errors.year}
          maxLength={4}
        />
        <div class={props.errors.level ? 'field has-error' : 'field'}>
          <label for="f-level">{t('records.level')}</label>
          <select
            id="f-level"
            name="level"
            aria-invalid={props.errors.level ? 'true' : undefined}
            aria-describedby={props.errors.level ? 'f-level-error' : undefined}
          >
            {LEVELS.map((level) => (
              <option key={level} value={level} selected={(props.values.level ?? 'bachelor') === level}>
                {t(`records.level.${level}`)}
              </option>
            ))}
          </select>
          {props.errors.level && (
            <p class="error" id="f-level-error" role="alert">
              {t(props.errors.level.code, props.errors.level.params)}
            </p>
          )}
        </div>
        <AcknowledgeField error={props.errors.acknowledge} checked={props.values.acknowledge} />
        <Submit id="records-submit">{t('records.submit')}</Submit>
      </Form>
      <p>
        <a href="/account/resolution">{t('resolution.back')}</a>
      </p>
      <HelpLinks slugs={['path-records', 'deregistration']} />
    </>
  );
}
