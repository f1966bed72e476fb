// What people type is forgiven before it is checked: Chinese input methods produce full-width
// digits and letters (１１０…，ｘ), numbers are copied with spaces or grouped with hyphens, and the
// check character X is often typed lower case. None of the six document formats contains a
// space or a hyphen of its own (all are letters, digits and, for the old Taiwan permit,
// parentheses), so removing them never changes which document is meant.

/** Space-like characters: ASCII whitespace, NBSP, the ideographic space U+3000, zero-width ones. */
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g;
/** Hyphen-like characters people paste: - ‐ ‑ ‒ – — ― and the minus sign −. (The full-width －
 *  becomes - first.) */
const HYPHENS = /[-\u2010-\u2015\u2212]/g;

/** Full-width ASCII (U+FF01–U+FF5E: ０-９, Ａ-Ｚ, ａ-ｚ, （）) becomes its ASCII twin. */
export function toHalfWidth(value: string): string {
  return value.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * The form every validator starts from: half-width, no spaces or hyphens, ASCII letters upper
 * case (x → X). Other characters are left alone so that the validators can name the problem
 * (id.*.chars) instead of silently dropping what the person typed.
 */
export function normalizeIdInput(input: string): string {
  return toHalfWidth(input)
    .replace(SPACES, '')
    .replace(HYPHENS, '')
    .replace(/[a-z]/g, (c) => c.toUpperCase());
}
