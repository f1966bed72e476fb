// The stamped application letter (《企业用户帐号查找申请函》) an enterprise uploads: a photo or
// scan (JPEG, PNG or GIF, cleaned like ID photos) or a PDF. A PDF was once judged by searching its
// bytes with patterns, which missed scripts packed in object streams under filters the search did
// not decode (/ASCIIHexDecode, /ASCII85Decode) and refused ordinary files whose `endstream` was
// followed by a newline. Now it is read by real parsers, in a worker thread with time and memory
// limits (pdf/pdf-letter.ts): pdf-lib parses every object, in object streams too, decodes every
// stream within one budget and refuses active content and encryption (pdf/inspect-pdf.ts); pdf.js
// then draws each page (at most ten) as a PNG and refuses what it, as a reader, would run
// (pdf/render-pages.ts). The PDF is kept as sent, as evidence; staff see only the page images,
// made here at upload, so no PDF is ever parsed or opened because someone looked at a request.
import { cleanImage, ImageRejected, sniffImageType } from '../lib/images.ts';
import type { MessageKey, MessageParams } from '../i18n/index.ts';
import { readPdfLetter } from './pdf/pdf-letter.ts';
import { RateLimitedError } from '../lib/errors.ts';
import { MAX_LETTER_PAGES, PdfRefused, type PdfRefusalReason } from './pdf/refusal.ts';

export const MAX_LETTER_BYTES = 2 * 1024 * 1024;

export type LetterType = 'image/jpeg' | 'image/png' | 'image/gif' | 'application/pdf';

export interface CheckedLetter {
  mediaType: LetterType;
  data: Buffer;
  /** A PDF's pages as PNG images, first page first; empty for an image letter. */
  pages: Buffer[];
}

export class LetterRejected extends Error {
  readonly code: MessageKey;
  readonly params: MessageParams | undefined;
  /** For a PDF, what was found (for logs and tests; the sender sees only the message). */
  readonly detail: string | undefined;
  constructor(code: MessageKey, params?: MessageParams, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.params = params;
    this.detail = detail;
  }
}

const PDF_MESSAGES: Record<PdfRefusalReason, MessageKey> = {
  broken: 'enterprise.letter_broken',
  active: 'enterprise.letter_active',
  too_many_pages: 'enterprise.letter_too_many_pages',
  unrenderable: 'enterprise.letter_unrenderable',
};

async function checkPdf(data: Buffer): Promise<CheckedLetter> {
  try {
    return { mediaType: 'application/pdf', data, pages: await readPdfLetter(data) };
  } catch (error) {
    // Too many letters waiting: 操作过于频繁, try again shortly (the letter is not at fault).
    if (error instanceof RateLimitedError) throw error;
    // Whatever else went wrong reading a PDF is the PDF's fault: the sender is told, never a 5xx.
    if (error instanceof PdfRefused) throw new LetterRejected(PDF_MESSAGES[error.reason], { max: MAX_LETTER_PAGES }, error.detail);
    throw new LetterRejected('enterprise.letter_unrenderable', { max: MAX_LETTER_PAGES }, String(error));
  }
}

export async function checkLetter(data: Buffer): Promise<CheckedLetter> {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return checkPdf(data);
  if (!sniffImageType(data)) throw new LetterRejected('enterprise.letter_type');
  try {
    return { ...cleanImage(data), pages: [] };
  } catch (error) {
    if (error instanceof ImageRejected) throw new LetterRejected(error.code);
    throw error;
  }
}
