// The proof of work: a challenge is signed for one form and a time; a solution verifies for that
// form only, before it expires, and never for a changed challenge or the widget's test mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createPowChallenge, powSecrets, verifyPow } from '../../src/captcha/pow.ts';

const settings = { cost: 10, counterMax: 50, ttlMs: 5 * 60_000 };
const secrets = powSecrets(randomBytes(32));
const now = new Date();

async function solved(form = 'sign_in') {
  const challenge = await createPowChallenge(settings, secrets, form, now);
  const solution = await solveChallenge({ challenge, deriveKey });
  assert.ok(solution, 'the challenge can be solved');
  return { challenge, payload: Buffer.from(JSON.stringify({ challenge, solution })).toString('base64') };
}

test('a solution verifies for its form, before it expires', async () => {
  const { payload, challenge } = await solved();
  const ok = await verifyPow(secrets, payload, 'sign_in', now);
  assert.equal(ok?.nonce, challenge.parameters.nonce);
  assert.equal(await verifyPow(secrets, payload, 'recover_password', now), undefined, 'not for another form');
  assert.equal(await verifyPow(secrets, payload, 'sign_in', new Date(now.getTime() + settings.ttlMs + 1_000)), undefined, 'not once expired');
  assert.equal(await verifyPow(powSecrets(randomBytes(32)), payload, 'sign_in', now), undefined, 'not under another key');
});

test('a changed challenge, a wrong derived key, the test mode or junk never verify', async () => {
  const { challenge, payload } = await solved();
  const parsed = JSON.parse(Buffer.from(payload, 'base64').toString()) as { challenge: typeof challenge; solution: { derivedKey: string } };
  const cheaper = { ...parsed, challenge: { ...parsed.challenge, parameters: { ...parsed.challenge.parameters, cost: 1 } } };
  // The derived key is the proof (its HMAC is what the challenge signed): any other fails.
  const wrong = { ...parsed, solution: { ...parsed.solution, derivedKey: parsed.solution.derivedKey.replace(/^./, (c) => (c === '0' ? '1' : '0')) } };
  for (const forged of [cheaper, wrong, { challenge: null, solution: null, test: true }]) {
    assert.equal(await verifyPow(secrets, Buffer.from(JSON.stringify(forged)).toString('base64'), 'sign_in', now), undefined);
  }
  for (const junk of ['', 'bm90IGpzb24=', 'e30=', 'x'.repeat(5000)]) assert.equal(await verifyPow(secrets, junk, 'sign_in', now), undefined, junk.slice(0, 10));
});
