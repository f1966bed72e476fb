// PGlite is a single-process database: two processes on one data directory silently lose writes.
// A lock file that appears atomically (hard link, which fails if it exists), holding our pid, refuses the second process; a lock left by a
// process that no longer runs (crash, kill -9) is taken over by one starter at a time.
//
// Whether the holder still runs: on this host, by its pid — unless the pid is ours and this process
// does not hold the lock, which is a previous run of ours with the same pid (a container restarted
// after a crash runs as pid 1 again). On another host (a new container has its own hostname; a
// shared volume), by the lock's heartbeat: the holder touches the file every HEARTBEAT_MS, so a
// file untouched for HEARTBEAT_STALE_MS was left by a holder that is gone.
import { openSync, closeSync, readFileSync, writeFileSync, linkSync, unlinkSync, mkdirSync, statSync, utimesSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'tongxing.lock');
  const takeover = join(dataDir, 'tongxing.lock.takeover');
  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
    const lock = tryCreate(file);
    if (lock) return lock;
    const holder = readHolder(file);
    if (holder && holderIsAlive(holder, file)) throw lockedError(dataDir, holder);
    // Stale (its process is gone, or the file is unreadable, e.g. after a disk fault). Removing it by path is safe only
    // for one starter at a time: two that both read it stale could otherwise each delete it, the
    // second deleting the fresh lock the first had just made, and both would run. The takeover
    // file, itself created with O_EXCL, admits one; it checks again under it, and the others
    // wait and start over (then finding the new holder alive).
    if (!tryCreateTakeover(takeover)) {
      sleepMs(TAKEOVER_WAIT_MS);
      continue;
    }
    try {
      // Under the takeover file nobody else removes the lock, and nobody can create it while it
      // exists: if it is still there and still stale, it is the stale one.
      const current = readHolder(file);
      if (readRaw(file) !== undefined && !(current && holderIsAlive(current, file))) unlinkQuietly(file);
    } finally {
      unlinkQuietly(takeover);
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dataDir}`);
}

/** Starts (each after a short wait) before giving up on a directory others keep taking over. */
const TAKEOVER_ATTEMPTS = 50;
const TAKEOVER_WAIT_MS = 20;
/** A takeover file older than this was left by a starter that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;
/** How often a holder touches its lock, and how long untouched means gone (seen from another host). */
const HEARTBEAT_MS = 10_000;
export const HEARTBEAT_STALE_MS = 60_000;
/** The lock files this process holds: a lock with our pid that is not here is a previous run's. */
const held = new Set<string>();

function tryCreate(file: string): DataDirLock | undefined {
  // The holder's record is written to a private file first and then hard-linked into place:
  // link() fails with EEXIST like O_EXCL, but the lock file appears already whole. Creating it
  // with O_EXCL and writing afterwards left a moment when it was empty, and a starter taking over
  // read that empty file as a crash's half-written lock and removed it: two processes ran.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    unlinkQuietly(draft);
  }
  held.add(file);
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // removed under us (an operator): nothing to refresh
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      held.delete(file);
      unlinkQuietly(file);
    },
  };
}

function tryCreateTakeover(takeover: string): boolean {
  try {
    closeSync(openSync(takeover, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) unlinkQuietly(takeover);
    } catch {
      // gone meanwhile: the next attempt creates it
    }
    return false;
  }
}

function lockedError(dataDir: string, holder: { pid: number; host: string }) {
  return new DataDirLockedError(
    `数据目录 ${dataDir} 正被另一个 Tongxing 进程（PID ${holder.pid}）使用，请先停止该进程。\n` +
      `The data directory ${dataDir} is in use by another Tongxing process (pid ${holder.pid} on ${holder.host}); ` +
      'stop it first, or set DATA_DIR to another directory.',
  );
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Blocks the thread briefly: the lock is taken once, at start, before anything else runs. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readHolder(file: string): { pid: number; host: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; host: string };
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined; // unreadable: treat as stale
  }
}

function holderIsAlive(holder: { pid: number; host: string }, file: string): boolean {
  if (holder.host !== hostname()) return heartbeatIsFresh(file);
  if (holder.pid === process.pid) return held.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another host's holder cannot be asked by pid: a lock it touched lately is alive. */
function heartbeatIsFresh(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < HEARTBEAT_STALE_MS;
  } catch {
    return false; // gone meanwhile
  }
}
