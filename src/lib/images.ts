// Uploaded ID photos, judged by their content and rebuilt from the parts an image needs. JPEG,
// PNG and GIF are parsed segment by segment (chunk by chunk, block by block); what carries
// metadata (EXIF with GPS, XMP, IPTC, comments, text chunks, application extensions) is dropped,
// structure errors are refused, and so is anything after the image's end marker — the usual way
// to make a file that is an image and also something else (a polyglot).
import { crc32 } from 'node:zlib';
import type { MessageKey } from '../i18n/index.ts';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif';

export class ImageRejected extends Error {
  /** i18n key for the person. */
  readonly code: MessageKey;
  constructor(code: MessageKey, detail: string) {
    super(detail);
    this.code = code;
  }
}

const fail = (detail: string, code: MessageKey = 'photo.corrupt'): never => {
  throw new ImageRejected(code, detail);
};

export function sniffImageType(data: Buffer): ImageType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'image/gif';
  return undefined;
}

/** Nothing but zero padding may follow the end of an image. */
function assertNothingAfter(data: Buffer, end: number): void {
  for (let i = end; i < data.length; i++) if (data[i] !== 0) fail(`${data.length - end} bytes after the end of the image`, 'photo.trailing_data');
}

// ---------------------------------------------------------------------------------------------
// JPEG: keep frame, tables, scans, JFIF (APP0), ICC (APP2) and Adobe (APP14); drop the rest.

const JPEG_KEEP_APP = new Set([0xe0, 0xe2, 0xee]);

function cleanJpeg(data: Buffer): Buffer {
  const out: Buffer[] = [data.subarray(0, 2)];
  let pos = 2;
  let frames = 0;
  let scans = 0;
  while (pos < data.length) {
    if (data[pos] !== 0xff) fail(`expected a marker at ${pos}`);
    while (data[pos + 1] === 0xff) pos++; // fill bytes
    const marker = data[pos + 1];
    if (marker === undefined) fail('truncated marker');
    if (marker === 0xd9) {
      if (frames === 0 || scans === 0) fail('no image data');
      out.push(Buffer.from([0xff, 0xd9]));
      assertNothingAfter(data, pos + 2);
      return Buffer.concat(out);
    }
    if (marker === 0xd8 || marker === 0x00) fail(`unexpected marker ${marker.toString(16)} at ${pos}`);
    if ((marker! >= 0xd0 && marker! <= 0xd7) || marker === 0x01) {
      out.push(data.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > data.length) fail('truncated segment');
    const length = data.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > data.length) fail(`segment ${marker!.toString(16)} runs past the end`);
    const segment = data.subarray(pos, pos + 2 + length);
    pos += 2 + length;
    const isApp = marker! >= 0xe0 && marker! <= 0xef;
    if (marker === 0xfe || (isApp && !JPEG_KEEP_APP.has(marker!))) continue; // COM, EXIF/XMP (APP1), IPTC (APP13) …
    if (marker === 0xe2 && !segment.subarray(4, 16).toString('latin1').startsWith('ICC_PROFILE')) continue;
    if (marker! >= 0xc0 && marker! <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frames++;
    out.push(segment);
    if (marker === 0xda) {
      scans++;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      const start = pos;
      while (pos < data.length) {
        if (data[pos] === 0xff && pos + 1 < data.length) {
          const next = data[pos + 1]!;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        pos++;
      }
      if (pos >= data.length) fail('scan without an end');
      out.push(data.subarray(start, pos));
    }
  }
  return fail('no end-of-image marker');
}

// ---------------------------------------------------------------------------------------------
// PNG: keep the critical chunks and those about how colours look; text, time and eXIf go.

const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'bKGD']);

function cleanPng(data: Buffer): Buffer {
  const out: Buffer[] = [data.subarray(0, 8)];
  let pos = 8;
  let first = true;
  let sawData = false;
  while (pos + 12 <= data.length) {
    const length = data.readUInt32BE(pos);
    const type = data.subarray(pos + 4, pos + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) fail(`bad chunk type at ${pos}`);
    const end = pos + 12 + length;
    if (end > data.length) fail(`chunk ${type} runs past the end`);
    const crc = data.readUInt32BE(pos + 8 + length);
    if (crc32(data.subarray(pos + 4, pos + 8 + length)) !== crc) fail(`chunk ${type} has a wrong checksum`);
    if (first && type !== 'IHDR') fail('first chunk is not IHDR');
    first = false;
    if (type === 'IDAT') sawData = true;
    if (PNG_KEEP.has(type)) out.push(data.subarray(pos, end));
    else if (type[0] === type[0]!.toUpperCase()) fail(`unknown critical chunk ${type}`);
    pos = end;
    if (type === 'IEND') {
      if (!sawData) fail('no image data');
      assertNothingAfter(data, pos);
      return Buffer.concat(out);
    }
  }
  return fail('no IEND chunk');
}

// ---------------------------------------------------------------------------------------------
// GIF: keep screen, colour tables, images and graphic control; drop comments, plain text and
// application extensions other than the looping one browsers use.

function cleanGif(data: Buffer): Buffer {
  if (data.length < 13) fail('truncated header');
  const flags = data[10]!;
  let pos = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  if (pos > data.length) fail('truncated colour table');
  const out: Buffer[] = [data.subarray(0, pos)];
  let images = 0;
  const subBlocksEnd = (at: number) => {
    let p = at;
    for (;;) {
      if (p >= data.length) fail('sub-blocks run past the end');
      const size = data[p]!;
      p += 1 + size;
      if (size === 0) return p;
    }
  };
  while (pos < data.length) {
    const introducer = data[pos]!;
    if (introducer === 0x3b) {
      if (images === 0) fail('no image data');
      out.push(Buffer.from([0x3b]));
      assertNothingAfter(data, pos + 1);
      return Buffer.concat(out);
    }
    if (introducer === 0x2c) {
      if (pos + 10 > data.length) fail('truncated image descriptor');
      const local = data[pos + 9]!;
      const tableEnd = pos + 10 + (local & 0x80 ? 3 * 2 ** ((local & 0x07) + 1) : 0);
      const end = subBlocksEnd(tableEnd + 1); // LZW minimum code size, then the data sub-blocks
      out.push(data.subarray(pos, end));
      images++;
      pos = end;
      continue;
    }
    if (introducer === 0x21) {
      const label = data[pos + 1];
      const end = subBlocksEnd(pos + 2);
      const appId = label === 0xff ? data.subarray(pos + 3, pos + 14).toString('latin1') : '';
      if (label === 0xf9 || (label === 0xff && (appId === 'NETSCAPE2.0' || appId === 'ANIMEXTS1.0'))) out.push(data.subarray(pos, end));
      pos = end;
      continue;
    }
    fail(`unexpected block ${introducer.toString(16)} at ${pos}`);
  }
  return fail('no trailer');
}

/** The image rebuilt without metadata, or ImageRejected saying why it cannot be taken. */
export function cleanImage(data: Buffer): { mediaType: ImageType; data: Buffer } {
  const type = sniffImageType(data);
  if (!type) throw new ImageRejected('photo.not_image', 'not a JPEG, PNG or GIF by its content');
  const cleaned = type === 'image/jpeg' ? cleanJpeg(data) : type === 'image/png' ? cleanPng(data) : cleanGif(data);
  return { mediaType: type, data: cleaned };
}
