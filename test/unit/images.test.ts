// ID photos are judged by content and rebuilt without metadata; anything hiding after the image
// (a polyglot) or broken inside it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanImage, ImageRejected } from '../../src/lib/images.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';

const rejects = (data: Buffer, code: string) =>
  assert.throws(
    () => cleanImage(data),
    (e: unknown) => e instanceof ImageRejected && e.code === code,
  );

test('JPEG, PNG and GIF are recognised by content', () => {
  assert.equal(cleanImage(makeJpeg()).mediaType, 'image/jpeg');
  assert.equal(cleanImage(makePng()).mediaType, 'image/png');
  assert.equal(cleanImage(SMALLEST_GIF).mediaType, 'image/gif');
  rejects(Buffer.from('just some text pretending to be a photo.jpg'), 'photo.not_image');
  rejects(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'photo.not_image');
});

test('EXIF with GPS is removed from a JPEG; text and eXIf chunks from a PNG', () => {
  const jpeg = cleanImage(makeJpeg(true)).data;
  assert.equal(jpeg.indexOf('GPSLatitude'), -1);
  assert.equal(jpeg.indexOf('Exif'), -1);
  assert.deepEqual(jpeg, makeJpeg(false), 'what remains is the image itself');
  const png = cleanImage(
    makePng(2, 2, [
      ['eXIf', GPS_EXIF],
      ['tEXt', Buffer.from('Comment\0taken at home', 'latin1')],
    ]),
  ).data;
  assert.equal(png.indexOf('GPS'), -1);
  assert.equal(png.indexOf('tEXt'), -1);
  assert.deepEqual(png, makePng(2, 2));
});

test('a GIF keeps its image and loses its comments', () => {
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, 5]), Buffer.from('hello'), Buffer.from([0])]);
  const withComment = Buffer.concat([SMALLEST_GIF.subarray(0, SMALLEST_GIF.length - 1), comment, Buffer.from([0x3b])]);
  assert.deepEqual(cleanImage(withComment).data, SMALLEST_GIF);
});

test('polyglots and broken files are refused', () => {
  rejects(Buffer.concat([makeJpeg(), Buffer.from('PK\x03\x04 a zip archive follows')]), 'photo.trailing_data');
  rejects(Buffer.concat([makePng(), Buffer.from('<script>alert(1)</script>')]), 'photo.trailing_data');
  rejects(Buffer.concat([SMALLEST_GIF, Buffer.from('<html>')]), 'photo.trailing_data');
  const badCrc = makePng();
  badCrc[30] = badCrc[30]! ^ 0xff;
  rejects(badCrc, 'photo.corrupt');
  rejects(makeJpeg().subarray(0, 60), 'photo.corrupt');
  rejects(SMALLEST_GIF.subarray(0, 20), 'photo.corrupt');
  assert.doesNotThrow(() => cleanImage(Buffer.concat([makePng(), Buffer.alloc(16)])), 'zero padding after the end is harmless');
});
