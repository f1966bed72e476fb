// Why a PDF letter was refused, in the PDF code's own terms (letter.ts turns them into messages):
// broken — not a document a reader can read (bad syntax, undecodable or oversized streams);
// active — it can do something beyond showing pages (scripts, actions, attachments, encryption);
// too_many_pages — more pages than staff need to check or the server should draw;
// unrenderable — it parsed, but its pages could not be drawn within the time and memory allowed.
export type PdfRefusalReason = 'broken' | 'active' | 'too_many_pages' | 'unrenderable';

/** At most this many pages: each is drawn at upload and stored beside the letter. */
export const MAX_LETTER_PAGES = 10;

export class PdfRefused extends Error {
  readonly reason: PdfRefusalReason;
  /** What was found, for logs and tests; never shown to the sender. */
  readonly detail: string;
  constructor(reason: PdfRefusalReason, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
    this.detail = detail;
  }
}
