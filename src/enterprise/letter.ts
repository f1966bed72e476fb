// The stamped application letter (《企业用户帐号查找申请函》) an enterprise uploads: a photo or
// scan (JPEG, PNG or GIF, cleaned like ID photos) or a PDF. A PDF is kept as sent but only when
// it is a plain document: active content (scripts, launch and other actions, embedded files) is
// refused wherever it hides — in escaped names (/J#61vaScript) or in compressed streams and
// object streams, which are inflated to be read — and an encrypted PDF, which cannot be read, is
// refused too. Staff download PDFs rather than open them in the console.
import { inflateRawSync, inflateSync } from 'node:zlib';
import { cleanImage, ImageRejected, sniffImageType } from '../lib/images.ts';
import type { MessageKey } from '../i18n/index.ts';

export const MAX_LETTER_BYTES = 2 * 1024 * 1024;
/** Inflated streams are read up to this much in all (a compression bomb stops here). */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

export type LetterType = 'image/jpeg' | 'image/png' | 'image/gif' | 'application/pdf';

export class LetterRejected extends Error {
  readonly code: MessageKey;
  constructor(code: MessageKey) {
    super(code);
    this.code = code;
  }
}

const ACTIVE_PDF = /\/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|OpenAction|AA|SubmitForm|ImportData|GoToR|GoToE)(?![A-Za-z0-9])/;

/** PDF names may spell any byte as #xx (/J#61vaScript is /JavaScript). */
const decodeNames = (text: string) => text.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The document's text as a reader sees it: the file, and every Flate-compressed stream inflated. */
function readablePdfTexts(data: Buffer): string[] {
  const raw = data.toString('latin1');
  const texts = [decodeNames(raw)];
  let budget = MAX_INFLATED_BYTES;
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) throw new LetterRejected('enterprise.letter_broken');
    const dictionary = decodeNames(raw.slice(Math.max(0, raw.lastIndexOf('obj', m.index)), m.index));
    if (/\/FlateDecode/.test(dictionary)) {
      const body = data.subarray(start, end);
      let inflated: Buffer;
      try {
        inflated = inflateSync(body, { maxOutputLength: budget });
      } catch {
        try {
          inflated = inflateRawSync(body, { maxOutputLength: budget });
        } catch {
          throw new LetterRejected('enterprise.letter_broken');
        }
      }
      budget -= inflated.length;
      texts.push(decodeNames(inflated.toString('latin1')));
    }
    streams.lastIndex = end;
  }
  return texts;
}

function checkPdf(data: Buffer): void {
  const tail = data.subarray(Math.max(0, data.length - 1024)).toString('latin1');
  if (!tail.includes('%%EOF')) throw new LetterRejected('enterprise.letter_broken');
  const texts = readablePdfTexts(data);
  if (texts.some((text) => /\/Encrypt(?![A-Za-z0-9])/.test(text))) throw new LetterRejected('enterprise.letter_active');
  if (texts.some((text) => ACTIVE_PDF.test(text))) throw new LetterRejected('enterprise.letter_active');
}

export function checkLetter(data: Buffer): { mediaType: LetterType; data: Buffer } {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
    checkPdf(data);
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
