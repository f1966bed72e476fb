// The front matter of a Markdown file (help articles, legal documents): a block between two `---`
// value in brackets is a list (`keywords: [注册, 手机号]`). Only what our articles use; anything
// else is a mistake the loader reports with the file's name.
export interface FrontMatter {
  fields: Record<string, string | string[]>;
  body: string;
}

export function parseFrontMatter(text: string): FrontMatter {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) throw new Error('no front matter (a block between two --- lines)');
  const fields: Record<string, string | string[]> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const at = line.indexOf(':');
    if (at <= 0) throw new Error(`front matter line without "key:": ${line}`);
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    fields[key] = value.startsWith('[') && value.endsWith(']') ? splitList(value.slice(1, -1)) : unquote(value);
  }
  return { fields, body: text.slice(match[0].length) };
}

const splitList = (value: string) =>
  value
    .split(/[,，]/)
    .map((item) => unquote(item.trim()))
    .filter(Boolean);

const unquote = (value: string) => (/^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value);
