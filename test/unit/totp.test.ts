// The one RFC 6238 implementation (staff console and people's second factor) against the RFC's
// own test vectors, its window of one step either side, and its refusal of a step already used;
// and the recovery codes' shape and canonical form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32, hotp, matchTotp, otpauthUri, totpStep } from '../../src/lib/totp.ts';
import { canonicalRecoveryCode, newRecoveryCodes } from '../../src/lib/recovery-codes.ts';
import { base32Decode } from '../helpers/authenticator.ts';

// RFC 6238 appendix B, HMAC-SHA1 with the ASCII key "12345678901234567890" (8-digit values; the
// 6-digit code is their last six digits).
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1_111_111_109, '07081804'],
  [1_111_111_111, '14050471'],
  [1_234_567_890, '89005924'],
  [2_000_000_000, '69279037'],
  [20_000_000_000, '65353130'],
];

test('RFC 6238 test vectors', () => {
  for (const [seconds, eight] of VECTORS) assert.equal(hotp(RFC_KEY, totpStep(new Date(seconds * 1000))), eight.slice(-6), `T=${seconds}`);
});

test('a code is accepted one step either side of now, never at or before the last step used', () => {
  const at = new Date(1_234_567_890_000);
  const step = totpStep(at);
  for (const offset of [-1, 0, 1]) assert.equal(matchTotp(RFC_KEY, hotp(RFC_KEY, step + offset), at, null), step + offset);
  for (const offset of [-2, 2]) assert.equal(matchTotp(RFC_KEY, hotp(RFC_KEY, step + offset), at, null), undefined);
  assert.equal(matchTotp(RFC_KEY, hotp(RFC_KEY, step), at, step), undefined, 'the step already used');
  assert.equal(matchTotp(RFC_KEY, hotp(RFC_KEY, step - 1), at, step), undefined, 'an older step');
  assert.equal(matchTotp(RFC_KEY, hotp(RFC_KEY, step + 1), at, step), step + 1);
  assert.equal(matchTotp(RFC_KEY, `${hotp(RFC_KEY, step).slice(0, 3)} ${hotp(RFC_KEY, step).slice(3)}`, at, null), step, 'typed with a space');
  assert.equal(matchTotp(RFC_KEY, 'abcdef', at, null), undefined);
});

test('the key as an app reads it: base32 and the otpauth:// URI', () => {
  assert.equal(base32(RFC_KEY), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ'), RFC_KEY);
  const uri = new URL(otpauthUri('通行 Tongxing', '13800000000', RFC_KEY));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(uri.searchParams.get('issuer'), '通行 Tongxing');
  assert.equal(uri.searchParams.get('period'), '30');
  assert.equal(uri.searchParams.get('digits'), '6');
});

test('recovery codes: ten distinct, abcde-fghij, matched whatever the case, spaces and dash', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-z2-7]{5}-[a-z2-7]{5}$/);
  const code = codes[0]!;
  assert.equal(canonicalRecoveryCode(` ${code.toUpperCase().replace('-', ' ')} `), canonicalRecoveryCode(code));
  assert.equal(canonicalRecoveryCode(code).length, 10);
});
