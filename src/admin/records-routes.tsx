// /console/records: upload a records file (up to 32 MB through the browser; bigger files go
// through `tongxing records import`) with its validation report, and search records.
import type { FastifyInstance } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { formBody } from '../http/forms.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { UploadedFile } from '../http/uploads.ts';
import { CONSOLE, renderConsole, requireStaff, staffActor } from './console-http.tsx';
import { importUploadedRecords, searchRecords } from './records-service.ts';
import { RecordsPage } from './views/records-pages.tsx';
import type { Translate } from '../i18n/index.ts';

export const MAX_RECORDS_UPLOAD_BYTES = 32 * 1024 * 1024;

export function registerRecordsPages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('records') };
  const title = (request: { t: Translate }) => request.t('console.records_title');

  app.get(`${CONSOLE}/records`, guard, async (request, reply) => renderConsole(request, reply, <RecordsPage />, { title: title(request) }));

  app.post(
    `${CONSOLE}/records/import`,
    { ...guard, config: { multipartOptions: { limits: { fileSize: MAX_RECORDS_UPLOAD_BYTES, files: 1 } } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const file = body.file as UploadedFile | undefined;
      if (!file || !Buffer.isBuffer(file.data) || file.data.length === 0) {
        return renderConsole(request, reply, <RecordsPage error="console.records_file_required" />, { title: title(request), status: 400 });
      }
      if (file.truncated) return renderConsole(request, reply, <RecordsPage error="console.records_too_big" />, { title: title(request), status: 413 });
      // A GBK file (Excel on Chinese Windows) would have every line rejected as mojibake: refuse it
      // whole, saying how to save it. A UTF-8 BOM is valid UTF-8 (the CSV reader drops it).
      if (!isUtf8(file.data)) return renderConsole(request, reply, <RecordsPage error="records.not_utf8" />, { title: title(request), status: 400 });
      const report = await importUploadedRecords(deps, { name: file.filename || 'upload.csv', data: file.data }, staffActor(request));
      return renderConsole(request, reply, <RecordsPage report={report} />, { title: title(request) });
    },
  );

  app.post(`${CONSOLE}/records/search`, guard, async (request, reply) => {
    const body = formBody(request.body);
    const values = { idNumber: (body.idNumber ?? '').trim(), school: (body.school ?? '').trim(), number: (body.number ?? '').trim() };
    const search = await searchRecords(deps, values, staffActor(request));
    return renderConsole(
      request,
      reply,
      <RecordsPage search={search} values={values} error={search.by === 'nothing' ? 'console.records_search_what' : undefined} />,
      { title: title(request) },
    );
  });
}
