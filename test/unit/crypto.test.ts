// The hand-built HMAC-SHA256 (two one-shot hashes over key pads) must equal Node's Hmac for every
// key and message length, including keys longer than the block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { hmacSha256 } from '../../src/lib/crypto.ts';

test('hmacSha256 equals the standard HMAC for any key and message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 150 }), fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 })), (keyBytes, message) => {
      const key = Buffer.from(keyBytes);
      const value = typeof message === 'string' ? message : Buffer.from(message);
      assert.deepEqual(hmacSha256(key, value), createHmac('sha256', key).update(value).digest());
    }),
    { numRuns: 300 },
  );
  // RFC 4231 test case 2.
  assert.equal(
    hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex'),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
  const key = randomBytes(32);
  assert.deepEqual(hmacSha256(key, 'same'), hmacSha256(key, 'same'), 'cached pads give the same answer');
});
