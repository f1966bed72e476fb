// The picture of the fallback captcha: a real PNG with nothing in it but pixels, and not readable
// by the classic program attack (cut the picture into characters at the empty columns, match
// each against the letters' clean shapes). The same program reads the undistorted rendering of
// the same strokes almost always, so the test measures the distortion, not a broken matcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { CAPTCHA_HEIGHT, CAPTCHA_WIDTH, captchaText, drawCaptchaPixels, drawCaptchaPng, type Random } from '../../src/captcha/image/draw.ts';
import { ALPHABET } from '../../src/captcha/image/stroke-font.ts';

/** A small deterministic generator (mulberry32), so failures can be replayed. */
function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the picture is a greyscale PNG of the stated size with no text chunks', () => {
  const png = drawCaptchaPng(captchaText());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: string[] = [];
  let idat = Buffer.alloc(0);
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    chunks.push(type);
    if (type === 'IHDR') {
      assert.equal(png.readUInt32BE(at + 8), CAPTCHA_WIDTH);
      assert.equal(png.readUInt32BE(at + 12), CAPTCHA_HEIGHT);
      assert.equal(png[at + 16], 8);
      assert.equal(png[at + 17], 0, 'greyscale');
    }
    if (type === 'IDAT') idat = Buffer.concat([idat, png.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  assert.deepEqual(chunks, ['IHDR', 'IDAT', 'IEND'], 'nothing but the pixels');
  assert.equal(inflateSync(idat).length, (CAPTCHA_WIDTH + 1) * CAPTCHA_HEIGHT);
});

test('no two pictures of the same text are alike', () => {
  const a = drawCaptchaPixels('K7P3X', { random: seeded(1) });
  const b = drawCaptchaPixels('K7P3X', { random: seeded(2) });
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 64) differ++;
  assert.ok(differ > a.length * 0.05, `${differ} pixels differ`);
});

// ---- the classic attack: segment at empty columns, then match each piece with a template

const SIZE = 16;

/** The ink of a region, cropped to its rows with ink and resized to SIZE × SIZE (nearest neighbour). */
function normalise(ink: Uint8Array, x0: number, x1: number): Float32Array {
  let y0 = CAPTCHA_HEIGHT;
  let y1 = -1;
  for (let y = 0; y < CAPTCHA_HEIGHT; y++)
    for (let x = x0; x < x1; x++)
      if (ink[y * CAPTCHA_WIDTH + x]) {
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  const out = new Float32Array(SIZE * SIZE);
  if (y1 < 0) return out;
  for (let j = 0; j < SIZE; j++)
    for (let i = 0; i < SIZE; i++) {
      const x = x0 + Math.floor(((i + 0.5) * (x1 - x0)) / SIZE);
      const y = y0 + Math.floor(((j + 0.5) * (y1 - y0 + 1)) / SIZE);
      out[j * SIZE + i] = ink[y * CAPTCHA_WIDTH + x] ?? 0;
    }
  return out;
}

const inkOf = (pixels: Uint8Array) => pixels.map((p) => (p < 140 ? 1 : 0));

/** Column runs with ink, forced to `count` pieces by splitting the widest or merging the narrowest. */
function segments(ink: Uint8Array, count: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let x = 0; x <= CAPTCHA_WIDTH; x++) {
    let column = 0;
    if (x < CAPTCHA_WIDTH) for (let y = 0; y < CAPTCHA_HEIGHT; y++) column += ink[y * CAPTCHA_WIDTH + x]!;
    if (column > 0 && start < 0) start = x;
    if (column === 0 && start >= 0) {
      runs.push([start, x]);
      start = -1;
    }
  }
  while (runs.length > count) {
    let narrowest = 0;
    for (let i = 1; i < runs.length; i++) if (runs[i]![1] - runs[i]![0] < runs[narrowest]![1] - runs[narrowest]![0]) narrowest = i;
    const other =
      narrowest === 0
        ? 1
        : narrowest === runs.length - 1
          ? narrowest - 1
          : runs[narrowest - 1]![1] - runs[narrowest - 1]![0] < runs[narrowest + 1]![1] - runs[narrowest + 1]![0]
            ? narrowest - 1
            : narrowest + 1;
    const [a, b] = [Math.min(narrowest, other), Math.max(narrowest, other)];
    runs.splice(a, 2, [runs[a]![0], runs[b]![1]]);
  }
  while (runs.length > 0 && runs.length < count) {
    let widest = 0;
    for (let i = 1; i < runs.length; i++) if (runs[i]![1] - runs[i]![0] > runs[widest]![1] - runs[widest]![0]) widest = i;
    const [x0, x1] = runs[widest]!;
    const mid = Math.floor((x0 + x1) / 2);
    runs.splice(widest, 1, [x0, mid], [mid, x1]);
  }
  return runs;
}

const templates = [...ALPHABET].map((ch) => {
  const ink = inkOf(drawCaptchaPixels(ch, { distort: false }));
  const [piece] = segments(ink, 1);
  return { ch, shape: normalise(ink, piece![0], piece![1]) };
});

function read(pixels: Uint8Array): string {
  const ink = inkOf(pixels);
  return segments(ink, 5)
    .map(([x0, x1]) => {
      const shape = normalise(ink, x0, x1);
      let best = { ch: '?', distance: Infinity };
      for (const t of templates) {
        let distance = 0;
        for (let i = 0; i < shape.length; i++) distance += (shape[i]! - t.shape[i]!) ** 2;
        if (distance < best.distance) best = { ch: t.ch, distance };
      }
      return best.ch;
    })
    .join('');
}

test('the segment-and-match attack reads clean renderings but not the captcha', () => {
  const random = seeded(20261201);
  const samples = 60;
  let clean = 0;
  let distorted = 0;
  let characters = 0;
  for (let n = 0; n < samples; n++) {
    const text = captchaText(5, random);
    if (read(drawCaptchaPixels(text, { distort: false })) === text) clean++;
    const guess = read(drawCaptchaPixels(text, { random }));
    if (guess === text) distorted++;
    for (let i = 0; i < 5; i++) if (guess[i] === text[i]) characters++;
  }
  assert.ok(clean >= samples * 0.9, `the matcher works: it read ${clean}/${samples} clean renderings`);
  assert.ok(distorted <= samples * 0.02, `it read ${distorted}/${samples} captchas`);
  assert.ok(characters <= samples * 5 * 0.25, `it got ${characters}/${samples * 5} characters right`);
});
