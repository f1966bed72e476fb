// The service as an operator runs it: `tongxing serve` in a real process on a real data
// directory. One process per data directory; SIGTERM finishes what is in flight; a restart
// finds every acknowledged write; a crashed process's lock does not block the next start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTongxing as run } from '../helpers/service-process.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-proc-'));
  dirs.push(dir);
  return dir;
}

async function registerByApi(base: string, phone: string, password: string): Promise<Response> {
  const sent = await fetch(`${base}/api/v1/registrations/phone/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  assert.equal(sent.status, 200, await sent.clone().text());
  const outbox = (await (await fetch(`${base}/dev/outbox.json`)).json()) as Array<{ to: string; text: string }>;
  const code = /(\d{6})/.exec(outbox.find((m) => m.to === phone)!.text)![1];
  return fetch(`${base}/api/v1/registrations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, code, password, agree: true }),
  });
}

const signIn = (base: string, username: string, password: string) =>
  fetch(`${base}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

test('a second process on the same data directory is refused; SIGTERM then restart keeps the data', async () => {
  const dataDir = tempDataDir();
  const first = run(['serve'], { DATA_DIR: dataDir });
  const base = await first.url;
  assert.equal((await fetch(`${base}/readyz`)).status, 200);

  const second = run(['serve'], { DATA_DIR: dataDir });
  assert.equal(await second.exit, 1);
  assert.match(second.output(), /正被另一个 Tongxing 进程（PID \d+）使用/);
  assert.match(second.output(), /in use by another Tongxing process/);

  const registered = await registerByApi(base, '13700001111', 'an acknowledged write');
  assert.equal(registered.status, 201);
  // The generated secret is private to the service's user.
  assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);

  first.child.kill('SIGTERM');
  assert.equal(await first.exit, 0);

  const restarted = run(['serve'], { DATA_DIR: dataDir });
  const base2 = await restarted.url;
  const session = await signIn(base2, '13700001111', 'an acknowledged write');
  assert.equal(session.status, 201, 'the account written before the stop is there, and the secret too');
  restarted.child.kill('SIGINT');
  assert.equal(await restarted.exit, 0);
});

test('a request in flight when SIGTERM arrives is finished and kept', async () => {
  const dataDir = tempDataDir();
  // A costly hash keeps the registration in flight long enough for the signal to land mid-way.
  const server = run(['serve'], { DATA_DIR: dataDir, ARGON2_MEMORY_KIB: '131072', ARGON2_ITERATIONS: '4' });
  const base = await server.url;
  const sent = await fetch(`${base}/api/v1/registrations/phone/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13700002222' }),
  });
  assert.equal(sent.status, 200);
  const outbox = (await (await fetch(`${base}/dev/outbox.json`)).json()) as Array<{ to: string; text: string }>;
  const code = /(\d{6})/.exec(outbox.find((m) => m.to === '13700002222')!.text)![1];
  const inFlight = fetch(`${base}/api/v1/registrations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13700002222', code, password: 'finished before exit', agree: true }),
  });
  await new Promise((r) => setTimeout(r, 40));
  const signalledAt = Date.now();
  server.child.kill('SIGTERM');
  const response = await inFlight;
  assert.equal(response.status, 201);
  assert.equal(await server.exit, 0);
  // Not a timing claim: shutdown must not wait out idle keep-alive sockets (72 s) to exit.
  assert.ok(Date.now() - signalledAt < 30_000, 'the process exits once the request is answered');

  const restarted = run(['serve'], { DATA_DIR: dataDir });
  assert.equal((await signIn(await restarted.url, '13700002222', 'finished before exit')).status, 201);
  restarted.child.kill('SIGTERM');
  await restarted.exit;
});

test('a lock left by a killed process does not block the next start', async () => {
  const dataDir = tempDataDir();
  const crashed = run(['serve'], { DATA_DIR: dataDir });
  await crashed.url;
  crashed.child.kill('SIGKILL');
  await crashed.exit;
  const next = run(['serve'], { DATA_DIR: dataDir });
  assert.equal((await fetch(`${await next.url}/healthz`)).status, 200);
  next.child.kill('SIGTERM');
  assert.equal(await next.exit, 0);
});

test('bad configuration stops the start with the variable named', async () => {
  const badPort = run(['serve'], { DATA_DIR: tempDataDir(), PORT: 'eighty' });
  assert.equal(await badPort.exit, 1);
  assert.match(badPort.output(), /PORT/);
  const production = run(['serve'], { DATA_DIR: tempDataDir(), NODE_ENV: 'production' });
  assert.equal(await production.exit, 1);
  assert.match(production.output(), /SECRET_KEY: required in production/);
});

test('`tongxing migrate` applies migrations and exits; an unknown command prints usage', async () => {
  const dataDir = tempDataDir();
  const migrate = run(['migrate'], { DATA_DIR: dataDir });
  assert.equal(await migrate.exit, 0);
  assert.match(migrate.output(), /applied: 0001_foundation/);
  const again = run(['migrate'], { DATA_DIR: dataDir });
  assert.equal(await again.exit, 0);
  assert.match(again.output(), /database is up to date/);
  const unknown = run(['frobnicate'], {});
  assert.equal(await unknown.exit, 2);
  assert.match(unknown.output(), /usage: tongxing <command>/);
});

test('`tongxing keys rotate` re-encrypts ID numbers under the new first key, and they still sign in', async () => {
  const dataDir = tempDataDir();
  const oldKey = `old:${Buffer.alloc(32, 1).toString('base64')}`;
  const newKey = `new:${Buffer.alloc(32, 2).toString('base64')}`;
  const indexKey = Buffer.alloc(32, 3).toString('base64');
  const server = run(['serve'], { DATA_DIR: dataDir, ID_ENCRYPTION_KEYS: oldKey, ID_INDEX_KEY: indexKey });
  const base = await server.url;
  const reg = await registerByApi(base, '13700003333', 'rotate my keys please');
  const { session } = (await reg.json()) as { session: { token: string } };
  const saved = await fetch(`${base}/api/v1/account/identity`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ name: '张三', idType: 'resident_id', idNumber: '11010519491231002X', agreeSensitive: true }),
  });
  assert.equal(saved.status, 201);
  server.child.kill('SIGTERM');
  await server.exit;

  const rotate = run(['keys', 'rotate'], { DATA_DIR: dataDir, ID_ENCRYPTION_KEYS: `${newKey},${oldKey}`, ID_INDEX_KEY: indexKey });
  assert.equal(await rotate.exit, 0, rotate.output());
  assert.match(
    rotate.output(),
    /re-encrypted 1 ID numbers, 0 ID photos, 0 enterprise letters, 0 staff TOTP secrets, 0 platform secrets and 1 signing keys with key new/,
  );

  // Only the new key now: the number still signs in (index key unchanged) and reads back.
  const after = run(['serve'], { DATA_DIR: dataDir, ID_ENCRYPTION_KEYS: newKey, ID_INDEX_KEY: indexKey });
  const base2 = await after.url;
  assert.equal((await signIn(base2, '11010519491231002X', 'rotate my keys please')).status, 201);
  after.child.kill('SIGTERM');
  await after.exit;
});

test('SIGTERM ends the process within 10 s even with an SMTP relay that never answers', async () => {
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const relay = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as { port: number }).port;
  try {
    const server = run(['serve'], { DATA_DIR: tempDataDir(), SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_POLL_MS: '200' });
    const base = await server.url;
    const registered = await fetch(`${base}/api/v1/registrations/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'hung-relay@example.edu.cn', password: 'an email that never leaves', agree: true }),
    });
    assert.ok(registered.status < 300, await registered.text());
    // The activation mail is on the wire to the relay, which accepted and says nothing.
    const deadline = Date.now() + 10_000;
    while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(sockets.length > 0, 'the worker connected to the relay');
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exit, 0);
    assert.ok(Date.now() - signalledAt < 10_000, `exited ${Date.now() - signalledAt} ms after SIGTERM`);
  } finally {
    for (const s of sockets) s.destroy();
    relay.close();
  }
});
