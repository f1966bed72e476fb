// PDF letters for tests, written by pdf-lib (a real PDF library), never by hand: an ordinary
// one-page letter (black title and a black box, so its page image has something dark to find),
// the same with active content added through pdf-lib's objects, and files assembled from pdf-lib's
// own serialised objects and cross-reference stream where the library alone cannot write them:
// a catalog packed in an object stream under /ASCIIHexDecode or /ASCII85Decode, and an
// incremental update. The two ASCII encoders are small and follow ISO 32000-1 §7.4.2–7.4.3.
import { deflateSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFCrossRefStream, PDFDocument, PDFName, PDFObjectStream, PDFRawStream, PDFRef, PDFString, StandardFonts, rgb, type PDFObject } from 'pdf-lib';

export async function letterDocument(pages = 1): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText('Enterprise account look-up letter', { x: 72, y: 760, size: 20, font, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 72, y: 600, width: 200, height: 100, color: rgb(0, 0, 0) });
  }
  return doc;
}

export async function ordinaryLetter(options: { useObjectStreams?: boolean; pages?: number } = {}): Promise<Buffer> {
  const doc = await letterDocument(options.pages);
  return Buffer.from(await doc.save({ useObjectStreams: options.useObjectStreams ?? true }));
}

/** The ordinary letter changed through pdf-lib's objects before it is saved. */
export async function letterWith(change: (doc: PDFDocument) => void | Promise<void>, useObjectStreams = true): Promise<Buffer> {
  const doc = await letterDocument();
  await change(doc);
  return Buffer.from(await doc.save({ useObjectStreams }));
}

export const javaScriptAction = (doc: PDFDocument) => doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("hi")') });

/**
 * The letter declaring RC4 128-bit encryption (pdf-lib cannot encrypt): a reader would try to
 * decrypt it, and a checker cannot read what an encrypted file holds.
 */
export const encryptedLetter = () =>
  letterWith((doc) => {
    doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: 'Standard', V: 2, R: 3, Length: 128, P: -44 }));
  });

/** A link annotation on the first page running `action`. */
export function addLink(doc: PDFDocument, action: PDFObject): void {
  const annotation = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [72, 600, 272, 700], Border: [0, 0, 0], A: action }));
  doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([annotation]));
}

export function asciiHex(bytes: Uint8Array): Buffer {
  return Buffer.from(`${Buffer.from(bytes).toString('hex')}>`, 'latin1');
}

export function ascii85(bytes: Uint8Array): Buffer {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const group = bytes.subarray(i, i + 4);
    const padded = Buffer.alloc(4);
    padded.set(group);
    let value = padded.readUInt32BE(0);
    if (group.length === 4 && value === 0) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let d = 0; d < 5; d++) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, group.length + 1).join('');
  }
  return Buffer.from(`${out}~>`, 'latin1');
}

const bytesOf = (object: PDFObject) => {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return Buffer.from(buffer);
};

const indirect = (ref: PDFRef, object: PDFObject) =>
  Buffer.concat([Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'), bytesOf(object), Buffer.from('\nendobj\n', 'latin1')]);

/**
 * The letter with its catalog (after `change`) stored only in an object stream encoded with
 * `encode` under `filter`, found through a cross-reference stream, as PDF 1.5 writers do.
 */
export async function catalogInObjectStream(
  filter: string,
  encode: (bytes: Uint8Array) => Uint8Array,
  change: (doc: PDFDocument) => void = () => {},
): Promise<Buffer> {
  const doc = await letterDocument();
  change(doc);
  await doc.flush();
  const context = doc.context;
  const catalogRef = context.trailerInfo.Root as PDFRef;
  const catalog = context.lookup(catalogRef)!;
  context.delete(catalogRef);
  const packed = PDFObjectStream.withContextAndObjects(context, [[catalogRef, catalog]], false);
  const dict = packed.dict.clone(context);
  dict.set(PDFName.of('Filter'), PDFName.of(filter));
  const streamRef = context.register(PDFRawStream.of(dict, encode(packed.getUnencodedContents())));

  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const objects = context.enumerateIndirectObjects().sort(([a], [b]) => a.objectNumber - b.objectNumber);
  const xrefRef = PDFRef.of(context.largestObjectNumber + 1);
  const xref = PDFCrossRefStream.create(context.obj({ Size: xrefRef.objectNumber + 1, Root: catalogRef }), false);
  const entries = new Map<number, () => void>();
  for (const [ref, object] of objects) {
    const at = offset;
    entries.set(ref.objectNumber, () => xref.addUncompressedEntry(ref, at));
    const written = indirect(ref, object);
    parts.push(written);
    offset += written.length;
  }
  entries.set(catalogRef.objectNumber, () => xref.addCompressedEntry(catalogRef, streamRef, 0));
  const xrefAt = offset;
  entries.set(xrefRef.objectNumber, () => xref.addUncompressedEntry(xrefRef, xrefAt));
  for (const number of [...entries.keys()].sort((a, b) => a - b)) entries.get(number)!();
  parts.push(indirect(xrefRef, xref), Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/**
 * `pdf` with an incremental update appended, as a signing tool or an editor writes one: new
 * versions of the objects `change` returns, a cross-reference section for them and a trailer
 * pointing back to the previous one.
 */
export async function withIncrementalUpdate(pdf: Buffer, change: (doc: PDFDocument) => Array<[PDFRef, PDFObject]>): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  const updated = change(doc);
  const previous = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf.toString('latin1'))![1]);
  const parts: Buffer[] = [pdf];
  let offset = pdf.length;
  let table = 'xref\n';
  for (const [ref, object] of updated) {
    table += `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
    const written = indirect(ref, object);
    parts.push(written);
    offset += written.length;
  }
  const trailer = doc.context.obj({ Size: doc.context.largestObjectNumber + 1, Root: doc.context.trailerInfo.Root as PDFRef, Prev: previous });
  parts.push(Buffer.from(`${table}trailer\n${bytesOf(trailer).toString('latin1')}\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** A content stream that inflates to `bytes` of spaces: a compression bomb in a small file. */
export function bombStream(doc: PDFDocument, bytes: number): PDFRef {
  const deflated = deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 });
  return doc.context.register(doc.context.stream(deflated, { Filter: 'FlateDecode' }));
}

/** The share of a PNG's pixels that are dark (all channels below 64), decoded by @napi-rs/canvas. */
export async function darkPixelShare(png: Buffer): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 64 && data[i + 1]! < 64 && data[i + 2]! < 64 && data[i + 3]! > 192) dark++;
  return dark / (image.width * image.height);
}
