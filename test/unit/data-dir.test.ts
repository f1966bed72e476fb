// The data directory lock, and closing a PGlite that was never queried (it used to stay open,
// holding the process alive and skipping its final flush).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { lockDataDir, DataDirLockedError, HEARTBEAT_STALE_MS } from '../../src/db/data-dir-lock.ts';

const root = new URL('../../', import.meta.url).pathname;

test('a live holder refuses a second lock; its release lets the next one in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-lock-'));
  try {
    const lock = lockDataDir(dir);
    assert.throws(
      () => lockDataDir(dir),
      (e: DataDirLockedError) => e instanceof DataDirLockedError && e.message.includes(`PID ${process.pid}`),
    );
    lock.release();
    lockDataDir(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock whose process is gone is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-lock-'));
  try {
    // pid 2^22+1 is above Linux's pid_max default, so no such process exists.
    writeFileSync(join(dir, 'tongxing.lock'), JSON.stringify({ pid: 4_194_305, host: hostname(), since: new Date().toISOString() }));
    lockDataDir(dir).release();
    writeFileSync(join(dir, 'tongxing.lock'), '{"pid":'); // half-written by a crash
    lockDataDir(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a container restarted after a crash (pid 1 again, same host) takes over its own stale lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-lock-'));
  try {
    // The previous run had our pid and our hostname, as pid 1 in a restarted container does.
    writeFileSync(join(dir, 'tongxing.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    const lock = lockDataDir(dir);
    // Held by this run now: a second lock in this process is refused as before.
    assert.throws(() => lockDataDir(dir), DataDirLockedError);
    lock.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock of another host (a new container) is alive while touched, stale once its heartbeat stops', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-lock-'));
  try {
    const file = join(dir, 'tongxing.lock');
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'another-container', since: new Date().toISOString() }));
    assert.throws(
      () => lockDataDir(dir),
      (e: DataDirLockedError) => e instanceof DataDirLockedError && e.message.includes('another-container'),
    );
    const old = new Date(Date.now() - HEARTBEAT_STALE_MS - 5_000);
    utimesSync(file, old, old);
    lockDataDir(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an opened but unused PGlite closes and lets the process exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-close-'));
  try {
    const script = `const { openPglite } = await import('./src/db/client.ts'); const o = await openPglite({ dataDir: ${JSON.stringify(dir)} }); await o.close(); console.log('closed');`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 120_000, encoding: 'utf8' });
    assert.equal(result.signal, null, 'the process exited by itself');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /closed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('many starters on a stale lock at once: exactly one takes it over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-lock-race-'));
  try {
    for (let round = 0; round < 3; round++) {
      writeFileSync(join(dir, 'tongxing.lock'), JSON.stringify({ pid: 4_194_305, host: hostname(), since: new Date().toISOString() }));
      // Each starter waits for the same moment (so their reads of the stale lock overlap), then
      // tries to lock; a winner holds the lock a while so the others see it alive.
      const startAt = Date.now() + 3_000;
      const script = `const { lockDataDir } = await import('./src/db/data-dir-lock.ts');
        while (Date.now() < ${startAt}) {}
        try { const lock = lockDataDir(${JSON.stringify(dir)}); console.log('won'); await new Promise((r) => setTimeout(r, 1500)); lock.release(); }
        catch (e) { console.log(e.name === 'DataDirLockedError' ? 'refused' : 'error ' + e.message); }`;
      const starters = Array.from(
        { length: 8 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, ['--import', './src/loader/register.js', '--input-type=module', '-e', script], { cwd: root });
            let out = '';
            let err = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (err += d));
            // 'close', not 'exit': a busy machine can end the process before its output is read.
            child.on('close', (code, signal) => resolve(out.trim() || `nothing printed (exit ${code ?? signal}): ${err.trim()}`));
          }),
      );
      const outcomes = await Promise.all(starters);
      assert.equal(outcomes.filter((o) => o === 'won').length, 1, outcomes.join(', '));
      assert.equal(outcomes.filter((o) => o === 'refused').length, 7, outcomes.join(', '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
