// HAProxy from Debian in front of `tongxing serve` processes, running the shipped
// deploy/haproxy/haproxy.cfg — so a process test proves the file operators deploy, not a copy of
// it. Only what a test on one machine must change is rewritten, and each rewrite must match (a
// changed deploy file breaks the helper loudly instead of testing something else):
// - the address it binds and the nodes it balances (the nodes' ports are chosen at start);
// - the errorfile's path (the repository's, not the container's);
// - Docker's DNS (127.0.0.11, which a test machine lacks) is dropped: the section and each
//   server's use of it (the nodes are addresses, not names; `init-addr` stays);
// - health checks every 300 ms instead of 3 s (each still bounded by 3 s), so a test sees the
//   rotation change quickly;
// - the client's X-Forwarded-For is kept (TRUST_PROXY=127.0.0.1 believes the loopback hops), so
//   one test machine can play many people with their own addresses and their own IP limits;
// - each answer names its backend and node (X-Backend, X-Node), so a test can tell who answered.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAPROXY = '/usr/sbin/haproxy';
const root = new URL('../../', import.meta.url).pathname;

export const haproxyInstalled = (): boolean => spawnSync(HAPROXY, ['-v']).status === 0;

export interface Balancer {
  base: string;
  output: () => string;
}

function rewrite(cfg: string, pattern: RegExp, replacement: string | ((...m: string[]) => string), what: string): string {
  assert.match(cfg, pattern, `deploy/haproxy/haproxy.cfg still has ${what}`);
  return cfg.replace(pattern, replacement as string);
}

/** The deploy configuration, rewritten for `nodes` (their URLs) behind 127.0.0.1:`port`. */
export function balancerConfig(port: number, nodes: string[]): string {
  let cfg = readFileSync(join(root, 'deploy/haproxy/haproxy.cfg'), 'utf8');
  cfg = rewrite(cfg, /^(\s*)bind :8080$/m, `$1bind 127.0.0.1:${port}`, 'its bind line');
  cfg = rewrite(cfg, /errorfile 503 \S+/, `errorfile 503 ${join(root, 'deploy/haproxy/503.http')}`, 'its errorfile');
  cfg = rewrite(cfg, /^\s*http-request del-header X-Forwarded-For\n/m, '', 'the X-Forwarded-For reset');
  cfg = rewrite(cfg, /^resolvers docker\n(?:[ \t]+\S[^\n]*\n)+/m, '', 'its resolvers section');
  cfg = rewrite(cfg, /^(\s*default-server [^\n]*) resolvers docker( [^\n]*)?$/gm, '$1$2', 'the servers resolving through Docker');
  assert.doesNotMatch(cfg, /^[ \t]*[^#\s][^\n]*(resolvers|127\.0\.0\.11)/m, "no use of Docker's DNS is left");
  // Checked ten times as often, each check still given the 3 s it has there (without `timeout
  // check`, HAProxy bounds a check by `inter`, and a loaded machine would fail 300 ms ones).
  cfg = rewrite(cfg, /^(\s*)default-server inter 3s/gm, '$1timeout check 3s\n$1default-server inter 300ms', 'its check interval');
  cfg = rewrite(
    cfg,
    /^(\s*)balance roundrobin$/gm,
    '$1balance roundrobin\n$1http-response set-header X-Backend %b\n$1http-response set-header X-Node %s',
    'balanced backends',
  );
  // Each backend's block of `server tongxing-N tongxing-N:8080 <options>` becomes the test's nodes.
  cfg = rewrite(
    cfg,
    /^(\s*)server tongxing-1 tongxing-1:8080( [^\n]*)?\n(?:\s*server tongxing-\d+ tongxing-\d+:8080[^\n]*\n)*/gm,
    (_all, indent, options) => nodes.map((url, i) => `${indent}server n${i + 1} ${new URL(url).host}${options ?? ''}\n`).join(''),
    'its server lines',
  );
  return cfg;
}

/**
 * Starts HAProxy in the foreground (killed by `cleanups`) and resolves once every node has passed
 * its /readyz check (each of several answers in turn names one).
 */
export async function startBalancer(port: number, nodes: string[], cleanups: Array<() => Promise<unknown>>): Promise<Balancer> {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-haproxy-'));
  writeFileSync(join(dir, 'haproxy.cfg'), balancerConfig(port, nodes));
  const child = spawn(HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const seen = new Set<string>();
    for (let i = 0; i < 2 * nodes.length; i++) {
      const answer = await fetch(`${base}/readyz`).catch(() => undefined);
      if (answer?.status === 200 && answer.headers.get('x-backend') === 'tongxing') seen.add(answer.headers.get('x-node') ?? '');
    }
    if (seen.size === nodes.length) break;
    assert.ok(child.exitCode === null, `HAProxy exited:\n${out}`);
    assert.ok(Date.now() < deadline, `HAProxy did not see every node:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { base, output: () => out };
}
