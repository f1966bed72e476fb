// Decoding a PDF's streams under one budget of decoded bytes, so a compression bomb (a small
// stream that inflates to gigabytes) stops at the budget instead of filling memory — here and in
// the renderer that would decode it next. Each filter of a chain is decoded on its own and its
// output charged: counting only the last stage would let an inner stage (an LZW bomb of spaces
// that /ASCIIHexDecode then skips) grow unseen. The decoders are pdf-lib's, the same code that
// reads object streams when the document is parsed, so what is checked is what is read.
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, type PDFObject } from 'pdf-lib';
import { PdfRefused } from './refusal.ts';
import { canonicalName } from './names.ts';

/** The general-purpose filters of ISO 32000-1 §7.4 that pdf-lib decodes. */
const GENERAL_FILTERS = new Set(['FlateDecode', 'LZWDecode', 'ASCIIHexDecode', 'ASCII85Decode', 'RunLengthDecode']);
/**
 * Image codecs: only ever the last filter of an image, decoded by the renderer under its own
 * image-size limit. The filters before them are still decoded and charged here.
 */
const IMAGE_CODECS = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);
/** Real writers chain one or two filters; a long chain only multiplies decoding work. */
const MAX_FILTERS = 4;
const CHUNK = 64 * 1024;

const FILTER = PDFName.of('Filter');
const DECODE_PARMS = PDFName.of('DecodeParms');

export class DecodeBudget {
  #left: number;

  constructor(bytes: number) {
    this.#left = bytes;
  }

  /**
   * Decodes every general filter of the stream, charging each stage. Refuses a stream whose data
   * lives in another file (/F) as active, and as broken one whose filters no reader can decode:
   * an unknown filter (or /Crypt, outside an encrypted file) hides its contents from this check,
   * and a conforming reader cannot show it either, so the file is not a plain document.
   */
  decode(stream: PDFRawStream): Uint8Array {
    if (stream.dict.has(PDFName.of('F'))) throw new PdfRefused('active', 'stream data in an external file');
    const filters = filterChain(stream.dict);
    let data = stream.contents;
    for (const [index, { name, params }] of filters.entries()) {
      if (IMAGE_CODECS.has(name)) {
        if (index !== filters.length - 1) throw new PdfRefused('broken', `${name} before another filter`);
        break;
      }
      if (!GENERAL_FILTERS.has(name)) throw new PdfRefused('broken', `filter /${name} cannot be decoded`);
      data = this.#stage(stream, name, params, data);
    }
    return data;
  }

  #stage(stream: PDFRawStream, name: string, params: PDFObject | undefined, input: Uint8Array): Uint8Array {
    const dict = stream.dict.context.obj({});
    dict.set(FILTER, PDFName.of(name));
    if (params instanceof PDFDict) dict.set(DECODE_PARMS, params);
    let decoder;
    const chunks: Uint8Array[] = [];
    try {
      decoder = decodePDFRawStream(PDFRawStream.of(dict, input));
      for (;;) {
        const chunk = decoder.getBytes(CHUNK);
        this.#left -= chunk.length;
        if (this.#left < 0) throw new PdfRefused('broken', 'decoded streams exceed the budget');
        chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (chunk.length < CHUNK) break;
      }
    } catch (error) {
      if (error instanceof PdfRefused) throw error;
      throw new PdfRefused('broken', `/${name} data does not decode: ${String(error)}`);
    }
    return Buffer.concat(chunks);
  }
}

function filterChain(dict: PDFDict): Array<{ name: string; params: PDFObject | undefined }> {
  const filter = dict.lookup(FILTER);
  const params = dict.lookup(DECODE_PARMS);
  if (filter === undefined) return [];
  if (filter instanceof PDFName) return [{ name: canonicalName(filter), params }];
  if (!(filter instanceof PDFArray)) throw new PdfRefused('broken', 'a /Filter that is neither a name nor an array');
  if (filter.size() > MAX_FILTERS) throw new PdfRefused('broken', `${filter.size()} filters on one stream`);
  return Array.from({ length: filter.size() }, (_, index) => {
    const name = filter.lookup(index);
    if (!(name instanceof PDFName)) throw new PdfRefused('broken', 'a /Filter entry that is not a name');
    return { name: canonicalName(name), params: params instanceof PDFArray ? params.lookup(index) : undefined };
  });
}
