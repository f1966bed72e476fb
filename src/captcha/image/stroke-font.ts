// The fallback captcha's letters, drawn as strokes rather than taken from a font: each character
// is a few polylines in a unit box (x right, y down, 0..1), from which every picture draws a fresh,
// jittered instance. No outline is ever the same twice, so there is no glyph shape to look up —
// the weakness of captchas that paint a font's outlines (svg-captcha's paths were read by a
// lookup table). The alphabet leaves out what people confuse (0/O/D… 1/I/L, 2/Z, 5/S, 8/B).

export type Point = readonly [number, number];
export type Stroke = readonly Point[];

/** An arc of the ellipse around (cx, cy), from `from` to `to` degrees (0 = right, 90 = down). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, steps = 12): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = ((from + ((to - from) * i) / steps) * Math.PI) / 180;
    points.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return points;
}

export const GLYPHS: Readonly<Record<string, readonly Stroke[]>> = {
  A: [
    [
      [0.05, 1],
      [0.5, 0],
      [0.95, 1],
    ],
    [
      [0.25, 0.62],
      [0.75, 0.62],
    ],
  ],
  C: [arc(0.55, 0.5, 0.45, 0.5, 320, 40)],
  E: [
    [
      [0.85, 0],
      [0.15, 0],
      [0.15, 1],
      [0.85, 1],
    ],
    [
      [0.15, 0.5],
      [0.7, 0.5],
    ],
  ],
  F: [
    [
      [0.85, 0],
      [0.15, 0],
      [0.15, 1],
    ],
    [
      [0.15, 0.5],
      [0.7, 0.5],
    ],
  ],
  H: [
    [
      [0.12, 0],
      [0.12, 1],
    ],
    [
      [0.88, 0],
      [0.88, 1],
    ],
    [
      [0.12, 0.5],
      [0.88, 0.5],
    ],
  ],
  J: [
    [
      [0.3, 0],
      [0.8, 0],
    ],
    [[0.65, 0], ...arc(0.4, 0.72, 0.25, 0.28, 0, 160)],
  ],
  K: [
    [
      [0.15, 0],
      [0.15, 1],
    ],
    [
      [0.85, 0],
      [0.15, 0.62],
    ],
    [
      [0.38, 0.45],
      [0.9, 1],
    ],
  ],
  L: [
    [
      [0.18, 0],
      [0.18, 1],
      [0.85, 1],
    ],
  ],
  M: [
    [
      [0.08, 1],
      [0.12, 0],
      [0.5, 0.62],
      [0.88, 0],
      [0.92, 1],
    ],
  ],
  N: [
    [
      [0.12, 1],
      [0.12, 0],
      [0.88, 1],
      [0.88, 0],
    ],
  ],
  P: [[[0.15, 1], [0.15, 0], [0.55, 0], ...arc(0.55, 0.27, 0.32, 0.27, -90, 90), [0.15, 0.54]]],
  R: [
    [[0.15, 1], [0.15, 0], [0.55, 0], ...arc(0.55, 0.27, 0.32, 0.27, -90, 90), [0.15, 0.54]],
    [
      [0.48, 0.54],
      [0.9, 1],
    ],
  ],
  T: [
    [
      [0.05, 0],
      [0.95, 0],
    ],
    [
      [0.5, 0],
      [0.5, 1],
    ],
  ],
  U: [[[0.15, 0], ...arc(0.5, 0.63, 0.35, 0.37, 180, 0), [0.85, 0]]],
  V: [
    [
      [0.05, 0],
      [0.5, 1],
      [0.95, 0],
    ],
  ],
  W: [
    [
      [0, 0],
      [0.24, 1],
      [0.5, 0.38],
      [0.76, 1],
      [1, 0],
    ],
  ],
  X: [
    [
      [0.1, 0],
      [0.9, 1],
    ],
    [
      [0.9, 0],
      [0.1, 1],
    ],
  ],
  Y: [
    [
      [0.08, 0],
      [0.5, 0.5],
      [0.92, 0],
    ],
    [
      [0.5, 0.5],
      [0.5, 1],
    ],
  ],
  '3': [arc(0.48, 0.26, 0.32, 0.26, 200, 450), arc(0.48, 0.74, 0.36, 0.26, -90, 160)],
  '4': [
    [
      [0.68, 1],
      [0.68, 0],
      [0.05, 0.68],
      [0.95, 0.68],
    ],
  ],
  '6': [
    [
      [0.78, 0.05],
      [0.45, 0.22],
      [0.22, 0.5],
      [0.18, 0.72],
    ],
    arc(0.5, 0.7, 0.32, 0.3, 180, 540, 18),
  ],
  '7': [
    [
      [0.08, 0],
      [0.92, 0],
      [0.38, 1],
    ],
  ],
  '9': [
    arc(0.5, 0.3, 0.32, 0.3, 0, 360, 18),
    [
      [0.82, 0.3],
      [0.72, 0.65],
      [0.4, 1],
    ],
  ],
};

/** The characters a fallback captcha is made of. */
export const ALPHABET = Object.keys(GLYPHS).join('');
