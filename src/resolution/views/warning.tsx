// 重要提示, shown before any path starts: passing deregisters the other accounts, named masked,
// with the platforms they used.
import { useI18n } from '../../views/i18n-context.ts';
import { CheckboxField, type FieldError } from '../../views/components.tsx';

export function ResolutionWarning(props: { others: string[]; platforms: string[] }) {
  const { t, lang } = useI18n();
  const sep = lang === 'en' ? ', ' : '、';
  return (
    <section class="warning-box" id="resolution-warning">
      <h2>{t('resolution.warning_title')}</h2>
      <p>{t('resolution.warning')}</p>
      {props.others.length > 0 && <p id="resolution-others">{t('resolution.others', { accounts: props.others.join(sep) })}</p>}
      <p id="resolution-platforms">
        {props.platforms.length ? t('resolution.platforms', { platforms: props.platforms.join(sep) }) : t('resolution.no_platforms')}
      </p>
    </section>
  );
}

/** The tick that says the warning was read; every path's form carries it. */
export function AcknowledgeField(props: { error?: FieldError | undefined; checked?: boolean | undefined }) {
  const { t } = useI18n();
  return (
    <CheckboxField name="acknowledge" error={props.error} checked={props.checked}>
      {t('resolution.acknowledge')}
    </CheckboxField>
  );
}
