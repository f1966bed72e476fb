// 下载个人信息: what the copy holds, the form (the password again for the full ID number), and
// the person's copies with their state and, when ready, a download button.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import type { ExportListItem } from '../service.ts';

export function ExportPage(props: { exports: ExportListItem[]; requested: boolean; errors: FieldErrors; formError?: Message | undefined }) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.requested && (
        <Notice kind="success">
          <span id="export-requested">{t('export.requested')}</span>
        </Notice>
      )}
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('export.intro')}</p>
      <Form action="/account/export" id="export-form">
        <Field
          name="currentPassword"
          type="password"
          label={t('export.password')}
          hint={t('export.password_hint')}
          error={props.errors.currentPassword}
          autocomplete="current-password"
          maxLength={200}
        />
        <Submit id="export-submit">{t('export.submit')}</Submit>
      </Form>
      <h2>{t('export.list_title')}</h2>
      {props.exports.length === 0 ? (
        <p id="export-empty">{t('export.list_empty')}</p>
      ) : (
        // A list rather than a table: four columns do not fit a phone's width.
        <ul class="data-exports" id="data-exports">
          {props.exports.map((e) => (
            <li data-export={e.id} data-state={e.state}>
              <p>
                {t('export.col.requested')} {formatBeijing(e.requestedAt, lang)} · {t(`export.state.${e.state}` as MessageKey)}
              </p>
              <p class="hint">
                {t(e.withFullId ? 'export.id_full' : 'export.id_masked')}
                {e.state === 'ready' && e.expiresAt && <> · {t('export.expires', { at: formatBeijing(e.expiresAt, lang) })}</>}
              </p>
              {e.state === 'ready' && (
                <Form action={`/account/export/${e.id}/download`} id={`export-download-${e.id}`}>
                  <Submit>{t('export.download')}</Submit>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
