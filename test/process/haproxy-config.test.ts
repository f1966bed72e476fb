// HAProxy itself checks deploy/haproxy/haproxy.cfg (`haproxy -c`): as shipped — where the replicas'
// names do not resolve, as when none runs yet at HAProxy's start, which must not stop it — and as
// test/helpers/haproxy.ts rewrites it for the process tests (no Docker DNS on a test machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAPROXY, balancerConfig, haproxyInstalled } from '../helpers/haproxy.ts';

const root = new URL('../../', import.meta.url).pathname;

function check(cfg: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-haproxy-check-'));
  try {
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    const run = spawnSync(HAPROXY, ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('haproxy -c accepts the shipped configuration with no replica resolvable, and the process tests’ rewrite of it', () => {
  assert.ok(haproxyInstalled(), 'HAProxy is installed (apt-get install haproxy; .ci/run does)');
  // Only the errorfile's path changes: the container's is not on this machine.
  const shipped = readFileSync(join(root, 'deploy/haproxy/haproxy.cfg'), 'utf8').replace(
    '/usr/local/etc/haproxy/errors/503.http',
    join(root, 'deploy/haproxy/503.http'),
  );
  const asShipped = check(shipped);
  assert.equal(asShipped.status, 0, asShipped.output);
  assert.match(asShipped.output, /Configuration file is valid/);
  assert.match(asShipped.output, /could not resolve address 'tongxing-1', disabling server/, 'down until it resolves, not a failed start');

  const rewritten = check(balancerConfig(18080, ['http://127.0.0.1:3001', 'http://127.0.0.1:3002', 'http://127.0.0.1:3003']));
  assert.equal(rewritten.status, 0, rewritten.output);
  assert.match(rewritten.output, /Configuration file is valid/);
});
