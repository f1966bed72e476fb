// A reason staff typed, made ready to sit inside a sentence of a notice: the template ends the
// sentence (。 or .), so the reason brings no end punctuation of its own, nor a leading colon after
// the template's own — never "未通过：照片模糊。。" or "：：".
const LEADING = /^[\s:：,，;；、]+/u;
const TRAILING = /[\s。．.！!；;，,、：:]+$/u;

export function clause(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}
