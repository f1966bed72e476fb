// PGlite is a single-process database: two processes on one data directory silently lose writes.
// A lock file created with O_EXCL, holding our pid, refuses the second process; a lock left by a
// process that no longer runs (crash, kill -9) is taken over.
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
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
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holderIsAlive(holder)) {
        throw new DataDirLockedError(
          `数据目录 ${dataDir} 正被另一个 Tongxing 进程（PID ${holder.pid}）使用，请先停止该进程。\n` +
            `The data directory ${dataDir} is in use by another Tongxing process (pid ${holder.pid} on ${holder.host}); ` +
            'stop it first, or set DATA_DIR to another directory.',
        );
      }
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // another starter removed it first; try again
      }
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dataDir}`);
}

function readHolder(file: string): { pid: number; host: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; host: string };
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined; // half-written or unreadable: treat as stale
  }
}

function holderIsAlive(holder: { pid: number; host: string }): boolean {
  if (holder.host !== hostname()) return true; // cannot check another machine: be safe
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
