// The stamped application letter (《企业用户帐号查找申请函》) an enterprise uploads: a photo or
// scan (JPEG, PNG or GIF, cleaned like ID photos) or a PDF. A PDF is kept as sent but only when
// it is a plain document: active content (scripts, launch actions, embedded files) is refused,
// and staff download it rather than open it in the console.
import { cleanImage, ImageRejected, sniffImageType } from '../resolution/images.ts';

export const MAX_LETTER_BYTES = 2 * 1024 * 1024;

export type LetterType = 'image/jpeg' | 'image/png' | 'image/gif' | 'application/pdf';

export class LetterRejected extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

const ACTIVE_PDF = /\/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|OpenAction|AA|SubmitForm|ImportData)\b/;

export function checkLetter(data: Buffer): { mediaType: LetterType; data: Buffer } {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
    const tail = data.subarray(Math.max(0, data.length - 1024)).toString('latin1');
    if (!tail.includes('%%EOF')) throw new LetterRejected('enterprise.letter_broken');
    if (ACTIVE_PDF.test(data.toString('latin1'))) throw new LetterRejected('enterprise.letter_active');
    return { mediaType: 'application/pdf', data };
  }
  if (!sniffImageType(data)) throw new LetterRejected('enterprise.letter_type');
  try {
    return cleanImage(data);
  } catch (error) {
    if (error instanceof ImageRejected) throw new LetterRejected(error.code);
    throw error;
  }
}
