// The HTTP registry verifier against a real local server: signed requests, and only an explicit
// {"match": true} counts as a match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { httpIdentityVerifier } from '../../src/identity/verifier.ts';
import { nameProblem, normalizeName } from '../../src/identity/names.ts';

test('the verifier signs its request and reads match, mismatch and failures', async () => {
  const secret = 'a shared secret of the registry';
  const answers: Array<{ status: number; body: string }> = [
    { status: 200, body: '{"match":true}' },
    { status: 200, body: '{"match":false}' },
    { status: 500, body: 'down' },
    { status: 200, body: '{"match":"yes"}' },
  ];
  const seen: Array<{ signatureOk: boolean; body: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const [t, v1] = String(req.headers['x-tongxing-signature'])
        .split(',')
        .map((p) => p.split('=')[1]);
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      seen.push({ signatureOk: v1 === expected, body: JSON.parse(raw) });
      const answer = answers[seen.length - 1]!;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;
    const verifier = httpIdentityVerifier({ url, secret, operator: '某某身份核验服务有限公司' });
    const input = { name: '张三', idType: 'resident_id', idNumber: '11010519491231002X' };
    assert.equal(await verifier.verify(input), 'match');
    assert.equal(await verifier.verify(input), 'mismatch');
    assert.equal(await verifier.verify(input), 'unavailable');
    assert.equal(await verifier.verify(input), 'unavailable');
    assert.ok(seen.every((s) => s.signatureOk));
    assert.equal(seen[0]!.body.idNumber, '11010519491231002X');
    const wrongKey = httpIdentityVerifier({ url: 'http://127.0.0.1:1/unreachable', secret, operator: '某某身份核验服务有限公司' });
    assert.equal(await wrongKey.verify(input), 'unavailable');
  } finally {
    server.close();
  }
});

test('names: Chinese with the middle dot, Latin for foreign documents', () => {
  assert.equal(normalizeName(' 买买提 • 艾力 '), '买买提·艾力');
  assert.equal(nameProblem('买买提·艾力', false), undefined);
  assert.equal(nameProblem('张', false), 'name.too_short');
  assert.equal(nameProblem('·张三', false), 'name.dot_misplaced');
  assert.equal(nameProblem('John Smith', false), 'name.chinese_expected');
  assert.equal(nameProblem("Mary-Ann O'Neil", true), undefined);
  assert.equal(nameProblem('张三3', false), 'name.chars');
});
