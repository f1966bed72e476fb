// 途径3: name, username and school of a classmate; the progress of the requests sent.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { AcknowledgeField, ResolutionWarning } from './warning.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import type { VouchState } from '../classmate-path.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { HelpLinks } from '../../help/links.tsx';

export interface ClassmatePathProps {
  values: { classmateName?: string | undefined; classmateUsername?: string | undefined; school?: string | undefined; acknowledge?: boolean | undefined };
  errors: FieldErrors;
  formError?: Message | undefined;
  notice?: MessageKey | undefined;
  progress: {
    confirmed: number;
    needed: number;
    latestState: VouchState | undefined;
    openCase: { state: 'waiting' | 'objected'; takesEffectAt: Date } | undefined;
  };
  /** Hours the current holders may object once the classmates have confirmed. */
  noticeHours: number;
  others: string[];
  platforms: string[];
}

export function ClassmatePathPage(props: ClassmatePathProps) {
  const { t, lang } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} order={['classmateName', 'classmateUsername', 'school', 'acknowledge']} />
      <ResolutionWarning others={props.others} platforms={props.platforms} />
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <p>{t('vouch.intro')}</p>
      <p id="vouch-notice-rule">{t('vouch.notice_rule', { hours: props.noticeHours })}</p>
      {props.progress.openCase && (
        <Notice kind="info">
          <span id="vouch-case">
            {props.progress.openCase.state === 'waiting'
              ? t('vouch.case_waiting', { until: formatBeijing(props.progress.openCase.takesEffectAt, lang) })
              : t('vouch.case_objected')}
          </span>
        </Notice>
      )}
      <p id="vouch-progress">
        {t('vouch.progress', { confirmed: props.progress.confirmed, needed: props.progress.needed })}
        {props.progress.latestState && <> {t(`vouch.state_${props.progress.latestState}`)}</>}
      </p>
      {/* Enough classmates confirmed: nothing more to ask while the case waits. */}
      {!props.progress.openCase && (
        <Form action="/account/resolution/classmate" id="vouch-form">
          <Field name="classmateName" label={t('vouch.classmate_name')} value={props.values.classmateName} error={props.errors.classmateName} maxLength={60} />
          <Field
            name="classmateUsername"
            label={t('vouch.classmate_username')}
            value={props.values.classmateUsername}
            error={props.errors.classmateUsername}
            maxLength={254}
          />
          <Field name="school" label={t('vouch.school')} value={props.values.school} error={props.errors.school} maxLength={100} />
          <AcknowledgeField error={props.errors.acknowledge} checked={props.values.acknowledge} />
          <Submit id="vouch-submit">{t('vouch.submit')}</Submit>
        </Form>
      )}
      <p>
        <a href="/account/resolution">{t('resolution.back')}</a>
      </p>
      <HelpLinks slugs={['path-classmate', 'inbox-requests']} />
    </>
  );
}
