// Draws the fallback captcha (for browsers without JavaScript) as a PNG — a raster, so there is
// no vector path to read back. What makes it hard for a program and still readable for a person
// (after Bursztein et al., "Text-based CAPTCHA Strengths and Weaknesses", CCS 2011): every
// character is a fresh jittered instance of its strokes (stroke-font.ts), rotated, sheared and
// scaled on its own, set so close that neighbours touch (no clean column to cut at), the whole
// warped by a wave, and crossed by curves and stroke debris drawn with the same pen and ink, so
// no colour or width filter separates them from the text.
import { randomInt } from 'node:crypto';
import { encodeGreyPng } from './png.ts';
import { ALPHABET, GLYPHS, type Point, type Stroke } from './stroke-font.ts';

export const CAPTCHA_WIDTH = 200;
export const CAPTCHA_HEIGHT = 70;
const SS = 3; // supersampling
const W = CAPTCHA_WIDTH * SS;
const H = CAPTCHA_HEIGHT * SS;

/** Uniform in [0, 1). Tests pass a seeded one; the service uses the CSPRNG. */
export type Random = () => number;
export const secureRandom: Random = () => randomInt(0, 2 ** 47) / 2 ** 47;

export interface DrawOptions {
  random?: Random;
  /** Off for the unit test's reference renders: no jitter, transforms, warp or interference. */
  distort?: boolean;
}

const between = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();
const gauss = (random: Random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A text of `length` characters from the captcha alphabet. */
export function captchaText(length = 5, random: Random = secureRandom): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

/** Paints a capsule (a segment with round ends) of width `w` into the coverage buffer. */
function paintSegment(ink: Float32Array, a: Point, b: Point, w: number): void {
  const r = w / 2;
  const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - r));
  const x1 = Math.min(W - 1, Math.ceil(Math.max(a[0], b[0]) + r));
  const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - r));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(a[1], b[1]) + r));
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy || 1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
      const px = a[0] + t * dx - x;
      const py = a[1] + t * dy - y;
      if (px * px + py * py <= r * r) ink[y * W + x] = 1;
    }
  }
}

function paintStroke(ink: Float32Array, points: readonly Point[], w: number): void {
  for (let i = 1; i < points.length; i++) paintSegment(ink, points[i - 1]!, points[i]!, w);
  if (points.length === 1) paintSegment(ink, points[0]!, points[0]!, w);
}

/** Splits long segments so the wave bends them instead of moving their ends only. */
function densify(points: readonly Point[], step: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (i > 0) {
      const q = points[i - 1]!;
      const n = Math.max(1, Math.ceil(Math.hypot(p[0] - q[0], p[1] - q[1]) / step));
      for (let k = 1; k < n; k++) out.push([q[0] + ((p[0] - q[0]) * k) / n, q[1] + ((p[1] - q[1]) * k) / n]);
    }
    out.push(p);
  }
  return out;
}

/** A quadratic Bézier from a through control c to b. */
function bezier(a: Point, c: Point, b: Point, steps = 24): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    points.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
  }
  return points;
}

interface Placement {
  x: number;
  y: number;
  size: number;
  angle: number;
  shear: number;
  scaleX: number;
}

/** A glyph's strokes placed on the canvas: jittered in glyph units, then sheared, rotated, scaled and moved. */
function place(strokes: readonly Stroke[], at: Placement, random: Random, jitter: number): Point[][] {
  const cos = Math.cos(at.angle);
  const sin = Math.sin(at.angle);
  return strokes.map((stroke) =>
    stroke.map(([gx, gy]) => {
      const jx = gx - 0.5 + jitter * gauss(random);
      const jy = gy - 0.5 + jitter * gauss(random);
      const sx = (jx + at.shear * jy) * at.scaleX;
      const rx = sx * cos - jy * sin;
      const ry = sx * sin + jy * cos;
      return [at.x + rx * at.size, at.y + ry * at.size] as Point;
    }),
  );
}

/** Renders `text` (characters of ALPHABET) as a CAPTCHA_WIDTH × CAPTCHA_HEIGHT greyscale PNG. */
export function drawCaptchaPng(text: string, options: DrawOptions = {}): Buffer {
  return encodeGreyPng(CAPTCHA_WIDTH, CAPTCHA_HEIGHT, drawCaptchaPixels(text, options));
}

/** The picture's grey levels, row by row (what the PNG holds). */
export function drawCaptchaPixels(text: string, options: DrawOptions = {}): Uint8Array {
  const random = options.random ?? secureRandom;
  const distort = options.distort ?? true;
  const ink = new Float32Array(W * H);
  const size = H * 0.62;
  const pen = distort ? between(random, 3, 4) * SS : 4 * SS;
  const advance = size * (distort ? between(random, 0.7, 0.78) : 0.9);
  let x = (W - advance * (text.length - 1)) / 2;
  const strokes: Point[][] = [];

  for (const ch of text) {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new RangeError(`no stroke glyph for ${JSON.stringify(ch)}`);
    const at: Placement = distort
      ? {
          x: x + between(random, -0.06, 0.06) * size,
          y: H / 2 + between(random, -0.1, 0.1) * H,
          size: size * between(random, 0.9, 1.1),
          angle: between(random, -0.35, 0.35),
          shear: between(random, -0.25, 0.25),
          scaleX: between(random, 0.8, 1),
        }
      : { x, y: H / 2, size, angle: 0, shear: 0, scaleX: 0.8 };
    strokes.push(...place(glyph, at, random, distort ? 0.035 : 0));
    x += advance;
  }

  if (distort) {
    // Curves across the text band, and debris cut from real glyph strokes: same pen, same ink.
    for (let i = 0, n = 1 + Math.floor(random() * 2); i < n; i++) {
      const a: Point = [between(random, 0, W * 0.15), between(random, H * 0.2, H * 0.8)];
      const b: Point = [between(random, W * 0.85, W), between(random, H * 0.2, H * 0.8)];
      const c: Point = [between(random, W * 0.3, W * 0.7), between(random, H * 0.05, H * 0.95)];
      strokes.push(bezier(a, c, b));
    }
    const pool = Object.values(GLYPHS).flat();
    for (let i = 0, n = 2 + Math.floor(random() * 3); i < n; i++) {
      const stroke = pool[Math.floor(random() * pool.length)]!;
      const start = Math.floor(random() * Math.max(1, stroke.length - 1));
      const piece = stroke.slice(start, start + 2);
      const at: Placement = {
        x: between(random, 0.05, 0.95) * W,
        y: between(random, 0.15, 0.85) * H,
        size: size * between(random, 0.3, 0.5),
        angle: between(random, -Math.PI, Math.PI),
        shear: 0,
        scaleX: 1,
      };
      strokes.push(...place([piece], at, random, 0.03));
    }
  }

  // One wave over everything, so text and interference bend together.
  const ax = distort ? between(random, 1.5, 3) * SS : 0;
  const ay = distort ? between(random, 1.5, 3) * SS : 0;
  const lx = between(random, 0.6, 1.2) * H;
  const ly = between(random, 0.8, 1.6) * H;
  const px = random() * 2 * Math.PI;
  const py = random() * 2 * Math.PI;
  const warp = ([sx, sy]: Point): Point => [sx + ax * Math.sin((2 * Math.PI * sy) / lx + px), sy + ay * Math.sin((2 * Math.PI * sx) / ly + py)];
  for (const stroke of strokes) paintStroke(ink, densify(stroke, 6 * SS).map(warp), pen * (distort ? between(random, 0.9, 1.1) : 1));

  // Down to size with a box filter: anti-aliased dark ink on a light ground.
  const pixels = new Uint8Array(CAPTCHA_WIDTH * CAPTCHA_HEIGHT);
  const ground = distort ? 236 + Math.floor(random() * 16) : 255;
  const dark = distort ? 30 + Math.floor(random() * 50) : 0;
  for (let y = 0; y < CAPTCHA_HEIGHT; y++) {
    for (let x2 = 0; x2 < CAPTCHA_WIDTH; x2++) {
      let sum = 0;
      for (let j = 0; j < SS; j++) for (let i = 0; i < SS; i++) sum += ink[(y * SS + j) * W + x2 * SS + i]!;
      const coverage = sum / (SS * SS);
      pixels[y * CAPTCHA_WIDTH + x2] = Math.round(ground - (ground - dark) * coverage);
    }
  }
  return pixels;
}
