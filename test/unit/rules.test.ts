import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isEmail, isMainlandMobile, normalizeEmail, normalizePhone, passwordProblem } from '../../src/accounts/rules.ts';
import { maskEmail, maskPhone } from '../../src/lib/mask.ts';
import { commonPasswords } from '../../src/accounts/common-passwords.ts';
import { randomDigits, constantTimeEqual } from '../../src/lib/crypto.ts';

test('mainland mobile numbers: 1[3-9] and 9 more digits; +86, spaces, dashes and full width forgiven', () => {
  for (const ok of ['13800138000', '19912345678', '16600001111']) assert.ok(isMainlandMobile(normalizePhone(ok)), ok);
  for (const bad of ['12800138000', '1380013800', '138001380001', '23800138000', '']) assert.ok(!isMainlandMobile(normalizePhone(bad)), bad);
  assert.equal(normalizePhone('+86 138-0013-8000'), '13800138000');
  assert.equal(normalizePhone('0086 13800138000'), '13800138000');
  assert.equal(normalizePhone('１３８００１３８０００'), '13800138000');
});

test('email addresses are lower-cased and checked plainly', () => {
  assert.equal(normalizeEmail('  Li.Lei@Example.COM '), 'li.lei@example.com');
  assert.equal(normalizeEmail('ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ'), 'li@example.cn');
  for (const ok of ['a@b.cn', 'zhang.san+tx@mail.tsinghua.edu.cn']) assert.ok(isEmail(ok), ok);
  for (const bad of ['a@b', 'a b@c.cn', '@c.cn', 'a@-c.cn', 'a@c..cn', `${'a'.repeat(65)}@c.cn`]) assert.ok(!isEmail(bad), bad);
});

test('password rules follow ASVS: length only, no composition, common and username refused', () => {
  assert.equal(passwordProblem('1234567', undefined), 'password.too_short');
  assert.equal(passwordProblem('abcdefgh', undefined), undefined, 'no composition rules');
  assert.equal(passwordProblem('x'.repeat(64), undefined), undefined, '64 accepted');
  assert.equal(passwordProblem('x'.repeat(129), undefined), 'password.too_long');
  assert.equal(passwordProblem('PassWord', undefined), 'password.too_common');
  assert.equal(passwordProblem('13800138000', '13800138000'), 'password.equals_username');
  assert.equal(passwordProblem('我爱北京天安门啊', undefined), undefined, 'characters, not bytes');
  assert.equal(commonPasswords.size, 10_000);
});

test('masks keep the shape the seeds show', () => {
  assert.equal(maskPhone('18612341234'), '186****1234');
  assert.equal(maskEmail('abcdef@example.com'), 'ab***@example.com');
  assert.equal(maskEmail('a@example.com'), 'a***@example.com');
});

test('codes are 6 digits with every digit possible, and compare in constant time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const code = randomDigits(6);
    assert.match(code, /^\d{6}$/);
    for (const d of code) seen.add(d);
  }
  assert.equal(seen.size, 10);
  fc.assert(
    fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => constantTimeEqual(Buffer.from(a), Buffer.from(b)) === Buffer.from(a).equals(Buffer.from(b))),
  );
});
