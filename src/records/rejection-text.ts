// Why a records line was refused, in the reader's language: staff read the console's report in
// theirs; the CLI writes zh-CN (the operators' language).
import type { Translate } from '../i18n/index.ts';
import type { RejectReason } from './record-row.ts';

/** A `message` param is itself a key (the ID-number messages), so it is translated first; the
 *  rejection keeps only keys, not text. */
export function rejectionText(t: Translate, reason: RejectReason): string {
  const params = reason.params;
  return t(reason.code, params && typeof params.message === 'string' ? { ...params, message: t(params.message as never) } : params);
}
