// Webhooks go only to public addresses in production: IP literals and every answer of a host name
// are checked, at connection time; outside production a platform on this machine is reachable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { isSpecialUseAddress, post, RefusedAddressError } from '../../src/lib/outbound.ts';

test('special-use addresses are recognised, IPv4-mapped ones too', () => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'fd00::1',
    'fe80::1',
    'ff02::1',
    'not an address',
  ]) {
    assert.equal(isSpecialUseAddress(a), true, a);
  }
  for (const a of ['8.8.8.8', '114.114.114.114', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isSpecialUseAddress(a), false, a);
});

test('a webhook to this machine is refused in production and delivered outside it', async () => {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      received.push(body);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const init = { headers: { 'content-type': 'application/json' }, body: '{"type":"account.deregistered"}', timeoutMs: 5_000 };
    await assert.rejects(post(`http://127.0.0.1:${port}/hook`, { ...init, allowPrivate: false }), RefusedAddressError);
    await assert.rejects(post(`http://localhost:${port}/hook`, { ...init, allowPrivate: false }), RefusedAddressError, 'a name that resolves to loopback');
    await assert.rejects(post(`http://[::ffff:127.0.0.1]:${port}/hook`, { ...init, allowPrivate: false }), RefusedAddressError);
    assert.deepEqual(received, [], 'nothing reached the server');
    assert.equal(await post(`http://127.0.0.1:${port}/hook`, { ...init, allowPrivate: true }), 204);
    assert.deepEqual(received, ['{"type":"account.deregistered"}']);
  } finally {
    server.close();
  }
});
