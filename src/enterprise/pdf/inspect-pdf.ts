// The structural check of a PDF letter, with pdf-lib (a real parser): the file parses as PDF,
// every stream decodes within one budget of decoded bytes, nothing is encrypted or active, and
// there is a catalog with pages. What a reader does with the objects is checked again by the
// renderer (render-pages.ts), which follows the cross-reference table as readers do.
import { PDFDict, PDFName, PDFRawStream } from 'pdf-lib';
import { PdfRefused } from './refusal.ts';
import { DecodeBudget } from './stream-budget.ts';
import { parsePdfObjects } from './parse-objects.ts';
import { refuseActiveContent } from './active-content.ts';
import { canonicalName } from './names.ts';

/** Decoded streams are read up to this much in all (a compression bomb stops here). */
export const MAX_DECODED_BYTES = 32 * 1024 * 1024;

const TYPE = PDFName.of('Type');
const PACKED_TYPES = new Set(['ObjStm', 'XRef']);

export async function inspectPdf(bytes: Uint8Array): Promise<void> {
  const budget = new DecodeBudget(MAX_DECODED_BYTES);
  const { context, objects, decoded } = await parsePdfObjects(bytes, budget);
  if (context.trailerInfo.Encrypt) throw new PdfRefused('active', 'encrypted');
  for (const object of objects) {
    if (!(object instanceof PDFRawStream) || decoded.has(object)) continue;
    // An object stream pdf-lib did not unpack (one inside another) would hide its objects.
    const type = object.dict.lookup(TYPE);
    if (type instanceof PDFName && PACKED_TYPES.has(canonicalName(type))) throw new PdfRefused('broken', `a nested /${canonicalName(type)} stream`);
    budget.decode(object);
  }
  refuseActiveContent(context, objects);
  const catalog = context.lookup(context.trailerInfo.Root);
  if (!(catalog instanceof PDFDict) || !(catalog.lookup(PDFName.of('Pages')) instanceof PDFDict)) throw new PdfRefused('broken', 'no catalog with pages');
}
