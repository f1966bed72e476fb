// Every object of a PDF as pdf-lib's parser reads it, none left out. pdf-lib reads the file from
// start to end (it does not trust the cross-reference table), and this keeps what the finished
// document would not show: each version of an object an incremental update replaced (a reader
// following an older table sees the older one), and the object and cross-reference streams
// pdf-lib unpacks and drops. Those two are decoded under the byte budget before pdf-lib unpacks
// them, so a bomb stops here. The parser is pinned (pdf-lib 1.17.1): the two hooks, on this parser
// and this document's context only, use its method names.
import { PDFName, PDFParser, PDFRawStream, type PDFContext, type PDFObject, type PDFRef } from 'pdf-lib';
import { PdfRefused } from './refusal.ts';
import { DecodeBudget } from './stream-budget.ts';
import { canonicalName } from './names.ts';

export interface ParsedPdf {
  context: PDFContext;
  /** Every indirect object as parsed (older versions included), and every object or xref stream. */
  objects: PDFObject[];
  /** Streams whose filters were already decoded and charged while parsing. */
  decoded: Set<PDFRawStream>;
}

const TYPE = PDFName.of('Type');
const UNPACKED_TYPES = new Set(['ObjStm', 'XRef']);

export async function parsePdfObjects(bytes: Uint8Array, budget: DecodeBudget): Promise<ParsedPdf> {
  // throwOnInvalidObject: an object pdf-lib cannot read is refused, never skipped unread.
  const parser = PDFParser.forBytesWithOptions(bytes, Infinity, true);
  const objects: PDFObject[] = [];
  const decoded = new Set<PDFRawStream>();
  let refusal: PdfRefused | undefined;

  const hooks = parser as unknown as { parseObject(): PDFObject; context: PDFContext };
  const parseObject = hooks.parseObject.bind(parser);
  hooks.parseObject = () => {
    const object = parseObject();
    const type = object instanceof PDFRawStream ? object.dict.lookup(TYPE) : undefined;
    if (object instanceof PDFRawStream && type instanceof PDFName && UNPACKED_TYPES.has(canonicalName(type))) {
      try {
        // Spelt with escapes pdf-lib does not read, it would stay packed here but not for a reader.
        if (type !== PDFName.of(canonicalName(type))) throw new PdfRefused('broken', `an escaped /${canonicalName(type)} stream type`);
        budget.decode(object);
      } catch (error) {
        // pdf-lib would report this only as an invalid object: keep the reason.
        if (error instanceof PdfRefused) refusal ??= error;
        throw error;
      }
      decoded.add(object);
      objects.push(object);
    }
    return object;
  };
  const context = hooks.context;
  const assign = context.assign.bind(context);
  context.assign = (ref: PDFRef, object: PDFObject) => {
    objects.push(object);
    assign(ref, object);
  };

  try {
    await parser.parseDocument();
  } catch (error) {
    throw refusal ?? new PdfRefused('broken', `pdf-lib cannot parse it: ${String(error)}`);
  }
  if (refusal) throw refusal;
  return { context, objects, decoded };
}
