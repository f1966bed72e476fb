import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { blindIndex, open, parseKeyList, seal, UnknownKeyError, type FieldKeys } from '../../src/lib/field-crypto.ts';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const keys = (active: string, ...list: Array<[string, Buffer]>): FieldKeys => ({ activeKeyId: active, keys: new Map(list), indexKey: Buffer.alloc(32, 1) });

test('sealed values open with their key and place only', () => {
  const ring = keys('a', ['a', k1]);
  const sealed = seal(ring, '11010519491231002X', 'identity:1');
  assert.equal(sealed.keyId, 'a');
  assert.ok(!sealed.data.toString('latin1').includes('11010519491231002X'));
  assert.equal(open(ring, sealed, 'identity:1'), '11010519491231002X');
  assert.throws(() => open(ring, sealed, 'identity:2'), 'bound to its row');
  const tampered = { ...sealed, data: Buffer.from(sealed.data) };
  tampered.data[30]! ^= 1;
  assert.throws(() => open(ring, tampered, 'identity:1'), 'authenticated');
  assert.notDeepEqual(seal(ring, 'x', 'p').data, seal(ring, 'x', 'p').data, 'a fresh IV each time');
});

test('after rotation old ciphertexts still open; a retired key is named when missing', () => {
  const old = seal(keys('a', ['a', k1]), 'secret', 'p');
  const rotated = keys('b', ['b', k2], ['a', k1]);
  assert.equal(open(rotated, old, 'p'), 'secret');
  assert.equal(seal(rotated, 'secret', 'p').keyId, 'b');
  assert.throws(
    () => open(keys('b', ['b', k2]), old, 'p'),
    (e: Error) => e instanceof UnknownKeyError && /key a/.test(e.message),
  );
});

test('blind indexes are deterministic per domain and key', () => {
  const ring = keys('a', ['a', k1]);
  assert.deepEqual(blindIndex(ring, 'resident_id', 'X'), blindIndex(ring, 'resident_id', 'X'));
  assert.notDeepEqual(blindIndex(ring, 'resident_id', 'X'), blindIndex(ring, 'passport', 'X'));
  assert.notDeepEqual(blindIndex(ring, 'resident_id', 'X'), blindIndex({ ...ring, indexKey: Buffer.alloc(32, 2) }, 'resident_id', 'X'));
});

test('key lists: the first is active; bad entries are explained', () => {
  const parsed = parseKeyList(`2026:${k1.toString('base64')}, 2025:${k2.toString('base64')}`);
  assert.equal(parsed.activeKeyId, '2026');
  assert.equal(parsed.keys.size, 2);
  assert.throws(() => parseKeyList('a:c2hvcnQ='), /32 bytes/);
  assert.throws(() => parseKeyList(`a:${k1.toString('base64')},a:${k2.toString('base64')}`), /twice/);
  assert.throws(() => parseKeyList(''), /no key/);
});
