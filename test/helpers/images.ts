// Small real images for upload tests, built byte by byte: a PNG (with optional extra chunks, e.g.
// an eXIf chunk holding GPS), the smallest JPEG (with optional EXIF APP1), and a 1×1 GIF.
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A width×height RGB PNG of one colour; `extra` chunks go after IHDR. */
export function makePng(width = 2, height = 2, extra: Array<[string, Buffer]> = [], padTo = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunks = [pngChunk('IHDR', ihdr), ...extra.map(([t, d]) => pngChunk(t, d)), pngChunk('IDAT', deflateSync(raw, { level: 0 }))];
  // Padding (to reach a size) goes in a private ancillary chunk the cleaner drops.
  const base = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
  const padding = padTo > base.length + 24 ? [pngChunk('prVt', Buffer.alloc(padTo - base.length - 24, 0x41))] : [];
  return Buffer.concat([base, ...padding, pngChunk('IEND', Buffer.alloc(0))]);
}

/** An eXIf payload that names GPS coordinates, as phones write them. */
export const GPS_EXIF = Buffer.concat([Buffer.from('MM\0*\0\0\0\x08', 'latin1'), Buffer.from('GPSLatitude 39.9042N GPSLongitude 116.4074E', 'latin1')]);

const SMALLEST_JPEG = Buffer.from(
  'ffd8ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9',
  'hex',
);

/** The smallest JPEG, with an EXIF (APP1) segment holding GPS when asked. */
export function makeJpeg(withExif = false): Buffer {
  if (!withExif) return SMALLEST_JPEG;
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), GPS_EXIF]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([SMALLEST_JPEG.subarray(0, 2), app1, SMALLEST_JPEG.subarray(2)]);
}

export const SMALLEST_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
