// Records in the console: upload a file and read its validation report; search records.
import { useI18n } from '../../views/i18n-context.ts';
import { useCsrf } from '../../views/form-context.ts';
import { Field, Form, Notice, Submit } from '../../views/components.tsx';
import { RECORD_COLUMNS } from '../../records/record-row.ts';
import { rejectionText } from '../../records/rejection-text.ts';
import type { UploadReport, RecordSearchResult } from '../records-service.ts';
import { isMessageKey, type MessageKey, type Translate } from '../../i18n/index.ts';

export function RecordsPage(props: {
  report?: UploadReport | undefined;
  search?: RecordSearchResult | undefined;
  values?: Record<string, string>;
  error?: MessageKey | undefined;
}) {
  const { t } = useI18n();
  const csrf = useCsrf();
  const r = props.report;
  return (
    <>
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {r && (
        <section class="panel" id="import-report">
          <Notice kind={r.rejected > 0 ? 'info' : 'success'}>
            {t('console.records_report', { lines: r.lines, accepted: r.accepted, rejected: r.rejected })}
          </Notice>
          {r.rejectedShown.length > 0 && (
            <table tabIndex={0} class="grid" id="rejected-lines">
              <thead>
                <tr>
                  <th>{t('console.records_line')}</th>
                  <th>{t('console.records_reason')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rejectedShown.map((x) => (
                  <tr>
                    <td>{x.line}</td>
                    <td>{rejectionText(t, x.reason)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.rejected > r.rejectedShown.length && <p>{t('console.records_more_rejected', { count: r.rejected - r.rejectedShown.length })}</p>}
        </section>
      )}
      <section class="panel">
        <h2>{t('console.records_upload_title')}</h2>
        <p class="hint">{t('console.records_upload_intro', { columns: RECORD_COLUMNS.join(', ') })}</p>
        <form method="post" action="/console/records/import" enctype="multipart/form-data" class="form" id="records-upload">
          <input type="hidden" name="_csrf" value={csrf} />
          <div class="field">
            <label for="f-file">{t('console.records_file')}</label>
            <input id="f-file" name="file" type="file" accept=".csv,text/csv" />
          </div>
          <Submit id="records-upload-submit">{t('console.records_import')}</Submit>
        </form>
      </section>
      <section class="panel">
        <h2>{t('console.records_search_title')}</h2>
        <Form action="/console/records/search" id="records-search">
          <Field name="idNumber" label={t('console.field.id_number')} value={props.values?.idNumber} maxLength={40} />
          <p class="hint">{t('console.records_search_or')}</p>
          <Field name="school" label={t('console.records_school')} value={props.values?.school} maxLength={60} />
          <Field name="number" label={t('console.records_number')} value={props.values?.number} maxLength={40} />
          <Submit id="records-search-submit">{t('console.lookup')}</Submit>
        </Form>
        {props.search && props.search.rows.length === 0 && <p id="records-none">{t('console.records_none')}</p>}
        {props.search && props.search.rows.length > 0 && (
          <table tabIndex={0} class="grid" id="records-found">
            <thead>
              <tr>
                <th>{t('console.records_kind')}</th>
                <th>{t('console.records_school')}</th>
                <th>{t('console.records_number')}</th>
                <th>{t('console.records_year')}</th>
                <th>{t('console.records_level')}</th>
                <th>{t('console.col.name')}</th>
              </tr>
            </thead>
            <tbody>
              {props.search.rows.map((x) => (
                <tr>
                  <td>{t(`console.records_kind.${x.kind}`)}</td>
                  <td>{x.school}</td>
                  <td>{x.number}</td>
                  <td>{x.year}</td>
                  <td>{levelName(t, x.level)}</td>
                  <td>{x.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** A stored level (bachelor …) in the reader's words. */
function levelName(t: Translate, level: string): string {
  const key = `records.level.${level}`;
  return isMessageKey(key) ? t(key) : level;
}
