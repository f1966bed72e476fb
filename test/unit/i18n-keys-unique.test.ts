// The catalogues are one object per namespace, merged into one per language: a key defined in two
// namespaces would silently show one of the two texts wherever either is used (the retention
// periods page once showed the console's 核验材料 for its own row this way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zh from '../../src/i18n/zh-CN/index.ts';
import * as en from '../../src/i18n/en/index.ts';

for (const [lang, namespaces] of [
  ['zh-CN', zh],
  ['en', en],
] as const) {
  test(`every ${lang} message key is defined in one namespace only`, () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [namespace, messages] of Object.entries(namespaces as Record<string, Record<string, string>>)) {
      for (const key of Object.keys(messages)) {
        if (owner.has(key)) twice.push(`${key} (${owner.get(key)} and ${namespace})`);
        else owner.set(key, namespace);
      }
    }
    assert.deepEqual(twice, []);
  });
}
